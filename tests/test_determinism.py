"""Byte-identical rebuilds on any machine: the charts take every glyph from the portal's own font
files (a family name no system font has), and two strict builds, one with warm caches in the
repository and one cold in a copy of it elsewhere, write the same bytes, briefing PDFs included:
dated by SOURCE_DATE_EPOCH, linking the edition's permanent URLs, with only the portal's fonts."""
from __future__ import annotations

import datetime
import os
import re
import shutil
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import CHROMIUM, ROOT, differing_files
from macros import artefacts, figures, pdf, theme
from macros.errors import PortalError

EPOCH = "1780000000"  # a fixed SOURCE_DATE_EPOCH for both builds


def _cmap(path: Path) -> set[int]:
    """The code points a TrueType font maps (cmap formats 4 and 12)."""
    data = path.read_bytes()
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack(">II", data[20 + 16 * i:28 + 16 * i])
              for i in range(struct.unpack(">H", data[4:6])[0])}
    offset = tables[b"cmap"][0]
    points: set[int] = set()
    for i in range(struct.unpack(">H", data[offset + 2:offset + 4])[0]):
        sub = offset + struct.unpack(">I", data[offset + 8 + 8 * i:offset + 12 + 8 * i])[0]
        kind = struct.unpack(">H", data[sub:sub + 2])[0]
        if kind == 4:
            segs = struct.unpack(">H", data[sub + 6:sub + 8])[0] // 2
            ends = struct.unpack(f">{segs}H", data[sub + 14:sub + 14 + 2 * segs])
            starts = struct.unpack(f">{segs}H", data[sub + 16 + 2 * segs:sub + 16 + 4 * segs])
            for start, end in zip(starts, ends):
                points.update(range(start, end + 1))
        elif kind == 12:
            groups = struct.unpack(">I", data[sub + 12:sub + 16])[0]
            for g in range(groups):
                start, end, _ = struct.unpack(">III", data[sub + 16 + 12 * g:sub + 28 + 12 * g])
                points.update(range(start, end + 1))
    points.discard(0xFFFF)
    return points


def test_charts_name_only_the_portals_font_family():
    family = theme.FONT.split(",")[0].strip()
    assert family == "KUB Portal Sans"
    fonts = sorted(artefacts.FONT_DIR.glob("*.ttf"))
    assert [f.name for f in fonts] == ["KUBPortalSans-Bold.ttf", "KUBPortalSans-Regular.ttf"]
    for font in fonts:  # the family name is in the files' name table (UTF-16BE for Windows)
        assert family.encode("utf-16-be") in font.read_bytes()


def test_no_installed_font_has_the_portals_family_name():
    fc_list = shutil.which("fc-list")
    if not fc_list:
        pytest.skip("fontconfig's fc-list is not installed")
    installed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True).stdout
    assert "KUB Portal Sans" not in installed


def test_every_glyph_of_every_chart_is_in_the_portals_font():
    """No character of a chart's text needs a fallback font (which would be the system's)."""
    covered = _cmap(artefacts.FONT_DIR / "KUBPortalSans-Regular.ttf") & \
        _cmap(artefacts.FONT_DIR / "KUBPortalSans-Bold.ttf")
    missing = {}
    for figure in figures.REGISTRY.values():
        svg = artefacts.svg(figure)
        assert "font-family" in svg and "Liberation" not in svg
        for family in re.findall(r'font-family="([^"]*)"', svg):
            assert family.split(",")[0].strip() == "KUB Portal Sans", (figure.id, family)
        text = "".join(re.findall(r">([^<>]*)</text>", svg))
        text = re.sub(r"&(#x?[0-9a-fA-F]+|\w+);", " ", text)
        for char in set(text) - {"\n"}:
            if ord(char) not in covered:
                missing.setdefault(char, figure.id)
    assert not missing, missing


def _build(project: Path, site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH,
           "PORTAL_LANGUAGES": "en"}  # English alone: each build of site/ko/ costs time
    env.pop("PORTAL_DATA_DIR", None)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                            cwd=project, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The site built in the repository (warm caches) and in a copy elsewhere (cold caches:
    every dataset validated and every figure rendered anew)."""
    tmp = tmp_path_factory.mktemp("determinism")
    _build(ROOT, tmp / "a")
    copy = tmp / "elsewhere" / "project"
    copy.mkdir(parents=True)
    for name in ("mkdocs.yml", "requirements.lock", "requirements-zensical.lock"):
        shutil.copy(ROOT / name, copy)  # the locks: edition.json records which built it
    for name in ("macros", "docs", "overrides"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("data", "node_modules"):
        (copy / name).symlink_to(ROOT / name)
    _build(copy, tmp / "b")
    return tmp / "a", tmp / "b"


def test_two_builds_are_byte_identical(two_builds):
    different = [p for p in differing_files(*two_builds) if not p.endswith(".pdf")]
    assert not different, different


def _pdfs(site: Path) -> list[Path]:
    pdfs = sorted(site.glob("briefings/*/*.pdf"))
    if not pdfs and not CHROMIUM.exists():
        pytest.skip("no Chromium: the build prints no PDFs (`make browser`)")
    assert pdfs, "Chromium is installed but the build printed no briefing PDF"
    return pdfs


def test_briefing_pdfs_are_byte_identical(two_builds):
    """Printed twice (warm and cold caches, another folder, another print), byte for byte."""
    pdfs = _pdfs(two_builds[0])
    assert len(pdfs) == len(list(two_builds[0].glob("briefings/*/index.html")))
    different = [p for p in differing_files(*two_builds) if p.endswith(".pdf")]
    assert not different, different


def _info(data: bytes) -> dict[str, bytes]:
    number = re.search(rb"/Info (\d+) 0 R", data[data.rfind(b"trailer"):])[1]
    body = re.search(rb"[\r\n]%s 0 obj\s*<<(.*?)>>\s*endobj" % number, data, re.S)[1]
    return {k.decode(): v for k, v in re.findall(rb"/(\w+)\s*(\((?:\\.|[^\\)])*\))", body)}


def test_briefing_pdfs_are_dated_by_source_date_epoch(two_builds):
    stamp = datetime.datetime.fromtimestamp(int(EPOCH), datetime.timezone.utc)
    expected = f"(D:{stamp:%Y%m%d%H%M%S}+00'00')".encode()
    for path in _pdfs(two_builds[0]):
        data = path.read_bytes()
        info = _info(data)
        assert info["CreationDate"] == info["ModDate"] == expected, (path.name, info)
        offset = int(re.search(rb"startxref\s+(\d+)", data[data.rfind(b"startxref"):])[1])
        assert data[offset:offset + 4] == b"xref"  # the dates were set in place
        entries = re.findall(rb"(\d{10}) 00000 n", data[offset:])
        for number, entry in enumerate(entries, start=1):  # every object where the xref says
            assert data[int(entry):].startswith(b"%d 0 obj" % number), (path.name, number)


def _edition_root(site: Path, page: Path) -> str:
    """The edition's root URL: the briefing's canonical (permanent) URL less its path."""
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page.read_text())[1]
    path = page.parent.relative_to(site).as_posix() + "/"
    assert canonical.endswith("/" + path), (canonical, path)
    return canonical[:-len(path)]


def test_briefing_pdf_links_are_the_editions_permanent_urls(two_builds):
    """Every link of a PDF is the edition's permanent URL of a page (and anchor) the edition
    has, or an external link the page itself has: none to the print server or localhost."""
    site = two_builds[0]
    for path in _pdfs(site):
        page = path.parent / "index.html"
        root = _edition_root(site, page)
        canonical = root + page.parent.relative_to(site).as_posix() + "/"
        hrefs = {urljoin(canonical, unescape(h)) for h in re.findall(r'href="([^"]*)"',
                                                                     page.read_text())}
        uris = [u.decode("latin-1") for u in re.findall(rb"/URI \(([^)]*)\)", path.read_bytes())]
        assert len(uris) >= 10, (path.name, uris)
        for uri in uris:
            parts = urlsplit(uri)
            assert parts.scheme in ("http", "https") and parts.hostname not in \
                ("127.0.0.1", "localhost", "::1", "0.0.0.0"), (path.name, uri)
            assert uri in hrefs, (path.name, uri)  # a link of the page, resolved at its URL
            if not uri.startswith(root):
                continue  # outside the edition: a source, or another edition
            target = site / parts.path[len(urlsplit(root).path):]
            target = target / "index.html" if target.is_dir() else target
            assert target.is_file(), (path.name, uri)
            if parts.fragment and target.suffix == ".html":
                assert f'id="{parts.fragment}"' in target.read_text(), (path.name, uri)


def test_briefing_pdfs_embed_only_the_portals_fonts(two_builds):
    """Every font of every PDF is a subset of KUB Portal Sans (docs/assets/fonts/), embedded:
    no glyph from the build machine's fonts, one copy of each weight for text and charts."""
    for path in _pdfs(two_builds[0]):
        data = path.read_bytes()
        assert b"/ObjStm" not in data, path.name  # every font dictionary is readable below
        base = re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", data)
        names = re.findall(rb"/FontName\s*/([^\s/<>\[\]()]+)", data)
        fonts = {re.sub(rb"^[A-Z]{6}\+", b"", n).decode() for n in base + names}
        assert fonts == {"KUBPortalSans-Regular", "KUBPortalSans-Bold"}, (path.name, fonts)
        assert len(names) == 2 and data.count(b"/FontFile2 ") == 2, (path.name, names)
        assert set(pdf.fonts(data)) == fonts


def test_pdf_font_check_names_the_characters_from_another_font(two_builds):
    data = _pdfs(two_builds[0])[0].read_bytes().replace(b"KUBPortalSans-Bold", b"DejaVuSans-Bold")
    with pytest.raises(PortalError, match=r"briefings/x/: .*DejaVuSans-Bold: '.' \(U\+00"):
        pdf.check_fonts("briefings/x/", data)


# --- the print's pieces, without a build ------------------------------------------------------

def test_set_dates_keeps_the_pdfs_length():
    data = (b"%PDF-1.4\n1 0 obj\n<</Title (a \\(b\\) >> c)\n/CreationDate (D:20261201094719+09'00')"
            b"\n/ModDate (D:20261201094719+09'00')>>\nendobj\ntrailer\n<</Size 2\n/Info 1 0 R>>\n")
    when = datetime.datetime(2026, 5, 28, 20, 26, 40, tzinfo=datetime.timezone.utc)
    out = pdf.set_dates(data, when)
    assert len(out) == len(data)
    assert out.count(b"(D:20260528202640+00'00')") == 2 and b"(a \\(b\\) >> c)" in out
    with pytest.raises(PortalError, match="without an Info dictionary"):
        pdf.set_dates(b"%PDF-1.4\ntrailer\n<</Size 1>>\n", when)


def test_pdf_timestamp_is_source_date_epoch_else_the_editions_day(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert pdf.timestamp() == datetime.datetime(2026, 5, 28, 20, 26, 40,
                                                tzinfo=datetime.timezone.utc)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    today = datetime.datetime.now(datetime.timezone.utc).date()
    assert pdf.timestamp().date() in (today, datetime.date.today())
    assert pdf.timestamp().time() == datetime.time(0, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(PortalError, match="SOURCE_DATE_EPOCH='yesterday': not a Unix time"):
        pdf.timestamp()


def test_a_build_without_source_date_epoch_keeps_the_day_it_started_on(monkeypatch):
    """Undated (a direct `mkdocs build`), a build is dated the day it first asks, to its end:
    a page rendered after midnight is not dated a day after the one before it."""
    from macros import citations, runtime
    clock = [datetime.datetime(2026, 12, 1, 23, 59, 59, tzinfo=datetime.timezone.utc)]
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setattr(citations, "_now", lambda: clock[0])
    runtime.reset()
    try:
        assert citations.build_date() == datetime.date(2026, 12, 1)
        clock[0] += datetime.timedelta(seconds=2)  # past midnight, in the same build
        assert citations.build_date() == datetime.date(2026, 12, 1)
        assert pdf.timestamp() == datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)
        runtime.reset()  # the next build
        assert citations.build_date() == datetime.date(2026, 12, 2)
    finally:
        monkeypatch.undo()
        runtime.reset()


@pytest.mark.parametrize("given", [None, EPOCH])
def test_make_dates_all_it_runs_by_one_day_unless_the_caller_gave_a_time(given):
    """What `make build` (both editions) and `make test` (every build) are dated by: the
    caller's SOURCE_DATE_EPOCH as given, else the start of today, UTC, fixed once per `make`."""
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "MAKEFLAGS")}
    if given:
        env["SOURCE_DATE_EPOCH"] = given
    shown = subprocess.run(["make", "-s", "--eval", "show-epoch: ; @echo $$SOURCE_DATE_EPOCH",
                            "show-epoch"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    if given:
        assert shown.stdout.strip() == given
    else:
        day = datetime.datetime.fromtimestamp(int(shown.stdout), datetime.timezone.utc)
        assert day.time() == datetime.time(0, 0)
        now = datetime.datetime.now(datetime.timezone.utc)
        assert datetime.timedelta(0) <= now - day < datetime.timedelta(days=1, minutes=1)


def test_print_requests_are_answered_from_the_site_or_aborted(tmp_path):
    """The print's route: the edition's URLs from the built files, 404 for a missing one,
    anything else (another host, the site root above the edition) aborted."""
    (tmp_path / "briefings" / "x").mkdir(parents=True)
    (tmp_path / "briefings" / "x" / "index.html").write_text("<p>x</p>")
    (tmp_path / "a.svg").write_text("<svg/>")
    root = "https://example.org/r/2026.11/"

    class Route:
        def __init__(self, url):
            self.request = type("Request", (), {"url": url})()
            self.result = None

        def abort(self, reason=None):
            self.result = ("abort",)

        def fulfill(self, status, body, content_type):
            self.result = (status, body, content_type)

    aborted: list[str] = []
    handle = pdf._serve(tmp_path, root, aborted)
    answers = {}
    for url in [root + "briefings/x/", root + "briefings/x/index.html?v=1#top", root + "a.svg",
                root + "missing.css", root + "briefings/x/%2e%2e/%2e%2e/a.svg",
                "https://example.org/r/versions.json", "http://127.0.0.1:8000/r/2026.11/a.svg",
                "https://cdn.example.com/font.woff2"]:
        route = Route(url)
        handle(route)
        answers[url] = route.result
    assert answers[root + "briefings/x/"] == (200, b"<p>x</p>", "text/html; charset=utf-8")
    assert answers[root + "briefings/x/index.html?v=1#top"][0] == 200
    assert answers[root + "a.svg"] == (200, b"<svg/>", "image/svg+xml")
    assert answers[root + "missing.css"][0] == 404
    assert answers[root + "briefings/x/%2e%2e/%2e%2e/a.svg"][0] == 404
    assert aborted == [u for u, r in answers.items() if r == ("abort",)] == [
        "https://example.org/r/versions.json", "http://127.0.0.1:8000/r/2026.11/a.svg",
        "https://cdn.example.com/font.woff2"]


def test_print_css_quotes_the_url_as_a_css_string():
    css = pdf.print_css('https://x.org/a"b\\c/\n')
    assert 'content: "https://x.org/a\\"b\\\\c/";' in css
    assert '"KUB Portal Sans" !important' in css


def test_a_browser_that_exits_is_an_error_not_a_hang(tmp_path):
    """The printer's DevTools pipe (macros/cdp.py): a browser that exits at once is reported."""
    from macros import cdp
    browser = cdp.Browser(Path("/bin/false"), [])
    with pytest.raises(PortalError, match="Chromium closed its DevTools pipe"):
        browser.call("Target.getTargets")
    browser.close()


def test_an_unchanged_briefing_is_not_printed_again_and_a_changed_chart_is(site, tmp_path,
                                                                          monkeypatch):
    """The PDF cache (pdf._cached): the same inputs give the stored bytes without Chromium;
    a changed file the print read (here the chart's SVG) prints again."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    monkeypatch.setattr(pdf, "CACHE_DIR", tmp_path / "pdf-cache")
    url = "briefings/trade-balance/"
    monkeypatch.setattr(pdf, "PLANNED", {url: "https://example.org/korea-us-briefings/" + url})
    printed = []
    real_print = pdf._print

    def write(site_dir):  # in a thread: the session's browser fixture holds this thread's loop
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(pdf.write, site_dir).result()
    monkeypatch.setattr(pdf, "_print", lambda *a: printed.append(1) or real_print(*a))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = write(copy)[0].read_bytes()
    assert printed == [1] and first.startswith(b"%PDF-")
    (copy / pdf.pdf_path(url)).unlink()
    assert write(copy)[0].read_bytes() == first and printed == [1]  # from the cache
    svg = copy / "assets/figures/us_kor_trade_history.svg"
    svg.write_text(svg.read_text().replace("</svg>", '<rect width="9" height="9"/></svg>'))
    write(copy)
    assert printed == [1, 1]  # the chart changed: printed again
