"""Editions with mike in a throw-away git repository: two editions from the two 2024 Census
vintages, the first left byte-identical by the second, no overwrite, aliases, the switcher and
the "What changed" page."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, Watch, export_gh_pages, serve
from macros import editions

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def git(project, *args) -> str:
    return subprocess.run(["git", *args], cwd=project, check=True, text=True, capture_output=True,
                          env={**os.environ, **GIT_ENV}).stdout


def release(project, edition, tag=True, languages=None):
    """Tag HEAD as the edition (a release publishes only a tagged commit) and release it."""
    if tag:
        git(project, "tag", "-f", edition)
    env = {**os.environ, **GIT_ENV, **({"PORTAL_LANGUAGES": languages} if languages else {})}
    return subprocess.run([sys.executable, "scripts/release.py", edition, "--push"], cwd=project,
                          text=True, capture_output=True, env=env)


def tree(project, folder) -> dict:
    lines = git(project, "ls-tree", "-r", "gh-pages", folder).splitlines()
    return {line.split("\t")[1]: line.split()[2] for line in lines}


def publish_two_editions(tmp_path_factory):
    """A repository with editions 2026.10 (2024 from the 2025 Census release) and 2026.11,
    each with its Korean edition (<edition>/ko/), as `make release` builds them."""
    project = tmp_path_factory.mktemp("editions") / "portal"
    project.mkdir()
    for name in ("mkdocs.yml", "mkdocs.ko.yml", "requirements.lock"):
        shutil.copy(ROOT / name, project)
    for name in ("docs", "docs-ko", "macros", "overrides", "scripts", "data"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("node_modules", ".cache"):
        (ROOT / name).mkdir(exist_ok=True)
        (project / name).symlink_to(ROOT / name)
    (project / ".gitignore").write_text("node_modules\n.cache\nsite\n__pycache__/\n")
    annual = project / "data/us_korea_goods_trade/annual.csv"
    full = annual.read_text()
    annual.write_text("".join(l for l in full.splitlines(keepends=True)
                              if not (l.startswith("2024,") and ",2026," in l)))
    # The KOR monthly lines of 2024 came with the 2026 release: edition A has none for 2024.
    line_files = [project / f"data/us_korea_goods_trade/{n}.csv"
                  for n in ("monthly_lines", "annual_lines")]
    full_lines = [f.read_text() for f in line_files]
    for f, text in zip(line_files, full_lines):
        f.write_text("".join(l for l in text.splitlines(keepends=True)
                             if not l.startswith("KOR,2024,")))
    git(project.parent, "init", "-q", "--bare", "origin.git")
    git(project, "init", "-q", "-b", "main")
    git(project, "remote", "add", "origin", str(project.parent / "origin.git"))
    git(project, "add", "-A")
    git(project, "commit", "-qm", "edition A data")
    languages = "en,ko"
    first = release(project, "2026.10", languages=languages)
    assert first.returncode == 0, first.stderr
    before = tree(project, "2026.10")
    annual.write_text(full)
    for f, text in zip(line_files, full_lines):
        f.write_text(text)
    git(project, "commit", "-qam", "2026 Census release revises 2024")
    second = release(project, "2026.11", languages=languages)
    assert second.returncode == 0, second.stderr
    return project, before


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Editions 2026.10 and 2026.11, each with its Korean edition (<edition>/ko/), as
    `make release` publishes them: the tests of either language read the same two releases."""
    return publish_two_editions(tmp_path_factory)


def test_first_edition_is_byte_identical_after_the_second(published):
    project, before = published
    assert before and tree(project, "2026.10") == before


def test_versions_json_lists_both_with_latest_alias_on_the_newest(published):
    project, _ = published
    versions = json.loads(git(project, "show", "gh-pages:versions.json"))
    assert [v["version"] for v in versions] == ["2026.11", "2026.10"]
    assert versions[0]["aliases"] == ["latest"] and versions[1]["aliases"] == []
    assert "latest/" in git(project, "show", "gh-pages:index.html")


def test_republishing_an_edition_is_refused_and_changes_nothing(published):
    project, _ = published
    head = git(project, "rev-parse", "gh-pages")
    again = release(project, "2026.10", tag=False)
    assert again.returncode == 2
    assert "edition 2026.10 already exists on gh-pages and is never overwritten" in again.stderr
    assert "2026.10-2" in again.stderr
    assert git(project, "rev-parse", "gh-pages") == head


def test_bad_and_backdated_editions_are_refused(published):
    project, _ = published
    assert "not of the form YYYY.MM" in release(project, "v2", tag=False).stderr
    assert "older than the latest" in release(project, "2026.09", tag=False).stderr


def test_each_edition_records_its_values_and_vintages(published):
    project, _ = published
    old = json.loads(git(project, "show", "gh-pages:2026.10/edition.json"))
    new = json.loads(git(project, "show", "gh-pages:2026.11/edition.json"))
    value = lambda rec: next(o["value"] for o in rec["indicators"]["us_kor_balance"]  # noqa: E731
                             if o["period"] == "2024")
    assert (old["edition"], value(old)) == ("2026.10", pytest.approx(-65.9669))
    assert (new["edition"], value(new)) == ("2026.11", pytest.approx(-65.686))
    moved, data = editions.changes(old, new)
    assert data == ["us_korea_goods_trade"]
    assert {(c.indicator, c.period, c.cause) for c in moved} >= {
        ("us_kor_balance", "2024", "data revision"), ("us_kor_imports", "2024", "data revision"),
        ("mirror_gap_kor_exports_to_us", "2024", "data revision")}


def test_what_changed_page_lists_the_revision(published):
    project, _ = published
    page = git(project, "show", "gh-pages:2026.11/about/changes/index.html")
    assert "Compared with edition <strong>2026.10</strong>" in page
    assert "\u2212$65.967 bn" in page and "\u2212$65.686 bn" in page and "data revision" in page


def test_pages_carry_the_switcher_edition_and_canonical_url(published):
    project, _ = published
    page = git(project, "show", "gh-pages:2026.10/briefings/tariffs/index.html")
    assert '"provider": "mike"' in page or '"provider":"mike"' in page
    assert 'rel="canonical" href="https://example.org/korea-us-briefings/2026.10/briefings/tariffs/"' in page
    assert "(Figure 1; Version 2026.10)" in page  # the figure's cite block names its edition
    assert ("https://example.org/korea-us-briefings/2026.10/briefings/tariffs/"
            "#figure-us_kor_duty_rate_annual") in page
    assert 'data-md-component="outdated"' in page  # Material shows it on non-latest editions


def test_each_edition_has_its_own_sitemap(published):
    project, _ = published
    for edition in ("2026.10", "2026.11"):
        sitemap = git(project, "show", f"gh-pages:{edition}/sitemap.xml")
        assert f"https://example.org/korea-us-briefings/{edition}/briefings/tariffs/" in sitemap


def test_a_changed_dataset_is_published_again_and_unchanged_files_are_not(published):
    project, _ = published
    old, new = tree(project, "_shared"), {}
    commits = git(project, "rev-list", "--reverse", "gh-pages").split()
    first = {p for p in git(project, "ls-tree", "-r", "--name-only", commits[0], "_shared").split()}
    added = {p for p in old if p not in first}
    names = {p.rsplit("/", 1)[-1] for p in added}
    assert "annual.csv" in names  # the 2026 Census release changed us_korea_goods_trade
    assert not names & {"vega.min.js", "KUBPortalSans-Regular.ttf", "hs10.csv", "daily.csv"}
    page = git(project, "show", "gh-pages:2026.11/data/us_korea_goods_trade/index.html")
    linked = [p for p in added if p.endswith("/annual.csv")]
    assert any(p.split("/")[1] in page for p in linked)  # the page links the new copy


def test_switcher_lists_editions_and_older_edition_shows_the_banner(published, browser, tmp_path):
    project, _ = published
    with serve(export_gh_pages(project, tmp_path)) as root:
        page = browser.new_page()
        watch = Watch(page, root)
        page.goto(root, wait_until="load")  # the root redirects to the latest edition
        page.wait_for_url("**/latest/")
        assert page.locator("[data-md-component=outdated]").count() == 1  # a page, not a stub
        page.goto(root + "2026.10/briefings/tariffs/", wait_until="load")
        page.wait_for_selector(".md-version__list", state="attached")
        editions_listed = page.locator(".md-version__list .md-version__link").all_text_contents()
        listed = [" ".join(e.split()) for e in editions_listed]
        assert listed[0].startswith("2026.11") and listed[0].endswith("latest")  # alias shown
        assert listed[1] == "2026.10"
        assert page.locator("[data-md-component=outdated]").is_visible()
        page.goto(root + "latest/briefings/tariffs/", wait_until="load")
        page.wait_for_selector(".md-version__list", state="attached")
        assert not page.locator("[data-md-component=outdated]").is_visible()
        assert watch.errors == [] and watch.outside == []
        page.close()


def test_pages_unchanged_since_the_previous_edition_redirect_to_it(published):
    """The 2026 Census release changed US–Korea trade only: the pages it feeds are published
    in full, the methodology is a redirect to 2026.10, and `latest/` stays a full copy."""
    project, _ = published
    stub = git(project, "show", "gh-pages:2026.11/about/methodology/index.html")
    assert '<meta name="portal-since" content="2026.10">' in stub and len(stub) < 1500
    assert 'url=../../../2026.10/about/methodology/' in stub
    full = git(project, "show", "gh-pages:2026.11/briefings/trade-balance/index.html")
    assert '<meta name="portal-content"' in full and "portal-since" not in full
    assert "\u2212$65.686 bn" in full or "65.686" in full
    names = git(project, "ls-tree", "-r", "--name-only", "gh-pages", "2026.11/briefings").split()
    assert "2026.11/briefings/trade-balance/trade-balance.pdf" in names
    for path in names:  # a redirected briefing's PDF is its earlier edition's
        if path.endswith("/index.html") and "portal-since" in git(project, "show", f"gh-pages:{path}"):
            assert path.replace("index.html", path.split("/")[-2] + ".pdf") not in names
    latest = git(project, "show", "gh-pages:latest/about/methodology/index.html")
    assert "<h1" in latest and "portal-since" not in latest
    sitemap = git(project, "show", "gh-pages:2026.11/sitemap.xml")
    assert "https://example.org/korea-us-briefings/2026.11/about/methodology/" in sitemap


def test_a_redirect_keeps_the_reader_on_the_section_and_instant_navigation_follows_it(
        published, browser, tmp_path):
    project, _ = published
    with serve(export_gh_pages(project, tmp_path)) as root:
        page = browser.new_page()
        watch = Watch(page, root)
        page.goto(root + "2026.11/about/methodology/#rounding", wait_until="load")
        page.wait_for_url("**/2026.10/about/methodology/#rounding")
        assert page.locator("article h1").first.inner_text().startswith("Methodology")
        page.goto(root + "2026.11/briefings/trade-balance/", wait_until="load")
        page.locator(".md-nav--primary a[href$='about/methodology/']").first.click()
        page.wait_for_url("**/2026.10/about/methodology/")
        page.wait_for_selector("article h1")
        assert page.locator("article h1").first.inner_text().startswith("Methodology")
        assert watch.errors == [] and watch.outside == []
        page.close()


@pytest.fixture(scope="module")
def published_ko(published):
    """The same releases, for the tests of their Korean editions."""
    return published[0]


def test_korean_pages_switch_editions_and_stay_korean_in_chromium(published_ko, browser, tmp_path):
    """Material's switcher would read <edition>/versions.json, which mike does not write: on a
    Korean page the switcher (editions.js) lists mike's editions, an older edition shows the
    Korean banner, and choosing an edition lands on the same Korean page of that edition."""
    root_files = export_gh_pages(published_ko, tmp_path)
    assert (root_files / "2026.10/ko/briefings/trade-balance/index.html").exists()
    assert not (root_files / "2026.10/versions.json").exists()  # what Material would read
    with serve(root_files) as root:
        page = browser.new_page()
        watch = Watch(page, root)
        page.goto(root + "2026.10/ko/briefings/trade-balance/", wait_until="load")
        page.wait_for_selector(".md-version__list", state="attached")
        links = page.locator(".md-version__list .md-version__link")
        listed = [" ".join(t.split()) for t in links.all_text_contents()]
        assert listed[0].startswith("2026.11") and listed[0].endswith("latest")
        assert listed[1] == "2026.10"
        assert page.locator(".md-version__current").inner_text().strip() == "2026.10"
        banner = page.locator("[data-md-component=outdated]")
        assert banner.is_visible() and "최신 판" in banner.inner_text()
        page.locator(".md-header .md-version").hover()
        links.first.click()
        page.wait_for_url(root + "2026.11/ko/briefings/trade-balance/")
        assert page.evaluate("document.documentElement.lang") == "ko"
        assert not page.locator("[data-md-component=outdated]").is_visible()
        assert page.locator(".md-version__current").inner_text().startswith("2026.11")
        # back to the older edition, from a page unchanged since it (a redirect in 2026.11)
        page.goto(root + "latest/ko/about/methodology/", wait_until="load")
        page.wait_for_selector(".md-version__list", state="attached")
        page.locator(".md-header .md-version").hover()
        page.locator(".md-version__list .md-version__link").nth(1).click()
        page.wait_for_url(root + "2026.10/ko/about/methodology/")
        assert page.evaluate("document.documentElement.lang") == "ko"
        assert watch.errors == [] and watch.outside == []
        page.close()
