"""Indicator values from the real data, checked against the raw columns they come from."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from macros import indicators
from macros.errors import PortalError

DATA = Path(__file__).resolve().parent.parent / "data"


def rows(dataset: str, resource: str) -> list[dict]:
    with open(DATA / dataset / resource, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def value(indicator_id, period, **dims):
    return indicators.observation(indicator_id, period, **dims)["value"]


def test_balance_uses_latest_vintage_and_matches_raw_columns():
    raw = [r for r in rows("us_korea_goods_trade", "annual.csv") if r["year"] == "2024"]
    latest = max(raw, key=lambda r: int(r["vintage"]))
    assert latest["vintage"] == "2026"
    expected = (float(latest["us_exports_musd"]) - float(latest["us_imports_general_musd"])) / 1000
    assert value("us_kor_balance", 2024) == pytest.approx(expected, abs=1e-12)
    assert value("us_kor_balance", 2024) == pytest.approx(-65.686)
    assert value("us_kor_balance", 2025) == pytest.approx(-56.4773)
    assert value("us_kor_imports", 2024) == pytest.approx(131.4573)
    assert value("us_kor_exports", 1991) == pytest.approx(15.505)


def test_partial_year_carries_frequency_and_months_as_data():
    months = {r["year"]: int(r["months_reported"]) for r in rows("us_korea_goods_trade", "annual.csv")}
    obs = indicators.observation("us_kor_balance", 2026)
    assert (obs["frequency"], obs["months"]) == ("annual", months["2026"]) == ("annual", 7)
    full = indicators.observation("us_kor_balance", 2025)
    assert (full["frequency"], full["months"]) == ("annual", 12)
    assert "status" not in indicators.observations("us_kor_balance")


def test_latest_rolls_forward_per_frequency_and_names_the_choices():
    assert indicators.observation("us_kor_balance", "latest")["period"] == "2026"
    assert indicators.observation("us_kor_balance", "latest", partial=False)["period"] == "2025"
    monthly = indicators.observation("us_kor_effective_duty_rate", "latest", frequency="monthly")
    assert monthly["period"] == "2026-07"
    assert monthly["value"] == pytest.approx(1254212635 / 16464706420 * 100)
    with pytest.raises(PortalError, match=r"has annual and monthly observations; say which with "
                                          r'frequency="annual" or frequency="monthly"'):
        indicators.observation("us_kor_effective_duty_rate", "latest")
    with pytest.raises(PortalError, match=r"period '2025-07' is monthly, not annual"):
        indicators.observation("us_kor_effective_duty_rate", "2025-07", frequency="annual")


def test_deficit_rank_computed_from_monthly_lines_matches_shipped_rank():
    shipped = {r["year"]: int(r["deficit_rank_among_countries"])
               for r in rows("us_trade_by_partner", "annual.csv") if r["cty_code"] == "5800"}
    table = indicators.observations("us_deficit_rank_kor")
    assert dict(zip(table["period"], table["value"].astype(int))) == shipped
    assert value("us_deficit_rank_kor", 2023) == 8


def test_effective_duty_rate_annual_and_monthly():
    annual = {r["year"]: r for r in rows("us_duties_on_korea", "annual.csv")}
    r25 = annual["2025"]
    assert value("us_kor_effective_duty_rate", 2025) == pytest.approx(
        int(r25["duties_usd"]) / int(r25["import_value_usd"]) * 100)
    assert value("us_kor_effective_duty_rate", 2025) == pytest.approx(8.297133, abs=1e-6)
    assert value("us_kor_effective_duty_rate", "2025-07") == pytest.approx(
        1316197178 / 10756838666 * 100)
    assert indicators.observation("us_kor_effective_duty_rate", 2026)["months"] == 7
    lines = [r for r in rows("us_duties_on_korea", "monthly_lines.csv")
             if r["country_code"] == "KOR" and r["import_value_usd"]]
    monthly = indicators.observations("us_kor_effective_duty_rate")
    monthly = monthly[monthly["frequency"] == "monthly"]
    assert len(monthly) == len(lines) and monthly["period"].iloc[0] == "2010-01"


def test_partner_duty_rate_is_monthly_mean_of_full_months_only():
    daily = [r for r in rows("us_tariff_tracker_daily", "daily.csv")
             if r["cty_name"] == "JAPAN" and r["date"].startswith("2025-03")]
    expected = sum(float(r["simplemean"]) for r in daily) / len(daily) * 100
    assert value("us_partner_effective_duty_rate", "2025-03", partner="JAPAN") == \
        pytest.approx(expected)
    periods = set(indicators.observations("us_partner_effective_duty_rate")["period"])
    assert "2025-10" in periods and "2025-11" not in periods  # tracker stops on 2 November


def test_enduse_shares_sum_to_100_and_split_nn_codes_once():
    table = indicators.observations("us_kor_import_enduse_share")
    assert table["value"].sum() == pytest.approx(100)
    assert set(table["enduse"]) >= {"intermediate", "capital", "consumption", "passenger_cars",
                                    "unallocated"}
    assert value("us_kor_import_enduse_share", 2024, enduse="intermediate") == \
        pytest.approx(42.6265, abs=1e-4)


def test_nn_split_divides_value_equally(monkeypatch):
    import pandas as pd
    from macros.indicators.enduse import split_by_enduse
    imports = pd.DataFrame({"hs6": ["000001"], "imports_for_consumption_usd": [90.0]})
    corr = pd.DataFrame({"hs2022_hs6": ["000001"] * 3, "bec4": ["41", "42", "61"]})
    split = split_by_enduse(imports, corr, {"41": "capital", "42": "intermediate",
                                            "61": "consumption"})
    assert split["value"].tolist() == [30.0, 30.0, 30.0]


def test_reported_indicators_and_mirror_gap():
    assert value("kr_exports_to_us_reported", 2024) == 127.79
    assert value("kr_intermediate_share_exports_to_us", 2024) == pytest.approx(65.40 / 127.79 * 100)
    assert value("kr_greenfield_us_china_ratio", 2016) == pytest.approx(100 / 38.7)
    assert value("kr_greenfield_us_china_ratio", 2024) == 9.3
    assert value("mirror_gap_kor_exports_to_us", 2024) == pytest.approx(
        (131.4573 - 127.79) / 127.79 * 100)
    assert indicators.observation("kr_ofdi_share_us", 2024)["months"] == 9


def test_unknown_period_names_closest():
    with pytest.raises(PortalError, match=r"unknown period of 'us_kor_balance' '2042'"):
        indicators.observation("us_kor_balance", 2042)


def test_unknown_indicator_suggests_closest():
    with pytest.raises(PortalError, match=r"did you mean 'us_kor_balance'"):
        indicators.observation("us_kor_balanse", 2024)


def test_unknown_dimension_value_suggests_closest():
    with pytest.raises(PortalError, match=r"did you mean 'intermediate'"):
        indicators.observation("us_kor_import_enduse_share", 2024, enduse="intermediat")


def test_missing_dimension_lists_choices():
    with pytest.raises(PortalError, match=r"needs enduse=…; one of: capital"):
        indicators.observation("us_kor_import_enduse_share", 2024)


def test_reading_an_undeclared_dataset_is_refused():
    ind = indicators.Indicator("x", "x", "%", "", "", "", lambda i: None, datasets=("a",))
    with pytest.raises(PortalError, match="without declaring it"):
        indicators.Inputs(ind).table("us_korea_goods_trade", "annual")


def test_every_indicator_is_tidy_with_declared_unit():
    for ind in indicators.REGISTRY.values():
        table = indicators.observations(ind.id)
        assert not table.empty, ind.id
        assert ind.unit in indicators.UNITS
        assert ind.sources(), ind.id


def test_announced_tariff_is_the_2024_rate_plus_the_event_in_force_averaged_over_days():
    events = [r for r in rows("us_statutory_tariff_by_country", "events.csv")
              if r["country_name"] == "KOREA, SOUTH"]
    base = float(events[0]["2024 tariff"])
    at = {r["date"]: float(r["effective tariff"]) for r in events}
    assert value("us_announced_tariff_rate", "2025-01", partner="KOREA, SOUTH") == \
        pytest.approx(base)
    # May 2025: 2025-04-11 rate for days 1–11, 2025-05-12 rate (the same) for days 12–31
    assert value("us_announced_tariff_rate", "2025-05", partner="KOREA, SOUTH") == \
        pytest.approx(base + at["2025-04-11"])
    # November 2025: 13 days at the 2025-11-01 rate, 17 days at the 2025-11-14 rate
    nov = base + (13 * at["2025-11-01"] + 17 * at["2025-11-14"]) / 30
    assert value("us_announced_tariff_rate", "2025-11", partner="KOREA, SOUTH") == \
        pytest.approx(nov)
    assert value("us_announced_tariff_rate", "2025-11", partner="KOREA, SOUTH") == \
        pytest.approx(13.876, abs=0.001)
    assert indicators.observation("us_announced_tariff_rate", "latest", partner="JAPAN")[
        "period"] == "2026-08"


def test_calculated_duty_rate_for_comparators_matches_the_census_lines():
    lines = {(r["country_code"], r["year"], r["month"]): r
             for r in rows("us_duties_on_korea", "monthly_lines.csv")}
    jpn = lines[("JPN", "2025", "9")]
    assert value("us_partner_calculated_duty_rate", "2025-09", partner="JAPAN") == \
        pytest.approx(float(jpn["duties_usd"]) / float(jpn["import_value_usd"]) * 100)
    assert value("us_partner_calculated_duty_rate", "2025-09", partner="KOREA, SOUTH") == \
        pytest.approx(value("us_kor_effective_duty_rate", "2025-09"))
    assert value("us_partner_calculated_duty_rate", "2026-07", partner="KOREA, SOUTH") == \
        pytest.approx(7.6176, abs=0.0001)


def test_enduse_split_rules_bound_the_shares_and_equal_split_is_the_published_one():
    def share(enduse, split):
        return value("us_kor_import_enduse_share_by_split", 2024, enduse=enduse, split=split)
    for enduse in ("intermediate", "consumption", "passenger_cars"):
        assert share(enduse, "equal") == pytest.approx(
            value("us_kor_import_enduse_share", 2024, enduse=enduse))
    assert share("intermediate", "intermediate_none") == pytest.approx(39.71, abs=0.01)
    assert share("intermediate", "intermediate_first") == pytest.approx(46.07, abs=0.01)
    assert share("consumption", "consumption_none") == pytest.approx(4.75, abs=0.01)
    assert share("consumption", "consumption_first") == pytest.approx(12.44, abs=0.01)
    for split in ("equal", "intermediate_first", "intermediate_none", "consumption_first",
                  "consumption_none"):
        total = indicators.observations("us_kor_import_enduse_share_by_split")
        assert total[total["split"] == split]["value"].sum() == pytest.approx(100)
    # solid-state drives (HS 8523.51) alone: BEC 42 (intermediate) and 62 (consumption)
    assert value("us_kor_imports_split_hs6", 2024, hs6="852351") == pytest.approx(5.1119, abs=1e-4)
    assert value("us_kor_imports_split_hs6", 2024, hs6="all") == pytest.approx(10.2024, abs=1e-4)


def test_official_outbound_fdi_total_is_three_times_the_total_the_kita_coverage_states():
    obs = indicators.observation("kr_ofdi_total", 2024)
    assert (obs["months"], obs["value"]) == (9, pytest.approx(16.37 + 15.93 + 14.19))
    assert value("kr_ofdi_total", "2024-Q3") == pytest.approx(14.19)
    stated = {r["id"]: float(r["value"]) for r in rows("reported_figures", "reported_figures.csv")}
    assert value("kr_ofdi_to_us_implied", 2024) == pytest.approx(
        stated["kita_2025_kr_ofdi_total_2024"], abs=0.005)


def test_observation_lookup_returns_exactly_the_row_a_scan_finds():
    """observation() looks a row up in an index; every observation of every indicator, and
    every `latest`, is the same row, values and all, as filtering the table finds."""
    for ind in indicators.REGISTRY.values():
        table = indicators.observations(ind.id)
        for position, row in table.iterrows():
            dims = {d: row[d] for d in ind.dimensions}
            found = indicators.observation(ind.id, row["period"], **dims)
            assert found.name == position and found.equals(row), (ind.id, row["period"], dims)
    scanned = indicators.observations("us_partner_effective_duty_rate")
    scanned = scanned[scanned["partner"] == "CHINA"]
    latest = indicators.observation("us_partner_effective_duty_rate", "latest", partner="CHINA")
    assert latest.equals(scanned.loc[scanned["period"] == latest["period"]].iloc[0])
    with pytest.raises(PortalError, match="period of 'us_kor_balance'"):
        indicators.observation("us_kor_balance", 1800)
