"""Property-based tests (hypothesis) of the loader, the descriptor rules and the indicators:
random valid tables validate, compute and satisfy the identities; random invalid ones are
refused with a message that names the file, row and field.

Each example writes a small dataset folder shaped like the real `us_korea_goods_trade` (same
descriptor, rules and columns, random values) and reads it through `macros.datasets` exactly as
the build does.
"""
from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from macros import datasets, indicators
from macros.errors import PortalError

REAL = datasets.ROOT / "data" / "us_korea_goods_trade"
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "CACHE_DIR", tmp_path / "validation")
    count = {"n": 0}

    def make(annual_rows, monthly_rows):
        count["n"] += 1
        data = tmp_path / f"data{count['n']}"
        target = data / "us_korea_goods_trade"
        target.mkdir(parents=True)
        shutil.copy(REAL / "datapackage.json", target)
        descriptor = json.loads((REAL / "datapackage.json").read_text())
        header = {r["name"]: ",".join(f["name"] for f in r["schema"]["fields"])
                  for r in descriptor["resources"]}
        (target / "annual.csv").write_text(header["annual"] + "\n" + "".join(
            f"{y},{x},{m},{b},{n},2026,test\n" for y, x, m, b, n in annual_rows))
        (target / "monthly_lines.csv").write_text(header["monthly_lines"] + "\n" + "".join(
            f"KOR,{y},{mo},{x},{m}\n" for y, mo, x, m in monthly_rows))
        (target / "annual_lines.csv").write_text(header["annual_lines"] + "\n" + "".join(
            f"KOR,{y},{x},{m},{b}\n" for y, x, m, b, _ in annual_rows))
        datasets.use_data_dir(data)
        return target
    yield make
    datasets.use_data_dir(datasets.ROOT / "data")


# Monthly values in tenths of a million (as published), bounded so years move plausibly.
tenths = st.integers(min_value=20_000, max_value=40_000)


@st.composite
def series(draw):
    """A valid series: consecutive years, 12 months each (the last possibly fewer), monthly
    values whose sums are the annual totals, balances = exports − imports."""
    start = draw(st.integers(min_value=1991, max_value=2020))
    years = draw(st.integers(min_value=2, max_value=5))
    last_months = draw(st.integers(min_value=1, max_value=12))
    annual, monthly = [], []
    for i, year in enumerate(range(start, start + years)):
        months = last_months if i == years - 1 else 12
        exports = [draw(tenths) for _ in range(months)]
        imports = [draw(tenths) for _ in range(months)]
        for month in range(1, 13):
            if month <= months:
                monthly.append((year, month, exports[month - 1] / 10, imports[month - 1] / 10))
            else:
                monthly.append((year, month, "", ""))
        x, m = sum(exports) / 10, sum(imports) / 10
        annual.append((year, round(x, 1), round(m, 1), round(x - m, 1), months))
    return annual, monthly


@SETTINGS
@given(series())
def test_random_valid_tables_compute_and_satisfy_the_identities(folder, drawn):
    annual, monthly = drawn
    folder(annual, monthly)
    balance = indicators.observations("us_kor_balance").set_index("period")
    exports = indicators.observations("us_kor_exports").set_index("period")
    imports = indicators.observations("us_kor_imports").set_index("period")
    assert list(balance.index) == [str(row[0]) for row in annual]
    assert ((balance["value"] - (exports["value"] - imports["value"])).abs() < 1e-9).all()
    for year, x, m, b, months in annual:
        assert abs(exports.loc[str(year), "value"] - x / 1000) < 1e-9
        assert balance.loc[str(year), "months"] == months  # a partial year stays partial


@SETTINGS
@given(series(), st.data())
def test_random_invalid_tables_are_refused_naming_file_row_and_field(folder, drawn, data):
    annual, monthly = drawn
    row = data.draw(st.integers(min_value=0, max_value=len(annual) - 1))
    year, x, m, b, months = annual[row]
    kind = data.draw(st.sampled_from(["balance", "scale", "months", "sum"]))
    if kind == "balance":  # balance ≠ exports − imports
        annual[row] = (year, x, m, round(b + data.draw(st.sampled_from([-5, 1, 250])), 1), months)
        field = "balance_musd"
    elif kind == "scale":  # a value in dollars where the column is in millions
        annual[row] = (year, x * 1_000_000, m, round(x * 1_000_000 - m, 1), months)
        field = "us_exports_musd"
    elif kind == "months":  # a partial year whose months were lost (or the reverse)
        annual[row] = (year, x, m, b, 12 if months != 12 else 11)
        field = "months_reported"
    else:  # a month changed: the lines no longer sum to the year
        i = next(i for i, line in enumerate(monthly) if line[0] == year and line[2] != "")
        y, mo, mx, mm = monthly[i]
        monthly[i] = (y, mo, round(mx + 100, 1), mm)
        field = "us_exports_musd"
    folder(annual, monthly)
    with pytest.raises(PortalError) as refused:
        datasets.get("us_korea_goods_trade")
    message = str(refused.value)
    assert f"data/us_korea_goods_trade/annual.csv row {row + 2}, field {field!r}" in message or \
        (kind == "sum" and "annual_lines.csv row" in message and "sum to" in message), message


@SETTINGS
@given(st.text(alphabet="0123456789.,E+-#NA/ %$()", min_size=1, max_size=12))
def test_a_number_cell_is_read_exactly_or_refused(folder, cell):
    """Whatever a spreadsheet leaves in a number cell is either a plain number, read as
    exactly that value, or refused with the row and field named: never read as another value."""
    from macros import checks  # noqa: F401  (the rules run with the loader)
    drawn_ok = datasets._is_plain_number(cell, "number")
    annual = [(2020, 30000.0, 40000.0, -10000.0, 12)]
    monthly = [(2020, mo, 2500.0, round(40000 / 12, 1) if mo < 12 else
                round(40000 - 11 * round(40000 / 12, 1), 1)) for mo in range(1, 13)]
    target = folder(annual, monthly)
    path = target / "monthly_lines.csv"
    lines = path.read_text().splitlines()
    cells = lines[1].split(",")
    cells[3] = f'"{cell}"' if "," in cell else cell
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    try:
        table = datasets.get("us_korea_goods_trade").table("monthly_lines")
    except PortalError as refused:
        assert "monthly_lines.csv row 2" in str(refused) or "annual" in str(refused), str(refused)
        return
    assert drawn_ok, f"{cell!r} was accepted although it is not a plain number"
    assert table.loc[0, "exports_musd"] == float(cell)
