"""Each author macro, called as a page calls it, and the reference that documents them."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from macros import authoring, reference_pages
from macros.authoring import PageContext
from macros.errors import PortalError
from macros.registry import MACROS

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def page():
    return PageContext(src="briefings/test.md", url="briefings/test/")


def test_value_links_to_indicator_page_with_provenance(page):
    out = authoring.value(page, "us_kor_balance", 2024)
    assert out.startswith('<a class="portal-value" href="../../indicators/us_kor_balance/#p-2024"')
    assert ">\u2212$65.7 bn</a>" in out
    assert "Vintage: Census release 2026" in out
    assert page.datasets == {"us_korea_goods_trade": True}


def test_value_marks_partial_period(page):
    assert "(Jan–Jul)</a>" in authoring.value(page, "us_kor_balance", 2026)


def test_reported_cites_its_report(page):
    out = authoring.reported(page, "kita_2025_kr_exports_to_us")
    assert ">$127.79 bn</a>" in out and "(KITA, 2025)" in out
    assert page.reports == {"kita_2025_01": True}


def test_figure_is_numbered_with_its_shared_svg_as_an_image_with_text_alternative(page):
    first = authoring.figure(page, "us_kor_trade_history")
    second = authoring.figure(page, "us_kor_enduse_2024")
    assert "Figure 1." in first and "Figure 2." in second
    assert "<svg" not in first  # referenced, not inlined: the page names its edition, the SVG not
    assert re.search(r'<img src="[./]*assets/figures/us_kor_trade_history\.svg" '
                     r'alt="US imports from Korea have exceeded[^"]*" width="\d+" height="\d+"',
                     first)
    assert "\n\n" not in first  # one raw HTML block for Markdown


def test_table_filters_periods_and_refuses_unknown(page):
    out = authoring.table(page, "us_kor_balance", last=3)
    assert out.count("\n") == 5 and "| 2026 |" not in out and "2026" in out
    with pytest.raises(PortalError, match="has no period '1900'"):
        authoring.table(page, "us_kor_balance", periods=[1900])


def test_sources_lists_datasets_and_reports_used(page):
    with pytest.raises(PortalError, match="found no value"):
        authoring.sources(page)
    authoring.value(page, "mirror_gap_kor_exports_to_us", 2024)
    out = authoring.sources(page)
    assert "US goods" in out or "Census" in out
    assert "Korea International Trade Association" in out


def test_generated_page_macros_render(page):
    assert "## Observations" in reference_pages.indicator_page(page, "us_kor_balance")
    assert "Primary key" in reference_pages.dataset_page(page, "us_korea_goods_trade") or \
        "primary key" in reference_pages.dataset_page(page, "us_korea_goods_trade")
    assert "`us_kor_balance`" in reference_pages.indicator_index(page)
    assert "reported_figures" in reference_pages.dataset_index(page)
    assert 'id="kita_2025_kr_exports_to_us"' in reference_pages.reported_figures_list(page)


def test_every_macro_is_documented_with_a_usage_example(page):
    reference = reference_pages.macro_reference(page)
    for name, fn in MACROS.items():
        assert f"### `{name}(" in reference
        assert re.search(r"`\{\{ " + name + r"\(", inspect.getdoc(fn)), name


def test_every_macro_has_a_test():
    tests = "".join(p.read_text() for p in TESTS.glob("test_*.py"))
    for name, fn in MACROS.items():
        assert f".{fn.__name__}(page" in tests, f"no test calls {name}"


def test_figure_carries_a_citation_naming_page_edition_and_publisher():
    page = PageContext(src="briefings/t.md", url="briefings/t/", title="Tariffs",
                       site_url="https://example.org/", edition="2026.11", year="2026")
    out = authoring.figure(page, "us_kor_duty_rate_annual")
    assert "Cite Figure 1" in out
    assert "[Figure]. In <i>Tariffs</i> (Figure 1; Version 2026.11). Korea–US Trade Briefings. " \
           "https://example.org/briefings/t/#figure-us_kor_duty_rate_annual</span>" in out
    assert "Data: U.S. Census Bureau" in out  # the original data publisher
    assert "@misc{kusb_2026_11_briefings_t_figure_us_kor_duty_rate_annual," in out


def test_changes_lists_moved_numbers_against_the_previous_record(page, tmp_path, monkeypatch):
    import json
    from macros import editions
    monkeypatch.delenv(editions.PREVIOUS_RECORD_ENV, raising=False)
    assert "nothing to compare" in reference_pages.changes(page)
    old = editions.record("2026.10")
    old["datasets"]["us_korea_goods_trade"]["sha256"] = "0" * 64
    for row in old["indicators"]["us_kor_balance"]:
        if row["period"] == "2024":
            row["value"] = -65.9669
    old["indicators"]["us_kor_balance"] = [r for r in old["indicators"]["us_kor_balance"]
                                           if r["period"] != "2026"]
    path = tmp_path / "edition.json"
    path.write_text(json.dumps(old))
    monkeypatch.setenv(editions.PREVIOUS_RECORD_ENV, str(path))
    out = reference_pages.changes(page)
    assert "Compared with edition **2026.10**: 2 published numbers moved; 1 datasets changed." in out
    assert "| 2024 | \u2212$65.967 bn | \u2212$65.686 bn | data revision |" in out
    assert "| 2026 | — | \u2212$46.230 bn | new data |" in out


def test_a_partial_year_that_gains_months_is_more_months_not_a_revision(tmp_path, monkeypatch):
    import json
    from macros import editions
    old = editions.record("2026.10")
    row = next(r for r in old["indicators"]["us_kor_balance"] if r["period"] == "2026")
    assert row["months"] == 7
    row["months"], row["value"] = 6, -40.0
    moved, _ = editions.changes(old, editions.record("2026.11"))
    [change] = [c for c in moved if c.indicator == "us_kor_balance"]
    assert (change.period, change.old, change.cause) == ("2026", -40.0, "more months published")


def test_table_of_indicator_with_dimensions_carries_the_period_anchor_value_links_to(page):
    out = authoring.table(page, "us_kor_import_enduse_share")
    assert out.count('id="p-2024"') == 1  # the first row of the period, so value() links land
    link = authoring.value(page, "us_kor_import_enduse_share", 2024, enduse="capital")
    assert 'href="../../indicators/us_kor_import_enduse_share/#p-2024"' in link


def test_link_reaches_this_languages_page_or_the_english_one_as_each_generator_reads_links():
    """link() on a Korean page: its own page where the Korean build has one, else the English
    page one folder up; `english=True` the English page; on Zensical (links read from the
    source folder) one `../` fewer; a target that is not a site path is refused."""
    ko = PageContext(src="about/methodology.md", url="about/methodology/", lang="ko",
                     local=frozenset({"", "about/methodology/", "about/authoring/"}))
    assert authoring.link(ko, "about/authoring/", "작성 안내") == \
        '<a href="../../about/authoring/">작성 안내</a>'
    assert authoring.link(ko, "data/reported_figures/#kita_2025", "<보고서>") == \
        '<a href="../../../data/reported_figures/#kita_2025">&lt;보고서&gt;</a>'
    assert authoring.link(ko, "about/authoring/#macro-reference", "목록", english=True) == \
        '<a href="../../../about/authoring/#macro-reference">목록</a>'
    zensical = PageContext(src="about/methodology.md", url="about/methodology/", lang="ko",
                           local=ko.local, links_from="about/")
    assert authoring.link(zensical, "data/", "자료") == '<a href="../../data/">자료</a>'
    page = PageContext(src="about/methodology.md", url="about/methodology/")  # English
    assert authoring.link(page, "data/", "Data", english=True) == '<a href="../../data/">Data</a>'
    for bad in ("/data/", "../data/", "data", "https://example.org/", "#top", ""):
        with pytest.raises(PortalError, match=r"give a page's site path"):
            authoring.link(ko, bad, "x")
