"""One engine, three site generators: the portal built with ProperDocs and with Zensical is the
MkDocs build (the `site` fixture), page by page, in every number (data-value and the attributes
that say which observation it is), every figure id and every citation record (Highwire tags,
JSON-LD, each number's CSL record, each cite block's formatted text) and every heading's id
(the fragment a citation of a section names). The generated pages come
from the engine's build step, outside docs/ and never committed."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent
ZENSICAL_PYTHON = ROOT / ".venv-zensical" / "bin" / "python"
# Theme pages of one generator that another does not make (no briefing content on them).
ONLY_THEME = {"404.html"}
HEADINGS = {f"h{n}" for n in range(1, 7)}


class _Page(HTMLParser):
    """What must agree across generators, read from one page's HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.numbers, self.figures, self.citations, self.anchors = [], [], [], []
        self._text_of = None  # (kind, depth) while inside a cite text element or JSON-LD
        self._depth, self._buffer = 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._depth += 1
        if "data-value" in a:
            self.numbers.append(tuple(sorted((k, v) for k, v in a.items()
                                             if k.startswith("data-") and k != "data-citation")))
        if "data-citation" in a:
            self.citations.append(("csl", json.loads(a["data-citation"])))
        if tag in HEADINGS and a.get("id"):
            self.anchors.append(a["id"])
        if tag == "figure" and "portal-figure" in (a.get("class") or ""):
            self.figures.append(a.get("id"))
        if tag == "meta" and (a.get("name") or "").startswith("citation_"):
            self.citations.append(("highwire", a["name"], a.get("content")))
        if (tag == "script" and a.get("type") == "application/ld+json") or \
                "data-style" in a or ("data-format" in a and tag == "code"):
            self._text_of = (a.get("data-style") or a.get("data-format") or "jsonld", self._depth)
            self._buffer = []

    def handle_endtag(self, tag):
        if self._text_of and self._text_of[1] == self._depth:
            kind, text = self._text_of[0], "".join(self._buffer)
            self.citations.append((kind, json.loads(text) if kind == "jsonld" else text))
            self._text_of = None
        self._depth -= 1

    def handle_data(self, data):
        if self._text_of:
            self._buffer.append(data)


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def compare(reference: Path, other: Path) -> dict:
    """Per page of `reference`: do numbers, figures, citations and heading ids match those of
    `other`?"""
    counts = {"pages": 0, "numbers": 0, "figures": 0, "citations": 0, "anchors": 0}
    differences = []
    pages = sorted(p.relative_to(reference) for p in reference.rglob("*.html")
                   if p.relative_to(reference).as_posix() not in ONLY_THEME
                   and p.relative_to(reference).parts[0] != "ko")  # the Korean edition
    for rel in pages:
        if not (other / rel).is_file():
            differences.append(f"{rel}: missing")
            continue
        mine, theirs = read_page(reference / rel), read_page(other / rel)
        counts["pages"] += 1
        for kind in ("numbers", "figures", "citations", "anchors"):
            a, b = getattr(mine, kind), getattr(theirs, kind)
            if a == b:
                counts[kind] += len(a)
            else:
                first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                differences.append(f"{rel}: {kind}: {len(a)} vs {len(b)}; first difference "
                                   f"#{first}: {a[first:first + 1]} vs {b[first:first + 1]}")
    return {"counts": counts, "differences": differences}


def _run(cmd, out: Path, languages: str) -> subprocess.CompletedProcess:
    # PDFs as the `site` fixture makes them (printed when Chromium is there): pages link them
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
           "PORTAL_LANGUAGES": languages}
    env.pop("PORTAL_DATA_DIR", None)
    return subprocess.run([*map(str, cmd), "-d", str(out)], cwd=ROOT, capture_output=True,
                          text=True, env=env)


@pytest.fixture(scope="module")
def other_builds(site, tmp_path_factory) -> dict[str, Path]:
    """The portal built with ProperDocs (its English site) and with Zensical (English and
    Korean, as `make build ENGINE=zensical` builds it), side by side (two processes)."""
    assert ZENSICAL_PYTHON.exists(), ".venv-zensical is missing: run `make .venv-zensical/.installed`"
    folder = tmp_path_factory.mktemp("platforms")
    commands = {"properdocs": ([BIN / "properdocs", "build", "--strict"], "en"),
                "zensical": ([ZENSICAL_PYTHON, ROOT / "scripts" / "build_site.py", "zensical"],
                             "en,ko")}
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(commands, pool.map(
            lambda item: _run(item[1][0], folder / item[0], item[1][1]), commands.items())))
    for name, result in results.items():
        assert result.returncode == 0, f"{name} build failed:\n{result.stderr[-4000:]}"
    # the engine's own messages reach the author without MkDocs too, in its form, per language
    assert len(re.findall(r"^INFO    -  PDF: \d+ briefing\(s\), ", results["zensical"].stderr,
                          re.M)) == 2, results["zensical"].stderr[-4000:]
    return {name: folder / name for name in commands}


@pytest.mark.parametrize("platform", ["properdocs", "zensical"])
def test_every_page_has_the_same_numbers_figures_and_citations(site, other_builds, platform):
    result = compare(site, other_builds[platform])
    counts = result["counts"]
    print(platform, counts)
    assert not result["differences"], "\n".join(result["differences"][:20])
    assert counts["pages"] >= 40 and counts["numbers"] > 200 and counts["figures"] > 30
    assert counts["anchors"] > 100


def _switcher(path: Path) -> list[str]:
    """The language switcher's and the hreflang alternates' links of a page."""
    text = path.read_text(encoding="utf-8")
    return re.findall(r'<a href="([^"]*)" hreflang="([a-z]+)" class="md-select__link"', text) + \
        re.findall(r'<link rel="alternate" href="([^"]*)" hreflang="([a-z]+)">', text)


def test_zensical_builds_the_korean_edition_with_the_same_numbers_and_switcher(site, other_builds):
    """Zensical runs no hooks: the Korean build's steps (macros/language_builds.py) run from the
    engine's build, so its Korean pages, the generated indicator and dataset pages among them,
    match MkDocs' page by page, switcher links included."""
    zensical = other_builds["zensical"]
    result = compare(site / "ko", zensical / "ko")
    print(result["counts"])
    assert not result["differences"], "\n".join(result["differences"][:20])
    from macros import build
    assert result["counts"]["pages"] == len(list((ROOT / "docs-ko").rglob("*.md"))) + \
        len(build.generated_sources())  # its own pages and the generated ones, in Korean
    for rel in ("ko/indicators/us_kor_balance/index.html", "ko/data/reported_figures/index.html"):
        assert read_page(zensical / rel).figures == read_page(site / rel).figures
        assert '<html lang="ko"' in (zensical / rel).read_text(encoding="utf-8")
    assert result["counts"]["numbers"] > 50
    assert result["counts"]["anchors"] > 40  # the Hangul ids of mkdocs.ko.yml's slugify
    pages = [p.relative_to(site) for p in site.rglob("index.html")
             if p.relative_to(site).parts[0] != "assets"]
    assert any(p.parts[0] == "ko" for p in pages) and any(p.parts[0] != "ko" for p in pages)
    for rel in pages:
        links = _switcher(site / rel)
        assert links, f"{rel}: no language switcher"
        assert _switcher(zensical / rel) == links, rel
    # a generated page offers its Korean page; a Korean page its English original
    assert ("../../ko/indicators/us_kor_balance/", "ko") in \
        _switcher(zensical / "indicators/us_kor_balance/index.html")
    assert ("../../../indicators/us_kor_balance/", "en") in \
        _switcher(zensical / "ko/indicators/us_kor_balance/index.html")
    assert ("../../../briefings/investment/", "en") in \
        _switcher(zensical / "ko/briefings/investment/index.html")
    assert (zensical / "ko/assets/stylesheets/noto-sans-kr.css").is_file()


@pytest.mark.parametrize("platform", ["properdocs", "zensical"])
def test_site_outputs_and_edition_record_are_the_same(site, other_builds, platform):
    other = other_builds[platform]
    records = {name: json.loads((root / "edition.json").read_text())
               for name, root in (("mkdocs", site), (platform, other))}
    built_with = {name: rec.pop("built_with") for name, rec in records.items()}
    assert records[platform] == records["mkdocs"]  # the same edition, whichever tool built it
    assert {name: b["generator"] for name, b in built_with.items()} == \
        {"mkdocs": "mkdocs", platform: platform}
    assert built_with[platform]["packages"][platform] and built_with["mkdocs"]["lock"]["sha256"]
    assert (other / "api/indicators.json").read_bytes() == (site / "api/indicators.json").read_bytes()
    shipped = lambda root: sorted(p.relative_to(root).as_posix()  # noqa: E731
                                  for sub in ("api", "data", "assets/figures", "assets/vendor")
                                  for p in (root / sub).rglob("*") if p.is_file()
                                  and not p.name.endswith(".pdf"))
    assert shipped(other) == shipped(site)


def test_generated_pages_are_written_outside_docs_and_never_committed(site):
    from macros import build, datasets, indicators
    folder = build.build_dir() / "pages"
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.md"))
    assert written == sorted([*(f"indicators/{i}.md" for i in indicators.REGISTRY),
                              *(f"data/{d}.md" for d in datasets.ids())])
    assert not folder.resolve().is_relative_to((ROOT / "docs").resolve())
    for src in written:
        assert not (ROOT / "docs" / src).exists(), src
    ignored = subprocess.run(["git", "check-ignore", "-q", str(folder / written[0])], cwd=ROOT)
    assert ignored.returncode == 0, f"{folder} is not gitignored"
    tracked = subprocess.run(["git", "ls-files", "--", ".cache"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    assert tracked == ""


class _Links(HTMLParser):
    """The site-relative URLs a page links or loads (a, img, link, script, a picture's source,
    and the figure spec figures.js fetches)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        urls = [a.get("href") if tag in ("a", "link") else a.get("src")
                if tag in ("img", "script") else None, a.get("data-spec"),
                a.get("srcset") if tag == "source" else None]
        self.urls += [u for u in urls if u and not u.startswith(
            ("#", "http:", "https:", "mailto:", "data:", "/"))]


_ID = re.compile(r'\sid="([^"]*)"')


def broken_links(root: Path) -> list[str]:
    """Every relative link of every page that names no built file, or a fragment its page does
    not have (value() links to #p-<period>, a page may link a heading): each generator resolves
    the links macros write in its own way (Zensical rewrites them as if written in the Markdown
    file), so a link that is right on one can point above the site root on another."""
    broken, ids = [], {}
    for page in sorted(root.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in dict.fromkeys(parser.urls):
            path, _, fragment = url.partition("#")
            target = (page.parent / path.split("?")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(root.resolve()) or not target.is_file():
                broken.append(f"{page.relative_to(root)}: {url}")
            elif fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(_ID.findall(target.read_text(encoding="utf-8")))
                if unquote(fragment) not in ids[target]:
                    broken.append(f"{page.relative_to(root)}: {url} (no such id)")
    return broken


@pytest.mark.parametrize("platform", ["mkdocs", "properdocs", "zensical"])
def test_every_relative_link_names_a_built_file(site, other_builds, platform):
    root = site if platform == "mkdocs" else other_builds[platform]
    broken = broken_links(root)
    assert not broken, f"{len(broken)} broken on {platform}:\n" + "\n".join(broken[:20])
