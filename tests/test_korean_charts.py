"""Korean charts (issue 14): a Korean page's figure is drawn in Korean in the static SVG, the PNG
and the interactive chart, all three with the same cut of Noto Sans KR (macros/chart_language.py,
macros/korean_font.py); checked in the session's build and in Chromium against renderings with
the font taken away (on a machine without a Korean system font those draw empty boxes)."""
from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import korean_labels_changed
from macros import artefacts, authoring, figures, i18n, indicators, korean_font, theme
from macros.authoring import PageContext
from macros.errors import PortalError

ROOT = Path(__file__).resolve().parent.parent
# Proper names and codes a Korean chart may draw in Latin letters.
ALLOWED = {"KIET", "KITA", "KIEP", "HS", "HTS", "BEC", "Rev", "FOB", "CIF", "FAS"}
TEXT = re.compile(r"<text([^>]*)>(.*?)</text>", re.S)
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def korean_site(site) -> Path:
    assert (site / "ko" / "index.html").exists()
    return site


def _figures(site: Path) -> list[str]:
    ids = sorted(p.name.removesuffix(".svg") for p in (site / "ko" / "assets" / "figures").glob("*.svg"))
    assert ids == sorted([*i18n.translated_figures("ko"),  # the figures the Korean pages show:
                          *(f.id for i in indicators.REGISTRY  # briefings' and indicator pages'
                            for f in figures.indicator_figures(i))])
    assert len(ids) >= 10
    return ids


def _drawn(svg: str) -> list[str]:
    """The text of each <text>, its lines (a wrapped title's <tspan>s) joined by a space."""
    lines = lambda t: re.sub(r"</tspan>\s*<tspan", " </tspan><tspan", t)  # noqa: E731
    return [html.unescape(re.sub(r"<[^>]*>", "", lines(t))) for _, t in TEXT.findall(svg)]


def _value_formats(node) -> list[str]:
    """The number formats of every encoding of the field `value` in a spec."""
    if isinstance(node, dict):
        own = [node["format"]] if node.get("field") == "value" and "format" in node else []
        return own + [f for v in node.values() for f in _value_formats(v)]
    if isinstance(node, list):
        return [f for v in node for f in _value_formats(v)]
    return []


def _english(texts: list[str]) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z]{2,}", " ".join(texts)) if w not in ALLOWED}


# --- the built files -------------------------------------------------------------------------------

def test_korean_chart_svgs_draw_korean_words_and_no_english(korean_site):
    folder = korean_site / "ko" / "assets" / "figures"
    for fig_id in _figures(korean_site):
        spec = json.loads((folder / f"{fig_id}.vl.json").read_text(encoding="utf-8"))
        for svg_path in (folder / f"{fig_id}.svg", folder / "narrow" / f"{fig_id}.svg"):
            svg = svg_path.read_text(encoding="utf-8")
            texts = _drawn(svg)
            assert _english(texts) == set(), (svg_path.name, _english(texts))
            assert spec["title"].replace(" ", "") in "".join(texts).replace(" ", ""), svg_path
            families = set(re.findall(r'font-family="([^"]*)"', svg))
            assert families == {theme.FONTS["ko"]}, families
            title = re.search(r"<title>([^<]*)</title>", svg)[1]  # the Korean text alternative
            assert HANGUL.search(title) and _english([title]) <= {"KIET", "Census"}
            assert f"@font-face{{font-family:'{theme.FAMILY_KO}'" in svg  # drawn with it anywhere
    history = _drawn((folder / "us_kor_trade_history.svg").read_text(encoding="utf-8"))
    assert {"억 달러", "미국의 대한 수출", "미국의 대한 수지", "2026(1–7월)"} <= set(history)
    rank = _drawn((folder / "us_deficit_rank_kor.svg").read_text(encoding="utf-8"))
    assert "순위(1위 = 최대 적자)" in rank


def test_korean_chart_spec_words_titles_tooltips_and_numbers_in_korean(korean_site):
    """The interactive chart draws the .vl.json: every title, tooltip and word of its data is
    Korean, money is in 억 달러 (× 10, one decimal fewer), and vega's format locale is Korean."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema
    folder = korean_site / "ko" / "assets" / "figures"
    english_folder = korean_site / "assets" / "figures"
    for fig_id in _figures(korean_site):
        spec = json.loads((folder / f"{fig_id}.vl.json").read_text(encoding="utf-8"))
        validate_jsonschema(spec, load_schema())  # config.locale included
        english = json.loads((english_folder / f"{fig_id}.vl.json").read_text(encoding="utf-8"))
        titles, tooltips = [], []

        def walk(node, key=None):
            if isinstance(node, dict):
                if isinstance(node.get("title"), str):
                    titles.append(node["title"])
                for k, v in node.items():
                    walk(v, k)
            elif isinstance(node, list):
                if key == "tooltip":
                    tooltips.extend(node)
                for v in node:
                    walk(v)
        walk({k: v for k, v in spec.items() if k != "datasets"})
        words = [v for rows in spec["datasets"].values() for row in rows for k, v in row.items()
                 if k in ("label", "series", "coverage", "measure")]
        assert titles and all(HANGUL.search(t) for t in titles), titles
        assert _english(titles + words) == set(), _english(titles + words)
        assert tooltips and all("title" in t for t in tooltips)  # no field name as a heading
        assert spec["config"]["font"] == theme.FONTS["ko"]
        assert spec["config"]["locale"]["number"]["minus"] == "\u2212"
        assert spec["config"]["locale"]["time"]["months"][6] == "7월"
        values = [row["value"] for rows in spec["datasets"].values() for row in rows]
        english_values = [row["value"] for rows in english["datasets"].values() for row in rows]
        factor = 10 if "억 달러" in titles else 1
        assert values == [round(v * factor, 9) if factor != 1 else v for v in english_values]
        if factor == 10:  # one decimal fewer than English (",.1f" of USD bn is ",.0f": 0.1 bn is 1억)
            formats = {t.get("format") for t in tooltips if t.get("field") == "value"}
            english_formats = set(_value_formats(english))
            assert formats and formats == {
                re.sub(r"\.(\d)f$", lambda m: f".{int(m[1]) - 1}f", f) for f in english_formats}


def _rank_labels(texts: list[str]) -> list[str]:
    """A rank chart's axis labels: its short numbers (the period axis has four digits)."""
    return [t for t in texts if re.fullmatch(r"\d{1,3}(위)?", t)]


def test_a_korean_rank_axis_reads_n_wi_in_spec_svg_and_its_font(korean_site):
    """The rank figure's axis labels are its English ticks with 위 (8위), from a labelExpr in the
    spec both vl-convert and vega-embed evaluate; the regular-weight font the SVG carries draws
    위 (the labels are its only regular-weight 위: the axis title is bold)."""
    import base64

    from fontTools.ttLib import TTFont
    folder, english_folder = korean_site / "ko" / "assets" / "figures", korean_site / "assets" / "figures"
    spec = json.loads((folder / "us_deficit_rank_kor.vl.json").read_text(encoding="utf-8"))
    axes = [layer["encoding"]["y"].get("axis") for layer in spec["layer"]]
    assert axes and all(a["labelExpr"] == "datum.label + '위'" and a["tickMinStep"] == 1
                        for a in axes), axes
    for svg_path in (Path("us_deficit_rank_kor.svg"), Path("narrow") / "us_deficit_rank_kor.svg"):
        english = _rank_labels(_drawn((english_folder / svg_path).read_text(encoding="utf-8")))
        svg = (folder / svg_path).read_text(encoding="utf-8")
        assert english and all(t.isdigit() for t in english), english  # English stays 1, 2, 3
        assert _rank_labels(_drawn(svg)) == [f"{n}위" for n in english], svg_path
        regular = re.search(r"font-weight:400;src:url\(data:font/woff2;base64,([^)]*)\)", svg)
        assert ord("위") in TTFont(io.BytesIO(base64.b64decode(regular[1]))).getBestCmap()
    other = json.loads((folder / "us_kor_trade_history.vl.json").read_text(encoding="utf-8"))
    assert "labelExpr" not in json.dumps(other)  # only a rank axis


def test_a_rank_axis_starts_at_the_first_rank_in_both_languages(korean_site):
    """No 0th: a rank chart's axis runs from its ranks, not from zero, on the briefing's figure
    and on the indicator page's (figures.indicator_figure), in English and in Korean."""
    ranked = [i for i in _figures(korean_site) if figures.get(i).units() == {"rank"}]
    assert "indicator-us_deficit_rank_kor" in ranked and "us_deficit_rank_kor" in ranked
    for fig_id in ranked:
        for folder in (korean_site / "assets" / "figures", korean_site / "ko" / "assets" / "figures"):
            labels = _rank_labels(_drawn((folder / f"{fig_id}.svg").read_text(encoding="utf-8")))
            ranks = [int(t.removesuffix("위")) for t in labels]
            assert ranks and min(ranks) >= 1, (fig_id, folder, labels)


def test_korean_pages_show_and_link_their_own_charts(korean_site):
    page = (korean_site / "ko" / "briefings" / "trade-balance" / "index.html").read_text(
        encoding="utf-8")
    assert 'src="../../assets/figures/us_kor_trade_history.svg"' in page
    assert 'srcset="../../assets/figures/narrow/us_kor_trade_history.svg"' in page
    assert 'data-spec="../../assets/figures/us_kor_trade_history.vl.json"' in page
    assert 'href="../../assets/figures/us_kor_trade_history.png" download' in page
    assert 'href="../../assets/figures/us_kor_trade_history.json" download' in page
    record = json.loads((korean_site / "ko" / "assets" / "figures" / "us_kor_trade_history.json")
                        .read_text(encoding="utf-8"))
    assert record["language"] == "ko" and record["title"] == "미국의 대한 상품교역, 1991–2026년"
    assert "억 달러" in record["caption"] and HANGUL.search(record["sources"][0]["publisher"])
    # the data drawn as the page's table shows it (test_a_korean_figure_download_…)
    assert 'href="../../assets/figures/us_kor_trade_history.csv" download' in page
    narrow = json.loads(html.unescape(re.search(r'data-narrow="([^"]*)"', page)[1]))
    assert all(HANGUL.search(line) for line in narrow["title"])
    assert all(artefacts._width(line) <= artefacts.TITLE_CHARS for line in narrow["title"])


def _csv(path: Path) -> tuple[list[str], list[dict]]:
    """A figure download's '#' lines and its rows (csv.DictReader, values as text)."""
    import csv
    lines = path.read_text(encoding="utf-8").splitlines()
    return ([line for line in lines if line.startswith("#")],
            list(csv.DictReader(line for line in lines if not line.startswith("#"))))


@pytest.mark.parametrize("fig_id, factor", [("us_kor_trade_history", 10),
                                             ("us_kor_duty_rate_annual", 1)])
def test_a_korean_figure_download_is_the_korean_table_of_the_english_data(korean_site, fig_id,
                                                                          factor):
    """A Korean page's CSV: Korean '#' lines (title, units, sources, columns, citation), the
    English file's columns, rows and codes, its words in Korean, money in 억 달러 (× 10)."""
    head, rows = _csv(korean_site / "ko" / "assets" / "figures" / f"{fig_id}.csv")
    english_head, english = _csv(korean_site / "assets" / "figures" / f"{fig_id}.csv")
    title = json.loads((korean_site / "ko" / "assets" / "figures" / f"{fig_id}.json")
                       .read_text(encoding="utf-8"))["title"]
    assert head[0] == f"# {title}" and HANGUL.search(title)
    units = {"us_kor_trade_history": "us_kor_exports: 억 달러, us_kor_imports: 억 달러, "
                                     "us_kor_balance: 억 달러",
             "us_kor_duty_rate_annual": "us_kor_effective_duty_rate: %"}[fig_id]
    assert head[1] == f"# 단위: {units}"
    assert ("# 억 달러: 영문판 CSV의 값(USD bn)에 10을 곱한 값으로, 그림과 같은 단위이다" in head) \
        == (factor == 10)
    assert any(line.startswith("# 출처: 미국 인구조사국(U.S. Census Bureau): ") for line in head)
    assert any(line.startswith("# 열: period=기간, label=") for line in head)
    assert head[-1] == f"# 인용 표기: 한미 통상 브리핑, 「{title}」. 판과 고정 URL을 갖춘 인용 " \
                       f"표기는 {fig_id}.json의 citation 항목에 있다"
    assert english_head[-1].startswith("# Cite as: Korea–US Trade Briefings, “")
    assert len(rows) == len(english) == len(figures.get(fig_id).drawn())
    assert list(rows[0]) == list(english[0])  # the same columns, by the same names
    for ko, en in zip(rows, english):
        assert {c: ko[c] for c in artefacts.CODE_COLUMNS + ("months",) if c in ko} == \
            {c: en[c] for c in artefacts.CODE_COLUMNS + ("months",) if c in en}
        assert float(ko["value"]) == pytest.approx(float(en["value"]) * factor, abs=1e-8)
        for column in ("label", "series"):
            if column in ko and re.search("[A-Za-z]", en[column]):
                assert HANGUL.search(ko[column]), (column, ko[column])


def _cmap(data: bytes) -> set[int]:
    from fontTools.ttLib import TTFont
    return set(TTFont(io.BytesIO(data)).getBestCmap())


def test_one_cut_of_noto_sans_kr_holds_every_character_of_the_pages_and_charts(korean_site):
    ko = korean_site / "ko"
    css = (ko / korean_font.STYLESHEET).read_text(encoding="utf-8")
    files = re.findall(r"url\(\.\./fonts/noto-sans-kr/([^)]+)\)", css)
    assert files == ["NotoSansKR-Regular.woff2", "NotoSansKR-Bold.woff2"]
    pages = "".join(p.read_text(encoding="utf-8") for p in ko.rglob("*.html"))
    charts = "".join(p.read_text(encoding="utf-8") for p in (ko / "assets" / "figures").glob("*.vl.json"))
    shown = {ord(c) for c in pages + charts if HANGUL.match(c)}
    assert len(shown) > 300
    for file in files:
        data = (ko / korean_font.FONTS / file).read_bytes()
        assert data[:4] == b"wOF2" and len(data) < 120_000, (file, len(data))
        assert shown <= _cmap(data), file
    assert "SIL Open Font" in (ko / korean_font.FONTS / "LICENSE").read_text(encoding="utf-8")
    for svg_path in (ko / "assets" / "figures").rglob("*.svg"):  # each SVG: its own characters
        svg = svg_path.read_text(encoding="utf-8")
        import base64
        inline = [_cmap(base64.b64decode(b)) for b in re.findall(r"base64,([^)]+)\)", svg)]
        drawn = {ord(c) for t in _drawn(svg) for c in t if not c.isspace()}
        assert drawn <= set().union(*inline), svg_path.name


def test_no_installed_font_has_the_korean_charts_family_name():
    """vl-convert reads the machine's fonts too: a font of the same family would mix in."""
    import shutil
    assert shutil.which("fc-list"), "fontconfig's fc-list is missing (Debian: fontconfig)"
    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    assert theme.FAMILY_KO not in installed
    assert theme.FONTS["ko"].split(",")[0] == korean_font.FAMILY == theme.FAMILY_KO


def test_the_font_cut_is_the_same_bytes_from_the_same_characters(tmp_path, monkeypatch):
    used = korean_font.drawn("미국의 대한 상품교역, 1991–2026년 억 달러")
    first = korean_font._build(used, 700, "ttf")
    monkeypatch.setattr(korean_font, "CACHE", tmp_path)  # cold: nothing cached
    assert korean_font.subset(used, 700, "ttf") == first
    from fontTools.ttLib import TTFont
    font = TTFont(io.BytesIO(first))
    assert font["name"].getDebugName(1) == theme.FAMILY_KO and font["OS/2"].usWeightClass == 700
    assert set(font.getBestCmap()) == set(used)


@pytest.fixture
def without_label(monkeypatch):
    """The Korean catalogue without the label 'USD bn' of us_kor_trade_history."""
    with korean_labels_changed(monkeypatch, "us_kor_trade_history", "USD bn"):
        yield


def test_a_missing_chart_translation_stops_the_build_naming_the_key(without_label):
    page = PageContext(src="briefings/test.md", url="briefings/test/", lang="ko",
                       local=frozenset({"", "briefings/test/"}))
    message = (r"no ko translation of figure 'us_kor_trade_history' label 'USD bn': add it under "
               r"'us_kor_trade_history\.labels' in macros/figure_catalogue\.ko\.yaml")
    with pytest.raises(PortalError, match=message):
        authoring.figure(page, "us_kor_trade_history")
    with pytest.raises(PortalError, match=message):
        artefacts.spec(figures.get("us_kor_trade_history"), "ko")


# --- in Chromium -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(korean_site):
    from conftest import serve
    with serve(korean_site) as url:
        yield url


def _expected_width(ko: Path, text: str, size: float, bold: bool) -> float:
    """The advance width of `text` in the pages' cut of Noto Sans KR (no kerning)."""
    from fontTools.ttLib import TTFont
    font = TTFont(ko / korean_font.FONTS / f"NotoSansKR-{'Bold' if bold else 'Regular'}.woff2")
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return sum(hmtx[cmap[ord(c)]][0] for c in text) * size / font["head"].unitsPerEm


# Each <text> with Hangul: [content, font size, bold, width the browser laid it out at]
MEASURE = """root => [...root.querySelectorAll('text')].filter(t => /[\uac00-\ud7a3]/.test(t.textContent))
  .map(t => { const s = getComputedStyle(t);
              return [t.textContent, parseFloat(s.fontSize), parseInt(s.fontWeight) >= 600,
                      t.getComputedTextLength()]; })"""


def _assert_drawn_with_the_font(ko: Path, measured: list, where: str) -> None:
    assert len(measured) >= 2, where  # a title and an axis title at least
    for text, size, bold, width in measured:
        expected = _expected_width(ko, text, size, bold)
        assert abs(width - expected) <= 0.03 * expected + 1, (where, text, width, expected)


def _assert_not_the_font(ko: Path, measured: list, where: str) -> None:
    mostly_hangul = [m for m in measured if 2 * len(HANGUL.findall(m[0])) >= len(m[0])]
    off = [abs(w - _expected_width(ko, t, s, b)) > 0.1 * _expected_width(ko, t, s, b)
           for t, s, b, w in mostly_hangul]
    assert measured and all(off), (where, measured)  # the check can tell tofu from Hangul


# The share of pixels that differ between two images, drawn in the page at the first's size
# times `scale`.
DIFFER = """async ([sources, scale]) => {
  const load = async source => { const img = new Image();
    img.src = source;
    await img.decode(); return img; };
  const images = await Promise.all(sources.map(load));
  const w = images[0].naturalWidth * scale, h = images[0].naturalHeight * scale;
  const [a, b] = images.map(img => { const c = document.createElement('canvas');
    c.width = w; c.height = h; const g = c.getContext('2d');
    g.fillStyle = 'white'; g.fillRect(0, 0, w, h); g.drawImage(img, 0, 0, w, h);
    return g.getImageData(0, 0, w, h).data; });
  let differ = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]) > 120) differ++;
  }
  return differ / (w * h); }"""


def _differing(page, first, second, scale: int = 1) -> float:
    return page.evaluate(DIFFER, [[first, second], scale])


def test_static_svg_draws_hangul_with_its_embedded_font_not_tofu(korean_site, server, browser):
    """The SVG a Korean page shows as an <img> (which loads no font of the page's) carries its
    font: as a document its Hangul is laid out at Noto Sans KR's advance widths, and drawn as an
    image it differs from the same SVG with the font taken out (empty boxes here)."""
    ko = korean_site / "ko"
    page = browser.new_page(bypass_csp=True)  # a data: font in a document the server's CSP forbids
    for fig_id in _figures(korean_site):
        url = server + f"ko/assets/figures/{fig_id}.svg"
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready")
        assert page.evaluate("[...document.fonts].every(f => f.status === 'loaded')")
        _assert_drawn_with_the_font(ko, page.evaluate(MEASURE, page.locator("svg").element_handle()),
                                    fig_id)
        page.evaluate("document.querySelector('style').remove()")
        _assert_not_the_font(ko, page.evaluate(MEASURE, page.locator("svg").element_handle()), fig_id)
    page.close()
    page = browser.new_page()  # as a page shows it: an <img>, under the server's CSP
    page.goto(server + "ko/briefings/trade-balance/", wait_until="load")
    src = page.locator("figure.portal-figure img").first.evaluate("img => img.currentSrc")
    svg = (ko / "assets" / "figures" / "us_kor_trade_history.svg").read_text(encoding="utf-8")
    import base64
    bare = "data:image/svg+xml;base64," + base64.b64encode(
        re.sub(r"<style>.*?</style>", "", svg).encode()).decode()  # img-src allows data:
    assert _differing(page, src, bare) > 0.003  # every Hangul label drawn differently
    page.close()


def _png_without_font(spec_path: Path) -> bytes:
    """The same spec drawn by vl-convert in a process that registers no Korean font."""
    code = ("import json, sys, vl_convert; spec = json.load(open(sys.argv[1], encoding='utf-8'));"
            f"sys.stdout.buffer.write(vl_convert.vegalite_to_png(spec, vl_version="
            f"{artefacts.VL_VERSION!r}, scale={artefacts.PNG_SCALE}))")
    return subprocess.run([sys.executable, "-c", code, str(spec_path)], check=True,
                          capture_output=True).stdout


def test_png_draws_hangul_as_the_svg_does_and_not_as_without_the_font(korean_site, server,
                                                                        browser, tmp_path):
    """The PNG (vl-convert with the TTF cut) looks like the SVG drawn by Chromium at the same
    scale, far more than the same PNG drawn without the font does."""
    import base64
    ko = korean_site / "ko"
    page = browser.new_page(device_scale_factor=artefacts.PNG_SCALE)
    page.goto(server + "ko/", wait_until="load")
    for fig_id in ("trade_balance_mirror", "us_deficit_rank_kor"):
        png = server + f"ko/assets/figures/{fig_id}.png"
        svg = server + f"ko/assets/figures/{fig_id}.svg"
        bare = "data:image/png;base64," + base64.b64encode(_png_without_font(
            ko / "assets" / "figures" / f"{fig_id}.vl.json")).decode()
        assert _differing(page, png, bare) > 0.003, fig_id  # the font is what draws the Hangul
        # the SVG drawn at the PNG's scale (the first image's size is the PNG's)
        like_svg, bare_like_svg = _differing(page, png, svg), _differing(page, bare, svg)
        assert like_svg < 0.5 * bare_like_svg, (fig_id, like_svg, bare_like_svg)
    page.close()


def _tooltip(page, chart) -> list:
    """The cells of the tooltip of the chart's last full-year bar, measured as MEASURE does (the
    tooltip is an element of the page, outside the chart)."""
    bar = chart.locator("g.mark-rect path")
    box = bar.nth(bar.count() - 2).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#vg-tooltip-element.visible")
    return page.evaluate("""() => [...document.querySelectorAll('#vg-tooltip-element td')]
      .map(td => { const s = getComputedStyle(td), r = document.createRange(); r.selectNodeContents(td);
                   return [td.textContent, parseFloat(s.fontSize), parseInt(s.fontWeight) >= 600,
                           r.getBoundingClientRect().width]; })""")


def test_interactive_chart_draws_hangul_with_the_pages_font_not_tofu(korean_site, server,
                                                                    browser):
    """vega-embed draws the Korean spec with the pages' WOFF2 cut: its Hangul at Noto Sans KR's
    advance widths; with the font files blocked, the same chart's Hangul is not."""
    from test_browser import wait_for_figures
    ko = korean_site / "ko"
    shots = {}
    for blocked in (False, True):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        if blocked:
            page.route("**/noto-sans-kr/*.woff2", lambda route: route.abort())
        page.goto(server + "ko/briefings/trade-balance/", wait_until="load")
        assert wait_for_figures(page) == ["interactive", "interactive"]
        page.evaluate("document.fonts.ready")
        chart = page.locator("figure.portal-figure .portal-figure__interactive svg").first
        measured = chart.evaluate(MEASURE)
        title = chart.evaluate("svg => [...svg.querySelectorAll('text')].map(t => t.textContent)")
        assert "미국의 대한 상품교역, 1991–2026년" in title and "억 달러" in title
        assert _english(title) == set(), title
        static = _drawn((ko / "assets" / "figures" / "us_kor_trade_history.svg").read_text(
            encoding="utf-8"))
        assert sorted(title) == sorted(static)  # the same words and numbers: one spec, one locale
        shots[blocked] = chart.screenshot()
        tooltip = _tooltip(page, chart)
        assert "억 달러" in [cell for cell, *_ in tooltip] and _english([c for c, *_ in tooltip]) == set()
        if blocked:
            _assert_not_the_font(ko, measured, "interactive, font blocked")
            _assert_not_the_font(ko, tooltip, "tooltip, font blocked")
        else:
            _assert_drawn_with_the_font(ko, measured, "interactive")
            _assert_drawn_with_the_font(ko, tooltip, "tooltip")
            assert page.evaluate(f"[...document.fonts].filter(f => f.family.includes("
                                 f"'{theme.FAMILY_KO}') && f.status === 'loaded').length") == 2
        page.close()
    assert shots[False] != shots[True]


def test_interactive_rank_axis_reads_as_the_static_chart(korean_site, server, browser):
    """vega-embed (its expression interpreter, under the CSP) labels the rank axis as vl-convert
    did: the interactive chart draws the static SVG's words, 8위 and all."""
    from test_browser import wait_for_figures
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "ko/briefings/deficit-partners/", wait_until="load")
    wait_for_figures(page)
    chart = page.locator("#figure-us_deficit_rank_kor .portal-figure__interactive svg")
    drawn = chart.evaluate("svg => [...svg.querySelectorAll('text')].map(t => t.textContent)")
    static = _drawn((korean_site / "ko" / "assets" / "figures" / "us_deficit_rank_kor.svg")
                    .read_text(encoding="utf-8"))
    assert _rank_labels(drawn) and all(t.endswith("위") for t in _rank_labels(drawn)), drawn
    assert sorted(drawn) == sorted(static)
    # its tooltip gives the rank as the pages write it (8위), not as a bare or decimal number
    last = indicators.observations("us_deficit_rank_kor").iloc[-1]
    point = chart.locator("g.mark-symbol path").last
    point.hover()
    page.wait_for_selector("#vg-tooltip-element.visible")
    cells = page.eval_on_selector_all("#vg-tooltip-element td", "tds => tds.map(t => t.textContent)")
    page.close()
    assert cells[cells.index("순위") + 1] == f"{int(last['value'])}위", cells


@pytest.fixture
def hostile_label(monkeypatch):
    """The Korean catalogue with a series label full of quotes, a backslash and markup."""
    with korean_labels_changed(monkeypatch, "us_kor_trade_history", lambda labels: {
            **labels, "US balance with Korea": "수지' || true || '\\ <b>&"}):
        yield


def test_a_translation_stays_text_in_the_spec_filter_and_svg(hostile_label):
    """A word from a translation reaches the chart as a string: quoted in the spec's filter
    expressions, escaped in the SVG; the bars it selects are the same."""
    fig = figures.get("us_kor_trade_history")
    spec = artefacts.spec(fig, "ko")
    filters = [t["filter"] for layer in spec["layer"] for t in layer.get("transform", [])]
    assert "(datum.series === '수지\\' || true || \\'\\\\ <b>&')" in filters
    svg = artefacts.svg(fig, "ko")
    assert "수지' || true || '\\ &lt;b&gt;&amp;" in svg and "<b>" not in svg
    marks = '<path d="M'  # every bar and line: a filter that selected nothing would draw fewer
    assert svg.count(marks) == artefacts.svg(fig).count(marks)
