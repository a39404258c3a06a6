"""Citations as reference managers read them: every BibTeX, RIS and CSL-JSON the site ships
parses with two independent parsers (bibtexparser and citation-js, rispy and citation-js, json
and citation-js) into the title, organisation author, date, edition, URL and item type the page
shows; the APA and Chicago text on the page is citeproc-py's output for the shipped record;
Highwire tags follow Google Scholar's guidelines; a preview says so; the feed links editions.
"""
from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import bibtexparser
import lxml.html
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from conftest import ROOT, data_url_text, mkdocs_build, serve
from macros import citations

NODE = ROOT / ".venv/bin/node"
CITATION_JS = ROOT / "tests/citation_js.js"
PORTAL = citations.PORTAL
KOREAN_PORTAL = "한미 통상 브리핑"  # the Korean edition's site_name (mkdocs.ko.yml)
SITE_ROOT = "https://portal.test/korea-us-briefings/"  # mike appends the edition to site_url
EDITION_URL = SITE_ROOT + "2026.11/"
CSL_TYPES = {"bibtex": {"techreport": "report", "misc": "document"},
             "ris": {"RPRT": "report", "FIGURE": "figure", "DATA": "dataset"}}


def citation_js(items: list[dict]) -> list:
    """Parse [{"format", "text"}] with citation-js (node); one CSL list (or error) per item."""
    assert NODE.exists() and (ROOT / "node_modules/@citation-js/core").exists(), \
        "citation-js is missing: run `make test` (npm ci of the devDependencies)"
    out = subprocess.run([str(NODE), str(CITATION_JS)], input=json.dumps(items), cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def parse_bibtex(text: str) -> list[dict]:
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return [{"ENTRYTYPE": e.entry_type, "ID": e.key, **{f.key: f.value for f in e.fields}}
            for e in library.entries]


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def cite_blocks(page_html: str) -> list:
    """Every cite block of a page: (its element, {format: shipped text}) per variant."""
    tree = lxml.html.fromstring(page_html)
    blocks = []
    for block in tree.xpath("//*[@data-portal-cite]"):
        for variant in block.xpath("./*[@data-portal-variant]"):
            files = {a.get("data-format"): data_url_text(a.get("href"))
                     for a in variant.xpath(".//a[@download][@data-format]")}
            blocks.append((block, variant, files))
    return blocks


def shipped(site: Path) -> list[tuple[str, str, str]]:
    """(where, format, text) of every BibTeX, RIS and CSL-JSON the built site ships."""
    found = [(name, fmt, (site / name).read_text(encoding="utf-8"))
             for name, fmt in (("citation.bib", "bibtex"), ("citation.ris", "ris"),
                               ("citation.json", "csl"))]
    for path in sorted(site.rglob("index.html")):
        page = path.read_text(encoding="utf-8")
        where = str(path.relative_to(site))
        for _, variant, files in cite_blocks(page):
            found += [(f"{where} {variant.get('data-portal-variant')}", fmt, text)
                      for fmt, text in files.items()]
        for number in lxml.html.fromstring(page).xpath("//@data-citation"):
            found.append((f"{where} number", "csl", json.dumps([json.loads(number)])))
    return found


@pytest.fixture(scope="module")
def edition_site(tmp_path_factory) -> Path:
    """The portal built as edition 2026.11 would be released (URL names the edition)."""
    out = tmp_path_factory.mktemp("edition") / "site"
    versions = out.parent / "versions.json"
    versions.write_text(json.dumps([{"version": "2026.10", "title": "2026.10", "aliases": []}]))
    env = {"MIKE_DOCS_VERSION": "2026.11", "PORTAL_SITE_URL": SITE_ROOT, "PORTAL_PDF": "off",
           "PORTAL_EDITIONS": str(versions), "SOURCE_DATE_EPOCH": "1794700800"}  # 2026-11-15
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = mkdocs_build(ROOT, out)
    finally:
        for k, v in old.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def test_every_shipped_citation_parses_with_two_parsers(site, edition_site):
    for built in (site, edition_site):
        files = shipped(built)
        assert len([f for f in files if f[1] == "bibtex"]) > 40
        parsed = citation_js([{"format": fmt, "text": text} for _, fmt, text in files])
        for (where, fmt, text), cjs in zip(files, parsed):
            assert isinstance(cjs, list) and len(cjs) == 1, (where, cjs)
            cjs = cjs[0]
            # the portal by its name in the page's language: a Korean page's is Korean
            PORTAL = citations.portal_name("ko" if where.startswith("ko/") else "en")
            if fmt == "bibtex":
                (entry,) = parse_bibtex(text)
                assert entry["title"] == cjs["title"], where
                assert entry["url"] == cjs["URL"], where
                assert CSL_TYPES["bibtex"][entry["ENTRYTYPE"]] == cjs["type"], where
                assert entry["author"] == PORTAL, where
                assert "author = {{" in text, where  # one name, braced: never split
            elif fmt == "ris":
                (entry,) = rispy.loads(text)
                assert entry["title"] == cjs["title"] and entry["urls"] == [cjs["URL"]], where
                assert CSL_TYPES["ris"][entry["type_of_reference"]] == cjs["type"], where
                assert entry["authors"] == [PORTAL], where
            else:
                (record,) = json.loads(text)
                assert record["title"] == cjs["title"] and record["type"] == cjs["type"], where
                assert record["URL"] == cjs["URL"], where
            # an organisation, not a person: no given name in either parser's reading
            assert [a.get("literal") or a.get("family") for a in cjs["author"]] == [PORTAL], where
            assert not any(a.get("given") for a in cjs["author"]), where


def test_nothing_shipped_carries_an_accessed_date_placeholder(site, edition_site):
    for built in (site, edition_site):
        for path in built.rglob("*"):
            if path.suffix in {".html", ".bib", ".ris", ".json", ".xml"}:
                text = path.read_text(encoding="utf-8")
                shipped = [text, *(data_url_text(u) for u in
                                   re.findall(r'href="(data:[^",]*;base64,[^"]*)"', text))]
                assert not any("[accessed date]" in unquote(t) for t in shipped), path


def _fields(files: dict) -> dict:
    """Title, author, date, edition, URL and type of one variant, as each parser reads it."""
    (bib,) = parse_bibtex(files["bibtex"])
    (ris,) = rispy.loads(files["ris"])
    (csl,) = json.loads(files["csl"])
    cjs = citation_js([{"format": f, "text": files[f]} for f in ("bibtex", "ris", "csl")])
    return {"bibtex": bib, "ris": ris, "csl": csl, "cjs_bibtex": cjs[0][0], "cjs_ris": cjs[1][0],
            "cjs_csl": cjs[2][0]}


def test_briefing_citation_fields_match_the_page(edition_site):
    page = html(edition_site, "briefings/tariffs")
    title = lxml.html.fromstring(page).xpath("string(//h1)").strip().rstrip("¶").strip()
    block, variant, files = cite_blocks(page[page.index('id="cite-this-page"') - 40:])[0]
    f = _fields(files)
    url = EDITION_URL + "briefings/tariffs/"
    assert f["csl"]["type"] == "report"
    assert f["csl"]["title"] == f["bibtex"]["title"] == f["ris"]["title"] == title
    assert f["csl"]["issued"] == {"date-parts": [[2026, 11, 15]]}
    assert (f["bibtex"]["year"], f["bibtex"]["month"], f["bibtex"]["date"]) == \
        ("2026", "nov", "2026-11-15")
    assert f["ris"]["date"] == "2026/11/15" and f["ris"]["year"] == "2026"
    assert f["cjs_bibtex"]["issued"]["date-parts"][0][:2] == [2026, 11]
    assert f["cjs_ris"]["issued"]["date-parts"] == [[2026, 11, 15]]
    assert f["csl"]["number"] == f["bibtex"]["number"] == f["ris"]["issn"] == "2026.11"
    assert f["cjs_bibtex"]["number"] == "2026.11" and f["cjs_bibtex"]["genre"] == "Edition"
    assert f["csl"]["URL"] == f["bibtex"]["url"] == f["cjs_ris"]["URL"] == url
    assert (f["bibtex"]["ENTRYTYPE"], f["ris"]["type_of_reference"], f["cjs_bibtex"]["type"],
            f["cjs_ris"]["type"]) == ("techreport", "RPRT", "report", "report")
    assert f["bibtex"]["institution"] == PORTAL and "urldate" not in f["bibtex"]
    assert "Preview" not in page


def test_figure_citation_fields_match_the_figure(edition_site):
    page = html(edition_site, "briefings/tariffs")
    tree = lxml.html.fromstring(page)
    fig = tree.xpath("//figure[@class='portal-figure']")[0]
    title = fig.xpath("string(.//figcaption/strong)")
    block, variant, files = next(b for b in cite_blocks(page)
                                 if b[0].get("class") == "portal-figure__cite")
    f = _fields(files)
    assert f["csl"]["type"] == "figure" and f["cjs_ris"]["type"] == "figure"
    assert f["csl"]["title"] == f["bibtex"]["title"] == f["ris"]["title"] == title
    assert f["csl"]["URL"] == EDITION_URL + f"briefings/tariffs/#{fig.get('id')}"
    assert f["csl"]["version"] == f["bibtex"]["version"] == f["ris"]["edition"] == "2026.11"
    assert f["csl"]["container-title"] == f["ris"]["secondary_title"] == \
        tree.xpath("string(//h1)").strip().rstrip("¶").strip()
    assert f["csl"]["number"] == "Figure 1" and "Data: U.S. Census Bureau" in f["csl"]["note"]
    metadata = json.loads((edition_site / f"assets/figures/{fig.get('id')[7:]}.json").read_text())
    assert metadata["citation"] == citations.formatted(f["csl"], "apa")  # one figure citation


def test_number_citation_fields_match_the_number(edition_site):
    page = (edition_site / "index.html").read_text(encoding="utf-8")
    link = lxml.html.fromstring(page).xpath(
        "//a[@data-indicator='us_kor_balance'][@data-period='2025']")[0]
    record = json.loads(link.get("data-citation"))
    (cjs,) = citation_js([{"format": "csl", "text": json.dumps([record])}])[0]
    assert record["type"] == cjs["type"] == "dataset"
    assert record["title"] == cjs["title"] == "US goods trade balance with Korea, 2025"
    assert record["URL"] == EDITION_URL + "indicators/us_kor_balance/#p-2025"
    assert record["version"] == "2026.11" and record["issued"] == {"date-parts": [[2026, 11, 15]]}
    assert record["note"] == "Data: U.S. Census Bureau"
    assert "Cite as: " + citations.formatted(record, "apa") in link.get("title")
    bib = parse_bibtex(citations.bibtex(record))[0]
    assert bib["title"] == record["title"] and bib["version"] == "2026.11"


def _citeproc(record: dict, style: str) -> str:
    """citeproc-py's plain text for `record`, called here directly with the vendored style (and,
    for a Korean record, the portal's Korean terms in it: macros/csl/locale-ko.xml)."""
    import io

    from citeproc import Citation, CitationItem, CitationStylesBibliography, \
        CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    locale = {"ko": "ko-KR"}.get(record.get("language"), "en-US")  # citeproc-py's own locales
    csl = io.BytesIO(citations.style_source(style, locale))
    bib = CitationStylesBibliography(CitationStylesStyle(csl, locale=locale, validate=False),
                                     CiteProcJSON([record]), formatter.plain)
    bib.register(Citation([CitationItem(record["id"])]))
    return str(bib.bibliography()[0])


def test_a_korean_pages_citation_is_in_korean_and_parses_back(site):
    """The cite block of a Korean page and of its figure: Korean title, language ko, Korean
    notes, a key of its own (not the English page's), and each download parses back."""
    title = html(site / "ko", "briefings/tariffs")
    heading = lxml.html.fromstring(title).xpath("string(//h1)").strip().rstrip("¶").strip()
    english_keys = {json.loads(files["csl"])[0]["id"]
                    for _, _, files in cite_blocks(html(site, "briefings/tariffs"))}
    blocks = cite_blocks(title)
    assert len(blocks) >= 2  # the page and its figures
    for i, (_, variant, files) in enumerate(blocks):
        (record,) = json.loads(files["csl"])
        assert record["language"] == "ko" and record["id"] not in english_keys
        assert "_ko_" in record["id"]
        if record["type"] == "report":
            assert record["title"] == heading
        else:
            assert record["container-title"] == heading and record["number"].startswith("그림 ")
        assert record["note"].startswith("자료: ") and "미국 인구조사국" in record["note"]
        (bib,) = parse_bibtex(files["bibtex"])
        assert bib["title"] == record["title"] and bib["langid"] == "korean"
        assert bib["ID"] == record["id"]
        (ris_entry,) = rispy.loads(files["ris"])
        assert ris_entry["title"] == record["title"] and ris_entry["language"] == "ko"
        # the portal by its Korean name (mkdocs.ko.yml's site_name), as author and publisher
        assert record["author"] == [{"literal": KOREAN_PORTAL}]
        assert record["publisher"] == KOREAN_PORTAL
        assert bib["author"] == KOREAN_PORTAL and "author = {{" in files["bibtex"]
        assert bib.get("institution", bib.get("publisher")) == KOREAN_PORTAL
        assert ris_entry["authors"] == [KOREAN_PORTAL] and ris_entry["publisher"] == KOREAN_PORTAL
        for style in ("apa", "chicago"):  # citeproc-py, its ko-KR locale and our Korean terms
            assert variant.xpath(f"string(.//*[@data-style='{style}'])") == _citeproc(record, style)
    parsed = citation_js([{"format": fmt, "text": files[fmt]} for _, _, files in blocks
                          for fmt in ("bibtex", "ris", "csl")])
    titles = [json.loads(files["csl"])[0]["title"] for _, _, files in blocks for _ in range(3)]
    assert [p[0]["title"] for p in parsed] == titles
    assert all([a.get("literal") or a.get("family") for a in p[0]["author"]] == [KOREAN_PORTAL]
               for p in parsed)


def test_a_korean_pages_apa_and_chicago_are_worded_in_korean(site):
    """APA and Chicago of a Korean page and figure: citeproc's ko-KR locale with the terms it
    leaves in English put in Korean (macros/csl/locale-ko.xml) and the genre 판."""
    page = html(site / "ko", "briefings/tariffs")
    tree = lxml.html.fromstring(page)
    heading = tree.xpath("string(//h1)").strip().rstrip("¶").strip()
    figure = tree.xpath("string(//figure[@class='portal-figure']//figcaption/strong)")
    url = "https://example.org/korea-us-briefings/ko/briefings/tariffs/"
    blocks = {block.get("id") or block.get("class"): files for block, _, files in cite_blocks(page)}
    page_block = tree.xpath("//*[@id='cite-this-page']")[0]
    figure_block = tree.xpath("//*[@class='portal-figure__cite']")[0]
    year = json.loads(blocks["cite-this-page"]["csl"])[0]["issued"]["date-parts"][0][0]
    text = lambda block, style: block.xpath(f"string(.//*[@data-style='{style}'])")  # noqa: E731
    assert text(page_block, "apa") == \
        f"{KOREAN_PORTAL}. ({year}). {heading} (판 Dev). {KOREAN_PORTAL}. {url}"
    assert text(page_block, "chicago") == \
        f"{KOREAN_PORTAL}. {year}. {heading}. 판 Dev. {KOREAN_PORTAL}. {url}."
    fig_url = url + "#figure-us_kor_duty_rate_annual"
    assert text(figure_block, "apa") == (f"{KOREAN_PORTAL}. ({year}). {figure} [그림]. {heading} "
                                         f"(그림 1; 버전 dev). {KOREAN_PORTAL}. {fig_url}")
    assert text(figure_block, "chicago") == (f"{KOREAN_PORTAL}. {year}. “{figure}”. {heading}, "
                                             f"그림 1, 버전 dev. {KOREAN_PORTAL}. {fig_url}.")
    number = json.loads(tree.xpath("//a[@data-indicator][@data-citation]")[0].get("data-citation"))
    assert "(버전 dev) [데이터 세트]." in citations.formatted(number, "apa")


def test_the_browser_writes_a_day_as_citeproc_writes_the_marker(browser):
    """cite.js replaces the marker day with the reader's, written by Intl in the block's
    data-marker-locale: for each language its long date is the marker's form (Babel's)."""
    page = browser.new_page()
    for lang in citations.CSL_LOCALES:
        marker = citations.marker_words(lang)
        y, m, d = citations.ACCESS_MARKER
        assert page.evaluate(f"new Intl.DateTimeFormat({json.dumps(marker['locale'])}, {{year: "
                             f"'numeric', month: 'long', day: 'numeric'}})"
                             f".format(new Date({y}, {m - 1}, {d}))") == marker["text"], lang
    page.close()


def test_a_korean_latest_citation_is_dated_in_korean_where_the_browser_looks():
    """The `latest` variant of a Korean record: '검색일' and a Korean date, which is the marker
    cite.js replaces (data-marker-text, in the block's data-marker-locale)."""
    ed = citations.edition("2026.11", EDITION_URL, datetime.date(2026, 11, 15))
    cf = citations.citation_forms(citations.page_record(ed, title="제목", path="briefings/x/",
                                                        lang="ko"), ed)
    latest = SITE_ROOT + "latest/briefings/x/"
    assert cf["latest"]["apa_text"] == \
        f"{KOREAN_PORTAL}. (일자 없음). 제목. {KOREAN_PORTAL}. 검색일: 1900년 1월 1일, 출처: {latest}"
    assert cf["latest"]["chicago_text"] == \
        f"{KOREAN_PORTAL}. 일자 없음. 제목. {KOREAN_PORTAL}. 검색일: 1900년 1월 1일. {latest}."
    assert cf["marker"] == {"text": "1900년 1월 1일", "iso": "1900-01-01", "ris": "1900/01/01",
                            "locale": "ko-KR"}
    assert cf["edition"]["apa_text"].endswith("제목 (판 2026.11). 한미 통상 브리핑. " + EDITION_URL
                                              + "briefings/x/")


@pytest.mark.parametrize("page", ["briefings/tariffs", "briefings/trade-balance", "",
                                  "indicators/us_kor_balance"])
def test_apa_and_chicago_on_the_page_are_citeprocs_output(edition_site, page):
    blocks = cite_blocks((edition_site / page / "index.html").read_text(encoding="utf-8"))
    assert blocks
    for _, variant, files in blocks:
        (record,) = json.loads(files["csl"])
        for style in ("apa", "chicago"):
            shown = variant.xpath(f"string(.//*[@data-style='{style}'])")
            assert shown == _citeproc(record, style), (page, style)


def test_highwire_tags_follow_scholar_guidelines(site):
    checked = 0
    for path in site.rglob("index.html"):
        page = path.read_text(encoding="utf-8")
        if "<h1" not in page:
            continue
        tree = lxml.html.fromstring(page)
        tags: dict[str, list[str]] = {}
        for meta in tree.xpath("//meta[starts-with(@name, 'citation_')]"):
            tags.setdefault(meta.get("name"), []).append(meta.get("content"))
        rel = str(path.parent.relative_to(site))
        heading = tree.xpath("string(//h1)").strip().rstrip("¶").strip()
        lang = "ko" if rel.split("/")[0] == "ko" else "en"
        portal = {"en": PORTAL, "ko": KOREAN_PORTAL}[lang]  # the portal's name
        assert tags["citation_title"] == [portal if rel in (".", "ko") else heading]  # a home: it
        assert tags["citation_language"] == [lang], rel
        assert re.fullmatch(r"\d{4}(/\d{2}/\d{2})?", tags["citation_publication_date"][0])
        # one organisation: Zotero keeps "Name," whole as a last name, and does not split it
        assert tags["citation_author"] == [f"{portal},"]
        assert tags["citation_technical_report_institution"] == [portal]
        assert tags["citation_technical_report_number"] == ["dev"]
        assert tags["citation_public_url"][0].startswith("https://")
        if rel.removeprefix("ko/").startswith("briefings/"):  # Korean briefings print too
            pdf_url = tags["citation_pdf_url"][0]
            assert pdf_url.endswith(".pdf") and pdf_url.startswith(tags["citation_public_url"][0])
            pdf = site / rel / pdf_url.rsplit("/", 1)[1]
            assert pdf.read_bytes()[:4] == b"%PDF", pdf
        else:
            assert "citation_pdf_url" not in tags
        checked += 1
    assert checked >= 30


def test_preview_build_says_so_in_cite_block_and_print(site, browser):
    page_html = html(site, "briefings/tariffs")
    assert "Preview build — not a published edition." in page_html
    with serve(site) as url:
        page = browser.new_page()
        page.goto(url + "briefings/tariffs/", wait_until="load")
        assert page.locator(".portal-print").is_hidden()
        page.emulate_media(media="print")
        masthead = page.locator(".portal-print")
        assert masthead.is_visible()
        text = masthead.inner_text()
        assert "PREVIEW BUILD" in text and "Edition dev" in text
        assert "https://example.org/korea-us-briefings/briefings/tariffs/" in text
        page.close()


def test_edition_page_cites_the_edition_and_offers_the_latest_url(edition_site):
    page = html(edition_site, "briefings/tariffs")
    apa = lxml.html.fromstring(page).xpath(
        "string(//*[@id='cite-this-page']/*[@data-portal-variant='edition']//*[@data-style='apa'])")
    assert "(Edition 2026.11)" in apa and apa.endswith(EDITION_URL + "briefings/tariffs/")
    assert "Retrieved" not in apa
    latest = cite_blocks(page[page.index('id="cite-this-page"') - 40:])[1][2]
    (record,) = json.loads(latest["csl"])
    assert record["URL"] == "https://portal.test/korea-us-briefings/latest/briefings/tariffs/"
    assert "issued" not in record and record["accessed"] == {"date-parts": [[1900, 1, 1]]}


def test_latest_citation_gets_the_readers_day_when_copied_and_downloaded(edition_site, browser):
    with serve(edition_site) as url:
        context = browser.new_context(accept_downloads=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
        page = context.new_page()
        page.goto(url + "briefings/tariffs/", wait_until="load")
        page.locator("#cite-this-page summary").click()
        page.locator("#cite-this-page .portal-cite__choice input[value=latest]").check()
        latest = page.locator("#cite-this-page [data-portal-variant=latest]")
        assert latest.is_visible()
        assert page.locator("#cite-this-page [data-portal-variant=edition]").is_hidden()
        latest.locator("[data-portal-copy]").first.click()
        page.wait_for_function("document.querySelector('#cite-this-page [data-portal-variant=latest]"
                               " [data-portal-copy]').textContent === 'Copied'")
        copied = page.evaluate("navigator.clipboard.readText()")
        today = datetime.date.fromisoformat(page.evaluate(
            "(() => { const d = new Date(); return d.getFullYear() + '-' + "
            "String(d.getMonth() + 1).padStart(2, '0') + '-' + "
            "String(d.getDate()).padStart(2, '0'); })()"))
        source = html(edition_site, "briefings/tariffs")
        (record,) = json.loads(
            cite_blocks(source[source.index('id="cite-this-page"') - 40:])[1][2]["csl"])
        record["accessed"] = {"date-parts": [[today.year, today.month, today.day]]}
        assert copied == _citeproc(record, "apa")
        assert f"Retrieved {today:%B} {today.day}, {today.year}, from" in copied
        with page.expect_download() as download:
            latest.locator("a[data-format=ris]").click()
        ris = Path(download.value.path()).read_text(encoding="utf-8")
        assert rispy.loads(ris)[0]["access_date"] == f"{today:%Y/%m/%d}"
        with page.expect_download() as download:
            latest.locator("a[data-format=csl]").click()
        assert json.loads(Path(download.value.path()).read_text())[0]["accessed"] == \
            record["accessed"]
        context.close()


def test_feed_lists_editions_and_briefings_at_permanent_urls(edition_site):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(edition_site / "feed.xml").getroot()
    links = {e.find("a:title", ns).text: e.find("a:link", ns).get("href")
             for e in feed.findall("a:entry", ns)}
    assert links["Edition 2026.11"] == EDITION_URL
    assert links["Edition 2026.10"] == "https://portal.test/korea-us-briefings/2026.10/"
    briefings = {t: u for t, u in links.items() if not t.startswith("Edition ")}
    assert len(briefings) == 5
    assert all(u.startswith(EDITION_URL + "briefings/") for u in briefings.values())
    rss = ET.parse(edition_site / "rss.xml").getroot()
    assert len(rss.findall("channel/item")) == len(links)
    assert 'type="application/atom+xml"' in html(edition_site, "briefings/tariffs")


def test_build_without_chromium_links_no_pdf_and_says_so(scratch_project, tmp_path, monkeypatch):
    (scratch_project / "docs/briefings").mkdir()
    (scratch_project / "docs/briefings/note.md").write_text(
        '# A note\n\nThe balance was {{ value("us_kor_balance", 2024) }}.\n\n{{ sources() }}\n')
    (scratch_project / "docs/index.md").write_text("# Home\n")
    monkeypatch.setenv("PORTAL_CHROMIUM", str(tmp_path / "no-chromium"))
    result = mkdocs_build(scratch_project, tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "PDF: no Chromium at" in result.stderr
    page = (tmp_path / "site/briefings/note/index.html").read_text(encoding="utf-8")
    assert "citation_pdf_url" not in page and 'data-format="pdf"' not in page
    assert not list((tmp_path / "site").rglob("*.pdf"))
    monkeypatch.setenv("PORTAL_PDF", "require")
    failed = mkdocs_build(scratch_project, tmp_path / "site2")
    assert failed.returncode != 0 and "PORTAL_PDF=require" in failed.stderr


@pytest.mark.parametrize("title", ["Tariffs $ # ~ { } & % _ \\ ^ 2010–2026", "관세 “quoted”"])
def test_bibtex_escapes_what_latex_would_break_on(title):
    ed = citations.edition("2026.11", EDITION_URL, datetime.date(2026, 11, 15))
    record = citations.page_record(ed, title=title, path="briefings/x/")
    text = citations.bibtex(record)
    assert "month = nov," in text  # a BibTeX month macro, not the literal "{nov}"
    # pylatexenc reads \textasciicircum as U+02C6; LaTeX prints it as "^"
    assert parse_bibtex(text)[0]["title"].replace("\u02c6", "^") == title
    (cjs,) = citation_js([{"format": "bibtex", "text": text}])[0]
    assert cjs["title"] == title and cjs["author"] == [{"family": PORTAL}]


def test_citation_cff_and_zenodo_describe_the_edition_record():
    import yaml
    ed = citations.edition("2026.11", EDITION_URL)
    record = citations.edition_record(ed)
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    zenodo = json.loads((ROOT / ".zenodo.json").read_text())
    preferred = cff["preferred-citation"]
    assert preferred["type"] == record["type"] == "report"
    assert preferred["title"] == cff["title"] == zenodo["title"] == record["title"]
    assert preferred["authors"] == [{"name": PORTAL}] == cff["authors"]
    assert preferred["institution"] == {"name": record["publisher"]}
    assert zenodo["upload_type"] == "publication" and zenodo["publication_type"] == "report"
    assert [c["name"] for c in zenodo["creators"]] == [PORTAL]
