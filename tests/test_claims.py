"""Claim macros on the real data, and the messages they stop the build with when data change."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from macros import authoring, claims, facts, indicators
from macros.authoring import PageContext
from macros.errors import PortalError

SHOWN = ["KOREA, SOUTH", "JAPAN", "GERMANY", "VIETNAM", "CHINA", "MEXICO", "CANADA"]


@pytest.fixture
def page():
    return PageContext(src="briefings/test.md", url="briefings/test/")


def text(html: str) -> str:
    """Rendered claim without its links: '[15.0%]' marks a value with provenance."""
    return re.sub(r"<(a|span) [^>]*>([^<]*)</\1>", r"[\2]", html)


@pytest.fixture
def changed(monkeypatch):
    """Replace some values of one indicator: changed("id", {"2025-10": 15.2}, partner=…)."""
    real = indicators.observations

    def change(indicator_id, values, **dims):
        table = real(indicator_id).copy()
        for period, value in values.items():
            rows = table["period"] == period
            for d, v in dims.items():
                rows &= table[d] == v
            if rows.any():
                table.loc[rows, "value"] = value
            else:
                first = table.iloc[-1].to_dict()
                table = pd.concat([table, pd.DataFrame([{**first, "period": period,
                                                         "value": value, **dims}])],
                                  ignore_index=True)
        monkeypatch.setattr(indicators, "observations",
                            lambda i: table if i == indicator_id else real(i))
    return change


# span and coverage ------------------------------------------------------------------------

def test_span_gives_the_years_or_months_covered(page):
    assert claims.span(page, "us_kor_balance") == "1991–2026"
    assert claims.span(page, "us_kor_effective_duty_rate", frequency="annual") == "2010–2026"
    assert claims.span(page, "us_kor_effective_duty_rate", frequency="monthly") == \
        "January 2010 – July 2026"


def test_span_of_mixed_frequencies_asks_which(page):
    with pytest.raises(PortalError, match='frequency="annual"'):
        claims.span(page, "us_kor_effective_duty_rate")


def test_coverage_words_the_latest_partial_year(page):
    assert claims.coverage(page, "us_kor_balance", "latest", expect="partial") == \
        "January–July 2026"
    assert claims.coverage(page, "us_kor_balance", "latest", show="months") == "January–July"
    assert claims.coverage(page, "us_kor_balance", 2024) == "2024"


def test_coverage_pinned_partial_fails_once_the_year_is_complete(page, monkeypatch):
    real = indicators.observations
    table = real("us_kor_balance").copy()
    table.loc[table["period"] == "2026", "months"] = 12
    monkeypatch.setattr(indicators, "observations",
                        lambda i: table if i == "us_kor_balance" else real(i))
    with pytest.raises(PortalError) as err:
        claims.coverage(page, "us_kor_balance", "latest", expect="partial")
    assert str(err.value) == ("claim 'latest annual period of us_kor_balance is partial' is "
                              "false: 2026 is complete, covering January–December")


# peak and trough --------------------------------------------------------------------------

def test_peak_of_2025_is_september(page):
    assert claims.peak(page, "us_kor_effective_duty_rate", 2025, expect="2025-09") == "September"
    out = claims.peak(page, "us_kor_effective_duty_rate", 2025, show="both")
    assert text(out) == "September ([15.0%])"
    assert 'data-period="2025-09"' in out
    assert {"indicator": "us_kor_effective_duty_rate", "period": "2025-09"} in \
        authoring.NUMBERS_USED[page.src]


def test_peak_stops_with_what_the_data_now_say(page, changed):
    changed("us_kor_effective_duty_rate", {"2025-10": 15.2})
    with pytest.raises(PortalError) as err:
        claims.peak(page, "us_kor_effective_duty_rate", 2025, expect="2025-09")
    assert str(err.value) == ("claim 'peak of us_kor_effective_duty_rate in 2025 is 2025-09' is "
                              "false: the 2025 peak is now 2025-10 (15.2%)")


def test_peak_of_latest_year_rolls_forward(page):
    assert text(claims.peak(page, "us_kor_effective_duty_rate", "latest", show="both")) == \
        "January ([10.2%])"


def test_text_replaces_words_only_of_a_checked_claim(page):
    assert claims.peak(page, "us_kor_effective_duty_rate", 2025, expect="2025-09",
                       text="Highest month of the year") == "Highest month of the year"
    with pytest.raises(PortalError, match="add expect="):
        claims.peak(page, "us_kor_effective_duty_rate", 2025, text="Highest month")


def test_trough_of_2025_is_january(page):
    assert claims.trough(page, "us_kor_effective_duty_rate", 2025, expect="2025-01") == "January"


# record -----------------------------------------------------------------------------------

def test_record_2024_deficit_is_the_largest_in_the_series(page):
    assert claims.record(page, "us_kor_balance", 2024, low=True, word="largest",
                         expect="series") == "the largest in the series"
    assert claims.record(page, "us_kor_balance", 2020, low=True, word="largest") == \
        "the largest since 2016"
    assert claims.record(page, "us_kor_balance", 2004, low=True, word="largest",
                         expect="then") == "the largest in the series up to then"


def test_record_fails_when_a_later_period_goes_further(page, changed):
    changed("us_kor_balance", {"2025": -70.0})
    with pytest.raises(PortalError) as err:
        claims.record(page, "us_kor_balance", 2024, low=True, word="largest", expect="series")
    assert str(err.value) == ("claim 'us_kor_balance in 2024 is the largest in the series' is "
                              "false: it is now the largest in the series up to then")


def test_record_refuses_a_value_beaten_by_the_period_before(page):
    with pytest.raises(PortalError, match="the period before, 2024, is larger or equal"):
        claims.record(page, "us_kor_balance", 2025, low=True, word="largest")


def test_record_refuses_a_partial_year_among_full_years(page):
    with pytest.raises(PortalError, match="2026 covers January–July only; say partial=True"):
        claims.record(page, "us_kor_balance", 2026, low=True)


# streak -----------------------------------------------------------------------------------

def test_streak_us_deficit_every_year_since_1998(page):
    assert claims.streak(page, "us_kor_balance", below=0, expect=1998) == "every year since 1998"
    run = facts.streak(facts.series("us_kor_balance"), lambda v: v > 0, until="1997")
    assert (run.start.period, run.end.period, run.count) == ("1995", "1997", 3)  # last surplus
    assert claims.streak(page, "us_kor_balance", above=0, until=1997, show="span") == "1995–1997"
    assert claims.streak(page, "us_kor_balance", above=0, until=1997, show="count") == \
        "three years"


def test_streak_of_months_until_a_given_month(page):
    assert claims.streak(page, "us_kor_effective_duty_rate", below=0.5, until="2025-03",
                         frequency="monthly", expect="2016-01") == \
        "every month from January 2016 to March 2025"


def test_streak_broken_by_a_surplus_names_it(page, changed):
    changed("us_kor_balance", {"2010": 1.5})
    with pytest.raises(PortalError) as err:
        claims.streak(page, "us_kor_balance", below=0, expect=1998)
    assert str(err.value) == ("claim 'us_kor_balance below 0 in every year since 1998' is false: "
                              "it is below 0 in every year since 2011 (2010: $1.5 bn)")


def test_streak_ignores_the_partial_year(page, changed):
    changed("us_kor_balance", {"2026": 3.0})   # a part-year surplus does not end the run
    assert claims.streak(page, "us_kor_balance", below=0, expect=1998) == "every year since 1998"


# rank -------------------------------------------------------------------------------------

def test_rank_among_partners(page):
    assert claims.rank(page, "us_partner_effective_duty_rate", "2025-09", partner="CHINA",
                       among=SHOWN, expect=1) == "the highest"
    assert claims.rank(page, "us_partner_effective_duty_rate", "2024-12",
                       partner="KOREA, SOUTH", among=SHOWN, low=True, expect=3) == \
        "the third-lowest"


def test_rank_among_periods(page):
    assert claims.rank(page, "us_kor_balance", 2025, low=True, word="largest") == \
        "the second-largest"


def test_rank_change_names_the_new_leader(page, changed):
    changed("us_partner_effective_duty_rate", {"2025-09": 40.0}, partner="VIETNAM")
    with pytest.raises(PortalError) as err:
        claims.rank(page, "us_partner_effective_duty_rate", "2025-09", partner="CHINA",
                    among=SHOWN, expect=1)
    assert str(err.value) == ("claim 'CHINA is the highest of 7 for "
                              "us_partner_effective_duty_rate in 2025-09' is false: it is the "
                              "second-highest (37.2%); the highest is VIETNAM (40.0%)")


# change -----------------------------------------------------------------------------------

def test_change_words_the_balance_and_the_rank(page):
    assert text(claims.change(page, "us_kor_balance", 2024, 2025, up="narrowed",
                              down="widened", magnitude=True, expect="narrowed")) == \
        "narrowed from [$65.7 bn] in 2024 to [$56.5 bn] in 2025"
    assert text(claims.change(page, "us_deficit_rank_kor", 2021, 2024, expect="rose")) == \
        "rose from [14th] in 2021 to [8th] in 2024"
    assert text(claims.change(page, "us_deficit_rank_kor", 2021, 2024, show="by")) == \
        "rose by [6 places]"
    assert claims.change(page, "us_kor_balance", 2024, 2025, show="word") == "rose"
    assert text(claims.change(page, "us_kor_effective_duty_rate", "2025-03", "2025-04",
                              digits=2)) == "rose from [0.41%] in March to [5.56%] in April 2025"


def test_change_that_reverses_stops_the_build(page, changed):
    changed("us_kor_balance", {"2025": -70.0})
    with pytest.raises(PortalError) as err:
        claims.change(page, "us_kor_balance", 2024, 2025, up="narrowed", down="widened",
                      expect="narrowed")
    assert str(err.value) == ("claim 'us_kor_balance narrowed from 2024 to 2025' is false: it "
                              "widened, from −$65.7 bn to −$70.0 bn")


def test_change_refuses_an_unknown_expectation(page):
    with pytest.raises(PortalError, match="none of up='rose'"):
        claims.change(page, "us_kor_balance", 2024, 2025, expect="narrowed")


# compare ----------------------------------------------------------------------------------

def test_compare_partners_and_years(page):
    korea = {"partner": "KOREA, SOUTH"}
    assert claims.compare(page, "us_partner_effective_duty_rate", "2025-09", **korea,
                          than={"partner": "ALL COUNTRIES"}, expect="above") == "above"
    assert claims.compare(page, "us_partner_effective_duty_rate", "2025-09", **korea,
                          than={"partner": "JAPAN"}, expect="close") == "close to"
    assert text(claims.compare(page, "us_partner_effective_duty_rate", "2025-09",
                               partner="CHINA", than={"partner": "ALL COUNTRIES"},
                               show="times")) == "[3.5 times]"
    assert claims.compare(page, "us_kor_effective_duty_rate", "latest", frequency="annual",
                          than=2025, partial=True, expect="close") == "close to"
    assert claims.compare(page, "us_kor_balance", 2024, magnitude=True, expect="above",
                          than={"indicator": "kr_us_trade_balance_reported"}) == "above"


def test_compare_of_a_part_year_needs_partial(page):
    with pytest.raises(PortalError, match="2026 covers January–July only"):
        claims.compare(page, "us_kor_effective_duty_rate", 2026, than=2025)


def test_compare_that_no_longer_holds_says_both_values(page, changed):
    changed("us_partner_effective_duty_rate", {"2025-09": 9.8}, partner="KOREA, SOUTH")
    with pytest.raises(PortalError) as err:
        claims.compare(page, "us_partner_effective_duty_rate", "2025-09",
                       partner="KOREA, SOUTH", than={"partner": "ALL COUNTRIES"},
                       expect="above")
    assert str(err.value) == (
        "claim 'us_partner_effective_duty_rate 2025-09 (partner=KOREA, SOUTH) is above "
        "us_partner_effective_duty_rate 2025-09 (partner=ALL COUNTRIES)' is false: it is "
        "close to it (9.8% against 10.6%)")


# the README's examples --------------------------------------------------------------------

def test_readme_claim_examples_render_as_documented(page):
    import jinja2
    from pathlib import Path
    from macros.registry import MACROS
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("### Claims", 1)[1].split("\nClaims compare", 1)[0]
    rows = re.findall(r"^\| `[^|]+` \| `(\{\{.+?\}\})` \| (.+?) \|$", section, re.M)
    assert len(rows) == 8
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    bound = {name: (lambda fn: lambda *a, **k: fn(page, *a, **k))(fn) for name, fn in MACROS.items()}
    for call, rendered in rows:
        out = re.sub(r"<[^>]+>", "", env.from_string(call).render(**bound))
        assert out == rendered, call


def test_text_checks_a_change_or_comparison_without_words(page):
    assert claims.change(page, "us_kor_balance", 2022, 2024, text="", expect="fell") == ""
    with pytest.raises(PortalError, match=r"is false: it fell, from −\$43.3 bn to −\$65.7 bn"):
        claims.change(page, "us_kor_balance", 2022, 2024, text="", expect="rose")
    assert claims.compare(page, "us_kor_balance", 2024, than=2023, text="", expect="below") == ""


def test_compare_sets_an_indicator_against_a_reported_figure(page):
    from macros import claims
    out = claims.compare(page, "us_deficit_rank_kor", 2023,
                         than={"reported": "kita_2025_us_deficit_rank_kor_2023"}, close=0,
                         near="the same", expect="close")
    assert out == "the same"
    assert "kita_2025_01" in page.reports
    with pytest.raises(PortalError, match=r"is the same reported figure "
                                          r"kita_2025_us_deficit_rank_kor_2023 2023.*is below it "
                                          r"\(7th against 8th\)"):
        claims.compare(page, "us_deficit_rank_kor", 2015,
                       than={"reported": "kita_2025_us_deficit_rank_kor_2023"}, close=0,
                       near="the same", expect="close")
