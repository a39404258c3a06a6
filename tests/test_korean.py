"""The Korean edition (issue 14): Korean claim words, translations beside what they translate,
and one strict Korean build (mkdocs.ko.yml into <site>/ko/, beside the session's English build)
whose pages show the English pages' values and no English interface text."""
from __future__ import annotations

import calendar
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from macros import authoring, build, claims, datasets, figures, i18n, indicators
from macros.authoring import PageContext
from macros.errors import PortalError

ROOT = Path(__file__).resolve().parent.parent
KO_PAGES = sorted(i18n.page_path(src) for src in i18n.pages_of(ROOT / "docs-ko"))
# The generated indicator and dataset pages, which the Korean build makes too (macros/build.py)
GENERATED = sorted(i18n.page_path(src) for src in build.generated_sources())


# --- Korean words of the claim macros, on the real data ------------------------------------------

@pytest.fixture
def ko():
    return PageContext(src="briefings/test.md", url="briefings/test/", lang="ko",
                       local=i18n.local_paths_of(str(ROOT / "docs-ko")))


def text(html: str) -> str:
    """A claim without its markup: '[657억 달러]' marks a value with provenance."""
    return re.sub(r"<(a|span) [^>]*>([^<]*)</\1>", r"[\2]", str(html))


def test_korean_claims_word_the_data_in_korean(ko):
    assert claims.streak(ko, "us_kor_balance", below=0, expect=1998) == "1998년 이후 매년"
    assert claims.streak(ko, "us_kor_balance", above=0, until=1997, show="span",
                         expect=1995) == "1995–1997년"
    assert claims.streak(ko, "us_kor_balance", above=0, until=1997, show="count",
                         expect=1995) == "3년"
    assert claims.span(ko, "us_kor_balance") == "1991–2026년"
    assert claims.coverage(ko, "us_kor_balance", "latest", expect="partial") == "2026년 1–7월"
    assert claims.peak(ko, "us_kor_effective_duty_rate", 2025, expect="2025-09") == "9월"
    assert claims.record(ko, "us_kor_balance", 2024, low=True, word="큰 규모",
                         expect="series") == "시계열상 가장 큰 규모"
    assert claims.rank(ko, "us_kor_import_enduse_share", 2024, enduse="intermediate", word="큰",
                       expect=1) == "가장 큰"
    assert text(claims.change(ko, "us_kor_balance", 2024, 2025, up="축소되었다", down="확대되었다",
                              magnitude=True, expect="축소되었다")) == \
        "2024년 [657억 달러]에서 2025년 [565억 달러]로 축소되었다"
    assert text(claims.compare(ko, "us_kor_balance", 2024, magnitude=True, show="times",
                               than={"indicator": "kr_us_trade_balance_reported"},
                               expect="above")) == "[1.2배]"


def test_korean_value_keeps_the_number_and_words_its_provenance(ko):
    html = str(authoring.value(ko, "us_kor_balance", "latest"))
    assert 'data-value="-46.2' in html or 'data-value="-46.1' in html  # the raw number, as in English
    assert ">−462억 달러 (1–7월)</a>" in html
    assert 'title="미국의 대한 상품수지 (us_kor_balance), 2026년 1–7월 · 주: 2026년 1–7월만 포함' in html
    assert 'href="../../indicators/us_kor_balance/#p-2026"' in html  # the Korean indicator page


def test_korean_what_changed_words_the_moved_numbers_in_korean(ko, monkeypatch):
    from macros import editions, reference_pages
    old = editions.record("2026.10")
    old["edition"] = "2026.10"
    old["indicators"]["us_kor_balance"] = [r for r in old["indicators"]["us_kor_balance"]
                                           if r["period"] != "2026"]
    monkeypatch.setattr(editions, "previous_record", lambda: old)
    out = reference_pages.changes(ko)
    assert out.startswith("**2026.10** 판과 비교하면 발표된 수치 1개가 바뀌었고")
    assert "## 바뀐 수치" in out and "| 지표 | 기간 | 이전 | 현재 | 원인 |" in out
    assert "미국의 대한 상품수지</a> | 2026년 1–7월 | — | −462" in out  # a part-year, worded
    assert "| 신규 자료 |" in out


def test_korean_what_changed_words_the_previous_vintage_in_korean(ko, monkeypatch):
    """The previous edition's vintage in Korean: as its record keeps it, else the translation
    of the same English vintage, else the translator's earlier_vintages; never the English."""
    from macros import editions, reference_pages
    ds = datasets.get("us_korea_goods_trade")
    old = editions.record("2026.10")
    old["edition"] = "2026.10"
    entry = old["datasets"]["us_korea_goods_trade"]
    assert entry["translations"] == {"ko": {"vintage": i18n.dataset(ds, "vintage", "ko")}}
    entry.update(sha256="0" * 64, vintage="Census release of 2025",
                 translations={"ko": {"vintage": "인구조사국 2025년 발표"}})
    monkeypatch.setattr(editions, "previous_record", lambda: old)
    row = f"미국의 대한 상품교역, 연간·월간(인구조사국 기준)</a> | 인구조사국 2025년 발표 | " \
          f"{i18n.dataset(ds, 'vintage', 'ko')} |"
    assert row in reference_pages.changes(ko)
    del entry["translations"]  # a record from before editions kept their Korean words
    with pytest.raises(PortalError, match=r"vintage 'Census release of 2025' of dataset "
                       r"'us_korea_goods_trade' that edition 2026\.10 published: add it under "
                       r"'earlier_vintages' .* data/us_korea_goods_trade/datapackage\.ko\.yaml"):
        reference_pages.changes(ko)
    translations = i18n._yaml(ds.folder / "datapackage.ko.yaml")
    monkeypatch.setitem(translations, "earlier_vintages",
                        {"Census release of 2025": "인구조사국 2025년 발표"})
    assert row in reference_pages.changes(ko)
    entry["vintage"] = ds.vintage  # the same English vintage: today's translation of it
    assert f"| {i18n.dataset(ds, 'vintage', 'ko')} | {i18n.dataset(ds, 'vintage', 'ko')} |" \
        in reference_pages.changes(ko)


# --- translations beside what they translate -----------------------------------------------------

def test_every_indicator_and_dataset_has_korean_metadata():
    for ind in indicators.REGISTRY.values():
        for field in ("title", "definition", "formula"):
            assert i18n.indicator(ind, field, "ko")
    for dataset_id in datasets.ids():
        for field in ("title", "publisher", "vintage"):
            assert i18n.dataset(datasets.get(dataset_id), field, "ko")


def test_every_interface_string_of_the_templates_and_engine_is_in_the_catalog():
    sources = [*ROOT.glob("macros/templates/*.html"), *ROOT.glob("macros/*.py")]
    msgids = set()
    for path in sources:
        for parts in re.findall(r'_\(((?:\s*"(?:[^"\\]|\\.)*")+)', path.read_text(encoding="utf-8")):
            msgids.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', parts)))
    assert len(msgids) > 20
    for msgid in sorted(msgids):
        assert i18n.t("ko", msgid), msgid  # raises, naming the msgid, when it is missing


def test_a_missing_translation_stops_the_build_naming_the_key(ko, monkeypatch):
    monkeypatch.setattr(i18n, "_yaml", lambda path: {})
    with pytest.raises(PortalError, match=r"add 'us_kor_balance\.title' to "
                                          r"macros/indicators/us_trade\.ko\.yaml"):
        authoring.value(ko, "us_kor_balance", 2024)
    with pytest.raises(PortalError, match=r"no ko translation of the interface string 'Nope': "
                                          r"add it to macros/locale/ko/LC_MESSAGES/portal\.po"):
        i18n.t("ko", "Nope")


def test_a_figure_without_a_korean_text_alternative_stops_the_build(ko, monkeypatch):
    from macros import figure_catalogue_ko
    monkeypatch.delitem(figure_catalogue_ko.SUMMARIES, "us_kor_enduse_2024")
    fig = figures.get("us_kor_enduse_2024")
    with pytest.raises(PortalError, match="us_kor_enduse_2024"):
        authoring.figure(ko, fig.id)


def test_a_refreshed_vintage_stops_the_korean_build_until_translated(monkeypatch):
    ds = datasets.get("us_korea_goods_trade")
    monkeypatch.setitem(ds.descriptor, "vintage", "Census releases of 2027")
    with pytest.raises(PortalError, match="datapackage.ko.yaml translates .* now says "
                                          "'Census releases of 2027'"):
        i18n.dataset(ds, "vintage", "ko")


# --- one Korean build per session ----------------------------------------------------------------

@pytest.fixture(scope="session")
def korean_site(site) -> Path:
    """The session's build: English at its root, Korean (mkdocs.ko.yml, strict) in ko/."""
    assert (site / "ko" / "index.html").exists()
    return site


def _soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def _values(soup: BeautifulSoup) -> dict:
    """(indicator, period, dimensions) or reported figure id -> data-value, for each number."""
    found = {}
    for a in soup.select("[data-value]"):
        if a.has_attr("data-reported"):
            key = ("reported", a["data-reported"])
        else:
            dims = tuple(sorted((k, v) for k, v in a.attrs.items() if k.startswith("data-")
                                and k not in ("data-indicator", "data-period", "data-value",
                                              "data-citation")))
            key = (a["data-indicator"], a["data-period"], dims)
        assert found.setdefault(key, a["data-value"]) == a["data-value"], key
    return found


def test_korean_pages_are_built_with_korean_interface(korean_site):
    assert KO_PAGES == ["", "about/authoring/", "about/changes/", "about/methodology/",
                        "briefings/deficit-partners/", "briefings/investment/",
                        "briefings/tariffs/", "briefings/trade-balance/",
                        "briefings/what-korea-sells/", "data/",
                        "indicators/"]  # every page of the English nav
    assert len(GENERATED) == len(indicators.REGISTRY) + len(datasets.ids())
    for path in KO_PAGES + GENERATED:
        soup = _soup(korean_site / "ko", path)
        assert soup.html["lang"] == "ko"
    soup = _soup(korean_site / "ko", "indicators/us_kor_balance")
    labels = {label.get_text(strip=True) for label in soup.select("nav.md-nav--primary label")}
    assert {"지표", "데이터"} <= labels  # the sections, each its overview first, then its pages
    nav = [a.get_text(" ", strip=True) for a in soup.select("nav.md-nav--primary a")]
    first = [i18n.indicator(next(iter(indicators.REGISTRY.values())), "title", "ko"),
             i18n.dataset(datasets.get(datasets.ids()[0]), "title", "ko")]
    assert [nav[i + 1] for i, word in enumerate(nav) if word == "개요"] == first


def _observations(soup: BeautifulSoup) -> list[str]:
    """The periods an indicator page's tables list (each period's first row is anchored)."""
    return [span["id"] for span in soup.select('span[id^="p-"]')]


@pytest.mark.parametrize("path", KO_PAGES + GENERATED)
def test_every_number_on_a_korean_page_is_the_english_pages_value(korean_site, path):
    en_soup, ko_soup = _soup(korean_site, path), _soup(korean_site / "ko", path)
    en, ko = _values(en_soup), _values(ko_soup)
    assert len(ko) >= (10 if path.startswith("briefings/") or not path else len(en))
    assert {k: en.get(k) for k in ko} == ko
    assert set(ko) == set(en)  # and the Korean page leaves none of the English numbers out
    assert _observations(ko_soup) == _observations(en_soup)  # the same rows, period by period
    figure_ids = lambda soup: [f["id"] for f in soup.select("figure.portal-figure")]  # noqa: E731
    assert figure_ids(ko_soup) == figure_ids(en_soup)
    if path.startswith("indicators/") and path != "indicators/":
        assert _observations(ko_soup)


# Proper names, codes and formats that stay as they are in Korean text.
ALLOWED = {"KITA", "KIET", "KIEP", "MOEF", "FTA", "KORUS", "FAS", "FOB", "CIF", "IMTS", "UN",
           "BEC", "HS", "HTS", "SNA", "FR", "PNG", "SVG", "CSV", "JSON", "Vega-Lite", "BibTeX",
           "RIS", "CSL-JSON", "APA", "Chicago", "URL", "U.S.", "Census", "Bureau", "US", "PDF",
           "English", "vintage", "dev", "Dev", "U.S", "CC", "BY",
           "API", "UNSD", "SITC", "Rev", "tradewartracker", "trade-war-redux",
           "AI", "BEA", "CHIPS", "GM", "LG", "THAAD", "TSMC",
           "Frictionless", "README", "K-stat", "USMCA", "HL", "TRI", "TRI-tracker",
           "MIT", "ISO", "U.S.C", "KOR", "JPN", "CHN", "MEX", "CAN", "FDI", "OPEC", "EU"}
A = r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])"  # word edges for ASCII: Hangul is \w too
CODE = re.compile("|".join([
    r"https?://\S+", r"'[^'\n]+?'",                              # URLs; codes in quotes
    A[0] + r"[\w.-]+\.(?:csv|json|jsonl|xml|md|xlsx|rds)" + A[1],  # file names
    A[0] + r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+" + A[1],                 # identifiers
    r"[\w.-]+/[\w.-]+(?: @[0-9a-f]{7})?", r"@[0-9a-f]{7}"]))       # repository @ commit


def _visible_words(soup: BeautifulSoup) -> list[str]:
    for hidden in soup.select("script, style, pre, code, template, svg"):
        hidden.decompose()
    # Citations too (APA and Chicago, the masthead's): citeproc-py's ko-KR locale with the
    # terms it leaves in English in Korean (macros/csl/locale-ko.xml); a number's tooltip to
    # its end, its citation's title naming the number's dimensions in Korean (중국, 중간재).
    texts = [soup.body.get_text(" ")]
    for tag in soup.body.find_all(True):
        texts += [tag.get(attr, "") for attr in ("alt", "aria-label", "placeholder",
                                                  "data-copied")]
        if tag.has_attr("title"):
            texts.append(tag["title"])
    words = re.findall(r"[A-Za-z][A-Za-z.\-–]*[A-Za-z]|[A-Za-z]", CODE.sub(" ", " ".join(texts)))
    return sorted({w for w in words if w not in ALLOWED and len(w) > 1})


@pytest.mark.parametrize("path", KO_PAGES + GENERATED)
def test_no_english_interface_string_on_a_korean_page(korean_site, path):
    assert _visible_words(_soup(korean_site / "ko", path)) == []


def test_language_switcher_and_hreflang_join_the_same_page_both_ways(korean_site):
    def links(site, path):
        soup = _soup(site, path)
        switch = {a["hreflang"]: a["href"] for a in soup.select("a.md-select__link[hreflang]")}
        head = {link["hreflang"]: link["href"] for link in soup.select("link[rel=alternate][hreflang]")}
        return switch, head
    switch, head = links(korean_site, "briefings/trade-balance")
    assert switch == {"en": "../../briefings/trade-balance/", "ko": "../../ko/briefings/trade-balance/"}
    assert head == {"en": "../../", "ko": "../../ko/"}
    switch, head = links(korean_site / "ko", "briefings/trade-balance")
    assert switch == {"en": "../../../briefings/trade-balance/",
                      "ko": "../../../ko/briefings/trade-balance/"}
    assert head == {"en": "../../../", "ko": "../../../ko/"}
    # the generated pages are paired too
    switch, head = links(korean_site, "indicators/us_kor_balance")
    assert switch == {"en": "../../indicators/us_kor_balance/",
                      "ko": "../../ko/indicators/us_kor_balance/"}
    switch, head = links(korean_site / "ko", "data/us_korea_goods_trade")
    assert switch == {"en": "../../../data/us_korea_goods_trade/",
                      "ko": "../../../ko/data/us_korea_goods_trade/"}
    assert head == {"en": "../../../", "ko": "../../../ko/"}


def _headings(soup: BeautifulSoup) -> dict[str, str]:
    """id -> words of each heading of the page's content (its permalink mark aside)."""
    found = {}
    for h in soup.select(".md-content :is(h1, h2, h3, h4, h5, h6)[id]"):
        for mark in h.select("a.headerlink"):
            mark.extract()
        found[h["id"]] = h.get_text()
    return found


def test_heading_ids_are_the_headings_words_and_english_ones_never_move(korean_site):
    """Readers cite a section by its fragment URL. English ids stay what Python-Markdown's
    default slugify makes of each heading, the fragments published editions have; Korean ids keep
    their Hangul (pymdownx.slugs in mkdocs.ko.yml), where the default numbered them _1, _2…, so
    adding a heading moved every id below it. A heading claim's id is its rendered words."""
    from markdown.extensions.toc import slugify
    from pymdownx.slugs import slugify as unicode_slugify
    english = _headings(_soup(korean_site, "briefings/trade-balance"))
    assert list(english) == [slugify(words, "-") for words in english.values()]
    assert {"sources", "caveats", "in-us-statistics-the-united-states-has-run-a-deficit-with-"
            "korea-in-every-year-since-1998"} <= set(english)  # published; the last a claim
    korean_slug = unicode_slugify(case="lower")
    hangul = re.compile("[\uac00-\ud7a3]")
    for path in KO_PAGES:
        headings = _headings(_soup(korean_site / "ko", path))
        assert headings, path
        for anchor, words in headings.items():
            assert anchor == korean_slug(words, "-") and hangul.search(anchor), (path, anchor)
    korean = _headings(_soup(korean_site / "ko", "briefings/trade-balance"))
    assert "미국-측-통계-1998년-이후-매년-대한-적자" in korean  # the streak claim's heading
    assert "출처" in korean


def test_korean_briefings_are_printed_with_the_portals_and_the_korean_font(korean_site):
    """Each Korean briefing links its PDF (printed from the English build's root, whose files
    it uses), and every glyph in it is KUB Portal Sans or the build's Noto Sans KR."""
    from macros import pdf
    briefings = [p for p in KO_PAGES if p.startswith("briefings/")]
    assert len(briefings) == 5
    for path in briefings:
        soup = _soup(korean_site / "ko", path)
        url = soup.select_one('meta[name="citation_pdf_url"]')["content"]
        assert url.endswith(f"/ko/{pdf.pdf_path(path)}")
        data = (korean_site / "ko" / pdf.pdf_path(path)).read_bytes()
        used = pdf.fonts(data)
        family, postscript = pdf.TRANSLATED_FONTS["ko"]
        assert family == "KUB Portal Noto Sans KR"  # the pages' and the charts' cut
        hangul = "".join(c for name, chars in used.items() if name.startswith(postscript)
                         for c in chars if "\uac00" <= c <= "\ud7a3")
        assert len(hangul) > 100, (path, sorted(used))
        assert not any("\uac00" <= c <= "\ud7a3" for name, chars in used.items()
                       if name in pdf.FONT_NAMES for c in chars)
        pdf.check_fonts(path, data, "ko")
        with pytest.raises(PortalError, match=postscript):  # not allowed on an English page
            pdf.check_fonts(path, data)


def test_a_korean_page_prints_and_describes_the_portal_by_its_korean_name(korean_site):
    """The printed masthead and the JSON-LD of a Korean briefing: 한미 통상 브리핑, the Korean
    edition words and date, the page's language; the English page keeps the English name."""
    import datetime
    import json

    from babel.dates import format_date

    from conftest import data_url_text
    from macros import citations
    for site, lang in ((korean_site, "en"), (korean_site / "ko", "ko")):
        soup = _soup(site, "briefings/trade-balance")
        (record,) = json.loads(data_url_text(
            soup.select_one('#cite-this-page a[data-format="csl"]')["href"]))
        day = datetime.date(*record["issued"]["date-parts"][0])
        date = {"en": f"{day.day} {day:%B %Y}", "ko": format_date(day, "long", locale="ko")}[lang]
        name = {"en": "Korea–US Trade Briefings", "ko": "한미 통상 브리핑"}[lang]
        masthead = [p.get_text() for p in soup.select(".portal-print p")]
        edition = {"en": "Edition dev", "ko": "dev 판"}[lang]
        assert masthead[1] == f"{name} · {edition} · {date}", masthead
        label = {"en": "Cite as: ", "ko": "인용 표기: "}[lang]
        assert masthead[-1] == label + citations.formatted(record, "apa")
        assert masthead[-1].startswith(f"{label}{name}. ")
        data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
        assert data["inLanguage"] == lang and data["publisher"]["name"] == name
        assert data["author"] == data["publisher"]
        assert data["publisher"].get("alternateName") == \
            {"en": None, "ko": "Korea–US Trade Briefings"}[lang]


# The Korean font (one cut of Noto Sans KR for pages and charts): tests/test_korean_charts.py


# --- in Chromium ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ko_server(korean_site):
    from conftest import serve
    with serve(korean_site) as url:
        yield url


def test_language_switcher_keeps_the_reader_on_the_page_in_chromium(ko_server, browser):
    page = browser.new_page()
    page.goto(ko_server + "briefings/trade-balance/", wait_until="networkidle")
    for lang, path in (("ko", "ko/briefings/trade-balance/"), ("en", "briefings/trade-balance/")):
        page.locator(".md-header .md-select").first.hover()
        page.locator(f'a.md-select__link[hreflang="{lang}"]').click()
        page.wait_for_url(ko_server + path)
        assert page.evaluate("document.documentElement.lang") == lang
    page.close()


def test_korean_search_finds_a_korean_word_on_the_korean_pages(ko_server, browser):
    """Material's search of the Korean build (lunr with its `ko` language, search_index.json in
    site/ko/) finds pages by a Hangul word, and its results are Korean pages."""
    page = browser.new_page()
    page.goto(ko_server + "ko/", wait_until="load")
    page.keyboard.press("s")
    # lunr builds the index in a web worker first (over 10 s on 2 cores shared with the other
    # test worker's builds): it is ready when Material replaces its "initializing" line with
    # the placeholder of its own translations (__config)
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.trim() === "
        "JSON.parse(document.getElementById('__config').textContent).translations"
        "['search.result.placeholder']", timeout=120000)
    # Material searches on a key's keyup; Playwright types Hangul as inserted text, without
    # one, so a key a keyboard also sends ends the query (typed before the index was ready,
    # the query used to run only when it became ready: a race the test lost twice)
    page.keyboard.type("관세율", delay=60)
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=45000)
    links = page.eval_on_selector_all(".md-search-result__link", "as => as.map(a => a.href)")
    paths = {urlsplit(link).path for link in links}  # without ?h=관세율 and a heading's #id
    assert "/ko/briefings/tariffs/" in paths, paths
    assert all(p.startswith("/ko/") for p in paths), paths
    page.close()


def test_hangul_is_drawn_with_the_self_hosted_font_and_axe_finds_nothing(ko_server, browser):
    from test_browser import axe_violations, wait_for_figures
    page = browser.new_page(bypass_csp=True)  # axe is injected inline
    found = {}
    for path in KO_PAGES:
        page.goto(ko_server + "ko/" + path, wait_until="load")
        wait_for_figures(page)
        page.evaluate("document.fonts.ready")
        loaded = page.evaluate("[...document.fonts].filter(f => f.family.includes('Noto Sans KR')"
                               " && f.status === 'loaded').length")
        assert loaded > 0, path  # a face Chromium drew Hangul with: no tofu from a missing font
        assert page.evaluate("document.fonts.check('16px \"Noto Sans KR\"', '양국 통계로 본 한미')")
        code_font = page.evaluate("getComputedStyle(document.querySelector("
                                  "'#cite-this-page pre code')).fontFamily")
        assert code_font.endswith("monospace, \"KUB Portal Noto Sans KR\""), code_font  # BibTeX
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
    page.close()


def test_a_reported_figure_without_a_period_says_only_its_note(ko):
    shown = str(authoring.reported(ko, "kiet_2025_kr_affiliates_us_sourcing_from_korea"))
    assert "기간: 기간 미기재. 인용: 산업연구원(KIET) (2025)." in shown
    en = PageContext(src="briefings/test.md", url="briefings/test/")
    shown = str(authoring.reported(en, "kiet_2025_kr_affiliates_us_sourcing_from_korea"))
    assert "Period: period not stated. Quoted from " in shown and "NA" not in shown


def test_a_korean_table_words_its_header_periods_and_values(ko):
    assert authoring.table(ko, "us_deficit_rank_kor", last=2).splitlines() == [
        "| 기간 | 값(순위) | 비고 |", "|---|--:|---|",
        '| <span id="p-2023"></span>2023년 | 8위 |  |',
        '| <span id="p-2024"></span>2024년 | 8위 |  |']


def test_a_mistake_on_a_korean_page_names_its_file_in_docs_ko():
    from macros import pages
    rendering = pages.Rendering(src="briefings/x.md", url="briefings/x/", lang="ko",
                                markdown='{{ value("us_kor_balanse", 2024) }}\n')
    pages.start(rendering)
    value = pages.bind(lambda: rendering, "value", authoring.value)
    with pytest.raises(PortalError) as error:
        value("us_kor_balanse", 2024)
    assert str(error.value).startswith(
        "docs-ko/briefings/x.md line 1: value('us_kor_balanse', 2024): unknown indicator "
        "'us_kor_balanse'")



def test_the_macros_adapter_names_a_korean_pages_file_in_docs_ko():
    from types import SimpleNamespace as Page

    import macros
    page = lambda src, path: Page(file=Page(src_uri=src, abs_src_path=path))  # noqa: E731
    assert macros._source(page("index.md", str(ROOT / "docs-ko" / "index.md"))) == \
        "docs-ko/index.md"
    assert macros._source(page("a/b.md", "/tmp/x/docs/a/b.md")) == "docs/a/b.md"
    assert macros._source(page("indicators/x.md", None)) == "docs/indicators/x.md"


def test_a_korean_pages_citation_says_it_is_in_korean(korean_site):
    import base64
    for site, lang in ((korean_site, "en"), (korean_site / "ko", "ko")):
        soup = _soup(site, "briefings/trade-balance")
        assert soup.select_one('meta[name="citation_language"]')["content"] == lang
        ris = soup.select_one('#cite-this-page a[data-format="ris"]')["href"]
        assert f"LA  - {lang}" in base64.b64decode(ris.split(",", 1)[1]).decode()
        bibtex = soup.select_one('#cite-this-page code[data-format="bibtex"]').get_text()
        assert {"en": "langid = {english}", "ko": "langid = {korean}"}[lang] in bibtex


def test_the_korean_config_repeats_the_lists_inherit_replaces():
    """INHERIT merges mappings but replaces lists: every hook, Markdown extension and script of
    mkdocs.yml must be in mkdocs.ko.yml too (scripts one folder up, in the English build)."""
    from mkdocs.utils.yaml import yaml_load

    def load(name):
        with open(ROOT / name, encoding="utf-8") as f:
            return yaml_load(f)
    en, ko = load("mkdocs.yml"), load("mkdocs.ko.yml")
    names = lambda exts: [e if isinstance(e, str) else next(iter(e)) for e in exts]  # noqa: E731
    assert set(en["hooks"]) <= set(ko["hooks"])
    assert names(ko["markdown_extensions"]) == names(en["markdown_extensions"])
    scripts = [(s["path"], s.get("defer")) for s in ko["extra_javascript"]]
    assert [("../" + s["path"], s.get("defer")) for s in en["extra_javascript"]] == \
        scripts[:len(en["extra_javascript"])]
    # and the Korean edition switcher (docs/assets/javascripts/editions.js): Material's reads
    # <edition>/versions.json, which mike does not write
    assert scripts[len(en["extra_javascript"]):] == [("../assets/javascripts/editions.js", True)]
    assert ["../" + c for c in en["extra_css"]] == ko["extra_css"][:len(en["extra_css"])]


# --- the generated pages in Korean -----------------------------------------------------------------

def test_a_korean_indicator_page_shows_the_datas_values_in_korean_words(korean_site):
    """The table's values are the observations in Korean money words, the facts and headings in
    Korean (the periods and coverage from macros/locale_ko.py), and the figure is the Korean one."""
    from macros.formatting import format_value
    soup = _soup(korean_site / "ko", "indicators/us_kor_balance")
    data = indicators.observations("us_kor_balance")
    rows = {tr.select_one("span[id]")["id"]: [td.get_text(strip=True) for td in tr.select("td")]
            for tr in soup.select("table tr") if tr.select_one('span[id^="p-"]')}
    for period in ("2024", "2026"):
        obs = data[data["period"] == period].iloc[0]
        assert rows[f"p-{period}"][1] == format_value(obs["value"], "USD bn", digits=2, lang="ko")
    assert rows["p-2024"] == ["2024년", "−656.9억 달러", ""]  # −65.686 bn: 656.86억, at 0.01 bn
    assert rows["p-2026"][0] == "2026년 1–7월" and rows["p-2026"][2] == "1–7월 집계"
    facts = {tr.select("td")[0].get_text(strip=True): tr.select("td")[1].get_text(" ", strip=True)
             for tr in soup.select("table")[0].select("tr") if tr.select("td")}
    assert facts["단위"] == "억 달러" and facts["기준"] == "미국 측 통계"
    assert facts["대상 기간"] == "연간: 1991–2026년 (2026년은 1–7월 자료이다.)"
    heads = lambda s: [th.get_text(strip=True) for th in s.select("table")[0].select("th")]  # noqa: E731
    assert heads(soup) == ["식별자", "us_kor_balance"]  # headed by the id, not an empty row
    assert heads(_soup(korean_site, "indicators/us_kor_balance")) == ["Id", "us_kor_balance"]
    assert soup.h1.get_text(strip=True).startswith("미국의 대한 상품수지")
    assert [h.get_text(strip=True).rstrip("¶") for h in soup.select("h2")][:1] == ["관측값"]
    caption = soup.select_one("figure.portal-figure figcaption").get_text(" ", strip=True)
    assert "미국의 대한 상품수지, 1991–2026년" in caption
    spec = lambda site: json.loads(  # noqa: E731
        (site / "assets/figures/indicator-us_kor_balance.vl.json").read_text(encoding="utf-8"))
    values = lambda chart: [row["value"] for rows in chart["datasets"].values()  # noqa: E731
                            for row in rows]
    ko_chart, en_chart = spec(korean_site / "ko"), spec(korean_site)
    assert '"title": "억 달러"' in json.dumps(ko_chart, ensure_ascii=False)  # as the page writes
    assert values(ko_chart) == [round(v * 10, 9) for v in values(en_chart)]  # money: in 억


def test_a_korean_dataset_page_words_its_descriptor_in_korean(korean_site):
    soup = _soup(korean_site / "ko", "data/us_korea_goods_trade")
    headers = [th.get_text(strip=True) for th in soup.select("table")[1].select("th")]
    assert headers == ["필드", "유형", "단위", "설명", "제약 조건"]
    year = next(tr for tr in soup.select("table")[1].select("tr")
                if tr.select_one("td code") and tr.select_one("td code").get_text() == "year")
    assert [td.get_text(" ", strip=True) for td in year.select("td")][1:3] == ["정수", "연도"]
    assert "필수: True" in year.get_text(" ", strip=True)
    rows = len(datasets.get("us_korea_goods_trade").table("annual"))
    assert f"{rows:,}행 · 기본 키:" in soup.get_text()  # the count from the data
    # the coverage of the descriptor's period codes in words, in each edition's language
    start, end = datasets.get("us_korea_goods_trade").descriptor["temporal_coverage"].values()
    month = int(end[5:])
    for site, label, shown in ((korean_site / "ko", "대상 기간", f"{start}년 – {end[:4]}년 {month}월"),
                               (korean_site, "Coverage", f"{start} – "
                                f"{calendar.month_name[month]} {end[:4]}")):
        facts = {tr.select("td")[0].get_text(strip=True): tr.select("td")[1].get_text(strip=True)
                 for tr in _soup(site, "data/us_korea_goods_trade").select("table")[0].select("tr")
                 if tr.select("td")}
        assert facts[label] == shown
    listed = _soup(korean_site / "ko", "data/reported_figures").select(
        "table.portal-reported-list tr[id]")
    assert len(listed) == len(__import__("macros.citations").citations.figures())
    row = next(tr for tr in listed if tr["id"] == "kita_2025_kr_exports_to_us")
    assert [td.get_text(strip=True) for td in row.select("td")][1:3] == ["1,277.9억 달러", "2024년"]


def test_a_missing_korean_translation_of_an_indicator_page_stops_the_build(ko, monkeypatch):
    from macros import reference_pages
    real = i18n._yaml

    def without(path, drop):
        def read(p):
            data = real(p)
            if p.name == path:
                data = {**data, **drop(data)}
            return data
        return read
    monkeypatch.setattr(i18n, "_yaml", without("us_trade.ko.yaml", lambda d: {
        "us_kor_balance": {k: v for k, v in d["us_kor_balance"].items() if k != "definition"}}))
    with pytest.raises(PortalError, match=r"add 'us_kor_balance\.definition' to "
                                          r"macros/indicators/us_trade\.ko\.yaml"):
        reference_pages.indicator_page(ko, "us_kor_balance")
    monkeypatch.setattr(i18n, "_yaml", without("datapackage.ko.yaml", lambda d: {
        "resources": {**d.get("resources", {}), "annual": {
            **d.get("resources", {}).get("annual", {}), "fields": {}}}}))
    with pytest.raises(PortalError, match=r"add 'resources\.annual\.fields\.year' to "
                                          r"data/us_korea_goods_trade/datapackage\.ko\.yaml"):
        reference_pages.dataset_page(ko, "us_korea_goods_trade")


def test_a_korean_generated_pages_citation_is_in_korean(korean_site):
    soup = _soup(korean_site / "ko", "indicators/us_kor_balance")
    assert soup.select_one('meta[name="citation_language"]')["content"] == "ko"
    assert soup.select_one('meta[name="citation_title"]')["content"] == i18n.indicator(
        indicators.get("us_kor_balance"), "title", "ko")
    assert "이 페이지 인용" in soup.select_one("#cite-this-page summary").get_text() or \
        soup.select_one("#cite-this-page summary").get_text(strip=True) == i18n.t("ko", "Cite this page")
