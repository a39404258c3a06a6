"""The time model: frequency and coverage as data, and charts that never join frequencies or
draw a partial year as if it were a full one."""
from __future__ import annotations

import pandas as pd
import pytest

from macros import figures, indicators, periods
from macros.errors import PortalError


def test_period_words_and_labels_come_from_frequency_and_months():
    assert periods.frequency_of("2024") == "annual"
    assert periods.frequency_of("2024-Q3") == "quarterly"
    assert periods.frequency_of("2025-07") == "monthly"
    assert periods.words("2026", "annual", 7) == "January–July 2026"
    assert periods.label("2026", "annual", 7) == "2026 (Jan–Jul)"
    assert periods.label("2025-07", "monthly", 1) == "Jul 2025"
    assert periods.words("2024-Q3", "quarterly", 3) == "the third quarter of 2024"
    assert periods.note("annual", 12, "2025") == ""
    with pytest.raises(PortalError, match=r"period '2025-13' is not a year"):
        periods.frequency_of("2025-13")


def test_impossible_coverage_is_refused():
    table = pd.DataFrame({"period": ["2025-07"], "value": [1.0], "months": [3]})
    with pytest.raises(PortalError, match=r"covers 3 months, but a monthly period has 1 to 1"):
        periods.normalise(table, "x")


def test_a_chart_never_draws_two_frequencies():
    duty = indicators.observations("us_kor_effective_duty_rate")
    assert periods.frequencies(duty) == ["annual", "monthly"]
    pages = figures.indicator_figures("us_kor_effective_duty_rate")
    assert [f.id for f in pages] == ["indicator-us_kor_effective_duty_rate",
                                     "indicator-us_kor_effective_duty_rate-monthly"]
    for fig, frequency in zip(pages, ("annual", "monthly")):
        assert set(fig.drawn()["frequency"]) == {frequency}
    annual = figures.get("us_kor_duty_rate_annual").drawn()
    assert set(annual["frequency"]) == {"annual"}
    assert len(annual) == len(duty[duty["frequency"] == "annual"])


def test_partial_year_stands_apart_from_the_line_of_full_years():
    fig = figures.get("us_kor_trade_history")
    drawn = fig.drawn()
    partial = drawn[drawn["coverage"] == figures.PARTIAL]
    assert set(partial["period"]) == {"2026"} and set(partial["label"]) == {"2026 (Jan–Jul)"}
    spec = fig.chart().to_dict()
    lines = [layer for outer in spec["layer"] for layer in outer.get("layer", [outer])
             if layer["mark"] == "line" or layer["mark"].get("type") == "line"]
    assert lines and all({"filter": "(datum.coverage === 'full period')"} in layer["transform"]
                         for layer in lines)
    assert fig.title == "US goods trade with Korea, 1991–2026"
    assert "2026 covers January–July only." in fig.caption
    assert "every full year since 1998" in fig.alt_text()


def test_monthly_duty_figure_rolls_forward_to_the_latest_month():
    fig = figures.get("us_kor_duty_rate_monthly")
    latest = indicators.observation("us_kor_effective_duty_rate", "latest", frequency="monthly")
    assert fig.drawn()["period"].iloc[-1] == latest["period"] == "2026-07"
    assert fig.title.endswith("Jan 2025 – Jul 2026")
    assert "peak of 15.0% in September 2025" in fig.alt_text()
