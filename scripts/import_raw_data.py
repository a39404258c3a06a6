#!/usr/bin/env python3
"""Regenerate the CSV files in ``data/`` from the raw public data files.

MAINTAINER-ONLY refresh script.  It reads the raw inputs in
``../shared/data/raw`` (relative to the repository root; see
``../shared/data/README.md`` for provenance and licences) and rewrites every
CSV under ``data/<dataset-id>/``.  The site build and the tests never read the
raw folder and never run this script: they only read ``data/``.

What the script does, and nothing more:

* CSV inputs are copied cell by cell as text (numbers are never parsed, so no
  float is reformatted or rounded and leading zeros of codes are kept).  Line
  endings are normalised to ``\\n`` (two raw files use CRLF) and fully blank
  rows are dropped (``unsd_hs2022_to_bec4.csv`` ends with 265 of them).
* JSONL inputs (one line per country-year with 12-element monthly arrays) are
  converted to tidy CSV, one row per country-year-month, sorted by country and
  year; numbers keep the exact text they have in the JSON and ``null`` becomes
  an empty cell.  A duplicate country-year line is an error.

It never touches the ``datapackage.json`` descriptors (those are edited by
hand).  It is idempotent: a file is only rewritten when its content changes,
so running it twice gives byte-identical files.

Usage::

    .venv/bin/python scripts/import_raw_data.py [--raw PATH] [--check]

``--check`` writes nothing and exits with status 1 if any CSV in ``data/``
differs from what the raw files would produce.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
DEFAULT_RAW = REPO.parent / "shared" / "data" / "raw"

# (dataset id, output file, raw file, expected header) for plain CSV copies.
CSV_COPIES = [
    ("us_korea_goods_trade", "annual.csv", "us_korea_goods_trade_annual_census.csv",
     ["year", "us_exports_musd", "us_imports_general_musd", "balance_musd",
      "months_reported", "vintage", "source"]),
    ("us_trade_by_partner", "monthly.csv", "census_us_trade_by_partner_monthly_2013_2024.csv",
     ["cty_code", "cty_name", "imports_general_usd", "year", "month",
      "exports_total_usd", "balance_usd", "is_country"]),
    ("us_trade_by_partner", "annual.csv", "census_us_trade_by_partner_annual_2013_2024.csv",
     ["cty_code", "cty_name", "year", "imports_general_usd", "exports_total_usd",
      "balance_usd", "is_country", "deficit_rank_among_countries"]),
    ("us_imports_kor_hs10_2024", "hs10.csv", "us_imports_from_korea_hs10_2024_with_duties.csv",
     ["year", "cty_code", "hs10", "description", "hs8", "hs6",
      "imports_for_consumption_usd", "calculated_duty_usd"]),
    ("hs2022_bec4", "correspondence.csv", "unsd_hs2022_to_bec4.csv",
     ["hs2022_hs6", "bec4", "relationship"]),
    ("bec4_classes", "classes.csv", "bec4_categories_sna_classes.csv",
     ["bec4", "description", "parent", "sna_basic_class"]),
    ("us_duties_on_korea", "annual.csv", "us_duties_on_korea_annual_2010_2026.csv",
     ["year", "duties_usd", "import_value_usd", "duties_musd", "import_value_musd",
      "effective_rate", "months_reported", "check_ok"]),
    ("us_duties_on_korea", "monthly_2025.csv", "us_duties_on_korea_monthly_2025.csv",
     ["year", "month", "partner", "calculated_duty_usd", "imports_for_consumption_usd",
      "duty_rate"]),
    ("us_tariff_tracker_daily", "daily.csv", "us_tariff_by_partner_daily_tri_tracker_2024_2025.csv",
     ["cty_name", "date", "statutory_effective_tariff", "sqrtariff", "meanweighted",
      "simplemean", "duty_total"]),
    ("us_hs2_tariff_korea", "hs2.csv", "us_hs2_tariff_korea_2024_2025.csv",
     ["HS2", "2024_imports", "2024_duty", "CTY_NAME", "CTY_CODE",
      "2025_tariff_increase", "2024_tariff"]),
    ("us_statutory_tariff_by_country", "events.csv", "us_statutory_tariff_by_country_over_time.csv",
     ["date", "country_name", "effective tariff", "total imports", "2024 tariff"]),
]

TRADE_LINES = "census_trade_by_country_kor_jpn_lines.jsonl"
DUTIES_LINES = "census_duties_by_country_selected_lines.jsonl"


def _to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def copy_csv(raw: Path, header: list[str]) -> str:
    rows = _read_csv(raw)
    if not rows or rows[0] != header:
        raise SystemExit(f"{raw.name}: unexpected header {rows[:1]}")
    kept = [rows[0]] + [r for r in rows[1:] if any(c.strip() for c in r)]
    bad = [i for i, r in enumerate(kept) if len(r) != len(header)]
    if bad:
        raise SystemExit(f"{raw.name}: rows with wrong width, e.g. row {bad[0]}")
    text = _to_csv(kept)
    # Guard: the output must parse back to exactly the same cells.
    if list(csv.reader(io.StringIO(text))) != kept:
        raise SystemExit(f"{raw.name}: CSV round trip changed cells")
    return text


def _read_jsonl(raw: Path) -> list[dict]:
    # parse_float/parse_int=str keep every number exactly as written in the file.
    lines = []
    with raw.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                lines.append(json.loads(line, parse_float=str, parse_int=str))
    seen: dict[tuple[str, str], int] = {}
    for n, d in enumerate(lines, 1):
        key = (d["country_code"], d["year"])
        if key in seen:
            raise SystemExit(f"{raw.name}: duplicate country-year {key} (lines {seen[key]} and {n})")
        seen[key] = n
    # Tidy order: by country, then year (the raw lines are not in order).
    return sorted(lines, key=lambda d: (d["country_code"], int(d["year"])))


def _cell(v) -> str:
    return "" if v is None else str(v)


def _monthly(lines: list[dict], arrays: list[str], names: list[str]) -> str:
    rows = [["country_code", "year", "month", *names]]
    for d in lines:
        series = [d[a] for a in arrays]
        if any(len(s) != 12 for s in series):
            raise SystemExit(f"{d['country_code']} {d['year']}: monthly arrays must have 12 values")
        for m in range(12):
            rows.append([d["country_code"], d["year"], str(m + 1), *(_cell(s[m]) for s in series)])
    return _to_csv(rows)


def build(raw_dir: Path) -> dict[Path, str]:
    """Return {output path: file content} for every CSV in data/."""
    out: dict[Path, str] = {}
    for dataset, name, raw, header in CSV_COPIES:
        out[DATA / dataset / name] = copy_csv(raw_dir / raw, header)

    trade = _read_jsonl(raw_dir / TRADE_LINES)
    out[DATA / "us_korea_goods_trade" / "monthly_lines.csv"] = _monthly(
        trade, ["exports", "imports"], ["exports_musd", "imports_musd"])
    rows = [["country_code", "year", "exports_musd", "imports_musd", "balance_musd"]]
    for d in trade:
        rows.append([d["country_code"], d["year"], _cell(d["exports_year"]),
                     _cell(d["imports_year"]), _cell(d["balance_year"])])
    out[DATA / "us_korea_goods_trade" / "annual_lines.csv"] = _to_csv(rows)

    duties = _read_jsonl(raw_dir / DUTIES_LINES)
    out[DATA / "us_duties_on_korea" / "monthly_lines.csv"] = _monthly(
        duties, ["duties", "import_value", "rate"], ["duties_usd", "import_value_usd", "rate"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw", type=Path, default=DEFAULT_RAW, help=f"raw folder (default {DEFAULT_RAW})")
    ap.add_argument("--check", action="store_true", help="write nothing; fail if data/ is stale")
    args = ap.parse_args(argv)
    if not args.raw.is_dir():
        raise SystemExit(f"raw data folder not found: {args.raw}")

    stale = []
    for path, text in build(args.raw).items():
        data = text.encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            status = "unchanged"
        else:
            stale.append(path)
            status = "stale" if args.check else "written"
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(path.suffix + ".tmp")
                tmp.write_bytes(data)
                tmp.replace(path)
        nrows = sum(1 for _ in csv.reader(io.StringIO(text))) - 1
        print(f"{status:9} {path.relative_to(REPO)} ({nrows} rows)")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
