"""Behaviour only a real `mkdocs build --strict` shows: rendered numbers, generated pages,
machine-readable output, downloads, and builds that must fail."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, mkdocs_build
from macros import datasets, figures, indicators
from macros.formatting import format_value


def html(site, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_home_page_shows_headline_numbers_with_provenance(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    balance = format_value(indicators.observation("us_kor_balance", 2025)["value"], "USD bn",
                           magnitude=True)
    match = re.search(r'<a class="portal-value"[^>]*data-indicator="us_kor_balance" '
                      r'data-period="2025"[^>]*title="([^"]*)">([^<]*)</a>', page)
    assert match, "the 2025 balance is not on the home page"
    assert match.group(2) == balance == "$56.5 bn"
    assert "U.S. Census Bureau" in match.group(1) and "Census release 2026" in match.group(1)
    assert "Formula:" in match.group(1)


def test_briefings_render_values_reported_figures_and_sources(site):
    for slug in ("trade-balance", "what-korea-sells", "tariffs", "investment",
                 "deficit-partners"):
        page = html(site, f"briefings/{slug}")
        assert 'class="portal-value"' in page or 'class="portal-reported"' in page, slug
        assert 'class="portal-figure"' in page, slug
        assert not re.search(r"\{\{\s*\w+\(", page) and "Macro Rendering Error" not in page, slug
        assert re.search(r'<h2 id="sources">', page), slug


def test_partial_year_is_marked_where_shown(site):
    page = html(site, "indicators/us_kor_balance")
    assert "partial: January–July" in page
    svg = (site / "assets/figures/indicator-us_kor_balance.svg").read_text()
    assert "2026 (Jan–Jul)" in svg


def test_every_indicator_and_dataset_has_a_page(site):
    for ind in indicators.REGISTRY:
        page = html(site, f"indicators/{ind}")
        assert f"<code>{ind}</code>" in page
        assert (site / f"api/indicators/{ind}.csv").exists()
    for dataset_id in datasets.ids():
        page = html(site, f"data/{dataset_id}")
        assert datasets.get(dataset_id).publisher in page
        for res in datasets.get(dataset_id).resources:
            assert (site / "data" / dataset_id / res["path"]).exists()


def test_indicators_json_has_the_published_shape_and_values(site):
    api = json.loads((site / "api/indicators.json").read_text())["indicators"]
    assert set(api) == set(indicators.REGISTRY)
    balance = api["us_kor_balance"]
    assert {"title", "unit", "definition", "sources", "observations"} <= set(balance)
    assert balance["sources"] == ["us_korea_goods_trade"]
    by_period = {o["period"]: o["value"] for o in balance["observations"]}
    assert by_period["2024"] == pytest.approx(-65.686)
    enduse = api["us_kor_import_enduse_share"]["observations"]
    assert {o["enduse"] for o in enduse} >= {"intermediate", "capital", "consumption"}
    rows = list(csv.DictReader(io.StringIO(
        (site / "api/indicators/us_deficit_rank_kor.csv").read_text())))
    assert {r["period"]: float(r["value"]) for r in rows}["2023"] == 8


def test_indicators_json_carries_the_korean_metadata_beside_the_english(site):
    """The Korean title, definition and formula under a new key: the English fields, which
    existing programs read, are as they were."""
    api = json.loads((site / "api/indicators.json").read_text())["indicators"]
    balance = api["us_kor_balance"]
    assert balance["title"] == "US goods trade balance with Korea"
    assert balance["translations"]["ko"]["title"] == "미국의 대한 상품수지"
    assert balance["translations"]["ko"]["definition"].startswith("미국의 대한 상품 수출에서")
    for ind_id, entry in api.items():
        ko = entry["translations"]["ko"]
        assert set(ko) == {"title", "definition", "formula"} and all(ko.values()), ind_id
        assert ko["title"] != entry["title"], ind_id  # translated, not a copy of the English


def test_figure_downloads_exist_and_csv_rows_equal_points_drawn(site):
    folder = site / "assets/figures"
    shown = sorted(p.name[: -len(".vl.json")] for p in folder.glob("*.vl.json"))
    assert "us_kor_trade_history" in shown
    for fig_id in shown:
        for ext in (".png", ".svg", ".csv", ".json"):
            assert (folder / f"{fig_id}{ext}").stat().st_size > 0, fig_id + ext
        spec = json.loads((folder / f"{fig_id}.vl.json").read_text())
        drawn = spec["datasets"][spec["data"]["name"]] if "datasets" in spec else spec["data"]["values"]
        lines = [l for l in (folder / f"{fig_id}.csv").read_text().splitlines()
                 if not l.startswith("#")]
        assert len(lines) - 1 == len(drawn) == len(figures.get(fig_id).drawn()), fig_id


def test_every_download_link_resolves(site):
    for page in site.rglob("index.html"):
        for href in re.findall(r'<a href="([^"#]+)" download>', page.read_text(encoding="utf-8")):
            assert (page.parent / href).resolve().exists(), f"{page}: {href}"


def test_vendored_libraries_are_self_hosted_and_nothing_loads_from_outside(site):
    for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        assert (site / "assets/vendor" / name).stat().st_size > 10_000
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    assert lock["node_modules/vega"]["integrity"].startswith("sha512-")
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        tags = re.findall(r'<(?:script|link|img|iframe)\b[^>]*>', text)
        external = [t for t in tags if re.search(r'(?:src|href)="(?:https?:)?//', t)
                    and 'rel="canonical"' not in t]
        assert not external, f"{page}: {external}"


def test_unknown_indicator_fails_the_strict_build_naming_page_and_suggestion(scratch_project,
                                                                                tmp_path):
    (scratch_project / "docs/index.md").write_text('# Test\n\n{{ value("us_kor_balanse", 2024) }}\n')
    result = mkdocs_build(scratch_project, tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "docs/index.md line 3: value('us_kor_balanse', 2024)" in output
    assert "did you mean 'us_kor_balance'" in output


def test_undefined_variable_fails_the_strict_build(scratch_project, tmp_path):
    (scratch_project / "docs/index.md").write_text("# Test\n\n{{ us_kor_balance }}\n")
    result = mkdocs_build(scratch_project, tmp_path / "site")
    assert result.returncode != 0
    assert "us_kor_balance" in result.stdout + result.stderr
    assert "is undefined" in result.stdout + result.stderr


def test_unknown_period_fails_the_build(scratch_project, tmp_path):
    (scratch_project / "docs/index.md").write_text('# T\n\n{{ value("us_kor_balance", 1990) }}\n')
    result = mkdocs_build(scratch_project, tmp_path / "site")
    assert result.returncode != 0
    assert "unknown period of 'us_kor_balance' '1990'; did you mean '1991'" in \
        result.stdout + result.stderr


def test_a_failed_translation_fails_the_build_and_leaves_its_folder_undeployable(
        scratch_project, tmp_path):
    """`make build` (scripts/build_site.py) builds the languages side by side: a Korean page's
    error fails it, naming the page, and site/ko/ holds only BUILD-FAILED beside the English
    site, which built."""
    (scratch_project / "docs/index.md").write_text("# Test\n\nA page.\n")
    korean = (ROOT / "mkdocs.ko.yml").read_text(encoding="utf-8")
    (scratch_project / "mkdocs.ko.yml").write_text(korean.split("\nnav:")[0] + "\n",
                                                   encoding="utf-8")
    (scratch_project / "docs-ko").mkdir()
    (scratch_project / "docs-ko/index.md").write_text(
        '# 시험\n\n{{ value("us_kor_balanse", 2024) }}\n', encoding="utf-8")
    (scratch_project / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "build_site.py", scratch_project / "scripts")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "scripts/build_site.py", "mkdocs", "-d", str(site)],
                            cwd=scratch_project, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                                 "PORTAL_LANGUAGES": "en,ko", "PORTAL_PDF": "off"})
    assert result.returncode != 0
    # each line of the two builds, which run at once, says which language it is from
    assert re.search(r"^\[ko\] ERROR +- +docs-ko/index\.md line 3: "
                     r"value\('us_kor_balanse', 2024\)", result.stderr, re.M), result.stderr
    assert re.search(r"^\[en\] INFO +- +Documentation built", result.stderr, re.M)
    assert [p.name for p in (site / "ko").iterdir()] == ["BUILD-FAILED"]
    assert "한국어" in (site / "index.html").read_text(encoding="utf-8")  # its switcher


def test_png_downloads_are_rendered_at_twice_the_svg_size(site):
    import struct
    folder = site / "assets/figures"
    for svg in folder.glob("*.svg"):
        width = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg.read_text()).group(1))
        png = (folder / (svg.stem + ".png")).read_bytes()
        png_width, png_height = struct.unpack(">II", png[16:24])
        assert png_width == round(2 * width), svg.name


def test_large_growing_downloads_are_also_published_by_year(site):
    import frictionless
    from macros import download_parts
    folder = site / "data/us_trade_by_partner"
    parts = sorted((folder / "monthly-by-year").glob("*.csv"))
    assert [p.stem for p in parts][:2] == ["2013", "2014"] and len(parts) >= 12
    header = (folder / "monthly.csv").read_bytes().split(b"\n", 1)[0]
    assert all(p.read_bytes().split(b"\n", 1)[0] == header for p in parts)  # each readable alone
    whole = download_parts.whole({p.stem: p.read_bytes() for p in parts})
    assert whole == (folder / "monthly.csv").read_bytes()  # the whole file is exactly the parts
    descriptor = json.loads((folder / "datapackage.json").read_text())
    monthly = next(r for r in descriptor["resources"] if r["name"] == "monthly")
    assert monthly["path"] == [f"monthly-by-year/{p.name}" for p in parts]
    rows = frictionless.Resource(monthly, basepath=str(folder)).read_rows()
    assert len(rows) == whole.count(b"\n") - 1  # read as one table: repeated headers skipped
    assert not (site / "data/us_korea_goods_trade/annual-by-year").exists()  # small: whole only
    page = (folder / "index.html").read_text()
    here = "../../data/us_trade_by_partner/"  # the dataset's folder, from its page
    assert f'href="{here}monthly.csv"' in page and f'href="{here}monthly-by-year/2013.csv"' in page


def test_briefing_head_has_highwire_tags_and_report_jsonld(site):
    import extruct
    page = html(site, "briefings/tariffs")
    tags = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', page))
    assert tags["citation_title"] == "US tariffs on Korean goods"
    assert tags["citation_publisher"] == "Korea–US Trade Briefings"
    assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", tags["citation_publication_date"])
    assert tags["citation_public_url"].endswith("/briefings/tariffs/")
    data = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    assert data[0]["@type"] == "Report" and data[0]["name"] == tags["citation_title"]
    assert any(u.endswith("/data/us_duties_on_korea/") for u in data[0]["isBasedOn"])


def test_dataset_page_jsonld_is_a_dataset_with_distribution_licence_and_coverage(site):
    import extruct
    data = extruct.extract(html(site, "data/us_korea_goods_trade"), syntaxes=["json-ld"])["json-ld"][0]
    assert data["@type"] == "Dataset"
    assert data["creator"]["name"] == "U.S. Census Bureau"
    assert data["temporalCoverage"] == "1991/2026-07"
    assert data["license"].startswith("https://")
    assert {d["contentUrl"].rsplit("/", 1)[1] for d in data["distribution"]} == \
        {"annual.csv", "monthly_lines.csv", "annual_lines.csv"}


def test_every_page_has_a_cite_block_with_apa_chicago_bibtex_and_ris(site):
    from conftest import data_url_text
    for path in site.rglob("index.html"):
        page = path.read_text(encoding="utf-8")
        if "<h1" not in page:  # mike's redirect pages
            continue
        assert 'id="cite-this-page"' in page, path
    page = html(site, "briefings/trade-balance")
    block = page[page.index('id="cite-this-page"'):]
    assert "[accessed date]" not in block and "Preview build" in block
    assert "(Edition Dev). Korea–US Trade Briefings. https://" in block       # APA
    ris = data_url_text(re.search(r'data-format="ris" href="([^"]+)"', block).group(1))
    assert "TY  - RPRT" in ris and "SN  - dev" in ris and "UR  - https://" in ris
    bib = data_url_text(re.search(r'data-format="bibtex" href="([^"]+)"', block).group(1))
    assert bib.startswith("@techreport{kusb_dev_") and "number = {dev}" in bib


def test_each_number_carries_its_own_citation(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    import html as html_lib
    cite = json.loads(html_lib.unescape(re.search(
        r"""data-indicator="us_kor_balance" data-period="2025"[^>]*data-citation='([^']*)'""",
        page).group(1)))  # a CSL-JSON record (tests/test_citations.py parses them all)
    assert cite["title"] == "US goods trade balance with Korea, 2025" and cite["version"] == "dev"
    assert cite["URL"].endswith("indicators/us_kor_balance/#p-2025")
    assert cite["note"].startswith("Data: U.S. Census Bureau")


def test_no_python_repr_or_placeholder_reaches_a_page(site):
    leaks = re.compile(r"np\.(float|int)\d+\(|>nan<|>None<")
    bad = [str(p.relative_to(site)) for p in site.rglob("*.html") if leaks.search(p.read_text())]
    assert not bad, bad
    page = html(site, "briefings/trade-balance")
    values = re.findall(r'class="portal-value"[^>]*data-value="([^"]+)"', page)
    assert values and all(float(v) == float(v) for v in values)  # plain numbers, parseable


def test_every_figure_spec_is_valid_vega_lite(site):
    """The builds skip Altair's schema check (artefacts.spec); every spec they wrote passes it,
    and a broken one would not."""
    from altair.utils.schemapi import validate_jsonschema
    from altair.vegalite.v6.schema.core import load_schema
    from jsonschema import ValidationError
    schema = load_schema()
    specs = sorted((site / "assets/figures").glob("*.vl.json"))
    assert len(specs) > 30
    for path in specs:
        validate_jsonschema(json.loads(path.read_text(encoding="utf-8")), schema)
    broken = {**json.loads(specs[0].read_text(encoding="utf-8")), "encoding": {"x": {"field": 1}}}
    with pytest.raises(ValidationError):
        validate_jsonschema(broken, schema)


def test_pages_get_the_portals_font_as_woff2_subset_to_what_they_show(site):
    """portal.css's @font-face rules name WOFF2 files the build made from the TrueType ones
    (macros/web_fonts.py): a third of the size or less, with every glyph the TrueType font has
    for a character of an English page."""
    from fontTools.ttLib import TTFont
    css = (site / "assets/stylesheets/portal.css").read_text()
    urls = re.findall(r'@font-face\s*\{[^}]*url\("\.\./fonts/([^"]+)"\)', css)
    assert urls == ["KUBPortalSans-Regular.woff2", "KUBPortalSans-Bold.woff2"]
    text = {ord(c) for page in site.rglob("*.html") if "ko" not in page.relative_to(site).parts
            for c in page.read_text(encoding="utf-8")}
    for name in urls:
        woff2, ttf = site / "assets/fonts" / name, ROOT / "docs/assets/fonts" / name
        ttf = ttf.with_suffix(".ttf")
        assert woff2.read_bytes()[:4] == b"wOF2"
        assert woff2.stat().st_size < ttf.stat().st_size / 3
        has = set(TTFont(ttf).getBestCmap()) & text
        assert len(has) > 90 and not has - set(TTFont(woff2).getBestCmap()), name


def test_a_figures_data_table_shows_ranks_as_whole_numbers_and_money_to_three_decimals(site):
    page = html(site, "briefings/deficit-partners")
    table = re.search(r'<template data-portal-table>(.*?)</template>',
                      page[page.index('id="figure-us_deficit_rank_kor"'):], re.S).group(1)
    drawn = figures.get("us_deficit_rank_kor").drawn()
    assert re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", table) == [
        (str(label), f"{value:.0f}") for label, value in zip(drawn["label"], drawn["value"])]
    money = html(site, "briefings/trade-balance")  # USD bn keeps its three decimals
    assert re.search(r"<td>-?[\d,]+\.\d{3}</td>", money)


def test_the_reported_figures_list_says_why_a_figure_has_no_period(site):
    from macros import citations
    page = html(site, "data/reported_figures")
    undated = citations.figures().query("period.isna()", engine="python")
    assert len(undated) and "&lt;NA&gt;" not in page and "<NA>" not in page
    for r in undated.itertuples():
        row = re.search(rf'<tr id="{r.id}">(.*?)</tr>', page).group(1)
        assert re.findall(r"<td>(.*?)</td>", row)[2] == r.period_note
