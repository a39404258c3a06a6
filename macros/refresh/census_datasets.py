"""The three Census datasets, rebuilt from the International Trade API's monthly rows.

Only months the API returns are rewritten; older rows (1991–2012, other partners' lines) stay
as they are. Annual rows are recomputed only for years whose months changed or are new, so a
refresh with unchanged publisher data writes identical files.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..errors import PortalError
from . import csvtext
from .context import Context, Refreshed

KOREA = "5800"
TRADE_FROM, DUTIES_FROM, PARTNERS_FROM = 2013, 2010, 2013
KOR_EXPORTS = ["CTY_NAME", "ALL_VAL_MO"]
KOR_IMPORTS = ["CTY_NAME", "GEN_VAL_MO", "CON_VAL_MO", "CAL_DUT_MO"]
TRADE_SOURCE = "Census API intltrade (ALL_VAL_MO, GEN_VAL_MO), monthly lines summed"


def _months(ctx: Context, label: str, endpoint: str, get: list[str], first: int,
            **predicates) -> dict[tuple[int, int], list[dict]]:
    """{(year, month): rows} for every month the API has, `first` to this year."""
    out: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for year in range(first, ctx.today.year + 1):
        for row in ctx.census.year(endpoint, get, year, label=label, **predicates):
            y, m = row["time"].split("-")[:2]
            out[int(y), int(m)].append(row)
    return out


def _one(rows: list[dict], column: str) -> int | None:
    values = [csvtext.integer(r.get(column)) for r in rows]
    values = [v for v in values if v is not None]
    return sum(values) if values else None


def _end(months) -> str:
    if not months:
        raise PortalError("the Census API returned no monthly rows at all; check the query "
                          "(PORTAL_CENSUS_API_URL?) before refreshing")
    y, m = max(months)
    return f"{y}-{m:02d}"


def _release(end: str, ctx: Context) -> str:
    return f"Census International Trade API, data through {end} (retrieved {ctx.today})"


def _by_year(rows: list[dict], code: str, columns: list[str]) -> dict[int, list[tuple]]:
    out = defaultdict(list)
    for r in rows:
        if r["country_code"] == code:
            out[int(r["year"])].append((int(r["month"]), *(r[c] for c in columns)))
    return {y: sorted(v) for y, v in out.items()}


def _replace_lines(path: Path, code: str, new: dict[int, list[dict]], columns: list[str]) -> set[int]:
    """Write `new` KOR years into a *_lines.csv; return the years whose rows changed."""
    header, rows = csvtext.read(path)
    old = _by_year(rows, code, columns)
    fresh = [r for years in new.values() for r in years]
    changed = {y for y in new if _by_year(new[y], code, columns).get(y) != old.get(y)}
    kept = [r for r in rows if not (r["country_code"] == code and int(r["year"]) in changed)]
    rows = kept + [r for r in fresh if int(r["year"]) in changed]
    rows.sort(key=lambda r: (r["country_code"], int(r["year"]), int(r.get("month") or 0)))
    csvtext.write(path, header, rows)
    return changed


def _upsert(path: Path, rows_new: list[dict], key: tuple[str, ...]) -> None:
    header, rows = csvtext.read(path)
    fresh = {tuple(r[k] for k in key): r for r in rows_new}
    rows = [r for r in rows if tuple(r[k] for k in key) not in fresh] + list(fresh.values())
    rows.sort(key=lambda r: tuple(int(r[k]) if r[k].lstrip("-").isdigit() else r[k] for k in key))
    csvtext.write(path, header, rows)


def us_korea_goods_trade(folder: Path, ctx: Context) -> Refreshed:
    """KOR monthly exports (ALL_VAL_MO) and general imports (GEN_VAL_MO) -> lines and years."""
    label = "us_korea_goods_trade"
    exports = _months(ctx, label, "exports/hs", KOR_EXPORTS, TRADE_FROM, CTY_CODE=KOREA)
    imports = _months(ctx, label, "imports/hs", KOR_IMPORTS, TRADE_FROM, CTY_CODE=KOREA)
    flows = {k: (_one(exports.get(k, []), "ALL_VAL_MO"), _one(imports.get(k, []), "GEN_VAL_MO"))
             for k in set(exports) | set(imports)}
    flows = {k: v for k, v in flows.items() if None not in v}
    lines: dict[int, list[dict]] = {}
    for year in sorted({y for y, _ in flows}):
        lines[year] = [{"country_code": "KOR", "year": str(year), "month": str(m),
                        "exports_musd": csvtext.tenth(flows[year, m][0] / 1e6) if (year, m) in flows else "",
                        "imports_musd": csvtext.tenth(flows[year, m][1] / 1e6) if (year, m) in flows else ""}
                       for m in range(1, 13)]
    changed = _replace_lines(folder / "monthly_lines.csv", "KOR", lines,
                             ["exports_musd", "imports_musd"])
    vintage = str(ctx.today.year)
    annual, annual_lines = [], []
    for year in sorted(changed):
        months = [flows[year, m] for m in range(1, 13) if (year, m) in flows]
        ex = csvtext.tenth(sum(e for e, _ in months) / 1e6)
        im = csvtext.tenth(sum(i for _, i in months) / 1e6)
        bal = csvtext.tenth(float(ex) - float(im))
        annual.append({"year": str(year), "us_exports_musd": ex, "us_imports_general_musd": im,
                       "balance_musd": bal, "months_reported": str(len(months)),
                       "vintage": vintage, "source": TRADE_SOURCE})
        annual_lines.append({"country_code": "KOR", "year": str(year), "exports_musd": ex,
                             "imports_musd": im, "balance_musd": bal})
    _upsert(folder / "annual.csv", annual, ("year", "vintage"))
    _upsert(folder / "annual_lines.csv", annual_lines, ("country_code", "year"))
    end = _end(flows)
    top = int(end[:4])
    return Refreshed(ctx.census.fetches_for(label), _release(end, ctx), end,
                     widen=[(res, "year", top, None) for res in ("annual", "monthly_lines",
                                                                  "annual_lines")]
                     + [("annual", "vintage", None, int(vintage))])


def us_duties_on_korea(folder: Path, ctx: Context) -> Refreshed:
    """KOR imports for consumption (CON_VAL_MO) and calculated duty (CAL_DUT_MO)."""
    label = "us_duties_on_korea"
    imports = _months(ctx, label, "imports/hs", KOR_IMPORTS, DUTIES_FROM, CTY_CODE=KOREA)
    flows = {k: (_one(rows, "CAL_DUT_MO"), _one(rows, "CON_VAL_MO")) for k, rows in imports.items()}
    flows = {k: v for k, v in flows.items() if None not in v}
    lines = {}
    for year in sorted({y for y, _ in flows}):
        lines[year] = []
        for m in range(1, 13):
            d, i = flows.get((year, m), (None, None))
            lines[year].append({"country_code": "KOR", "year": str(year), "month": str(m),
                                "duties_usd": "" if d is None else str(d),
                                "import_value_usd": "" if i is None else str(i),
                                "rate": "" if d is None else csvtext.rate(d, i)})
    changed = _replace_lines(folder / "monthly_lines.csv", "KOR", lines,
                             ["duties_usd", "import_value_usd", "rate"])
    annual = []
    for year in sorted(changed):
        months = [flows[year, m] for m in range(1, 13) if (year, m) in flows]
        d, i = sum(x for x, _ in months), sum(x for _, x in months)
        annual.append({"year": str(year), "duties_usd": str(d), "import_value_usd": str(i),
                       "duties_musd": csvtext.tenth_keep_zero(d / 1e6),
                       "import_value_musd": csvtext.tenth_keep_zero(i / 1e6),
                       "effective_rate": csvtext.rate(d, i), "months_reported": str(len(months)),
                       "check_ok": "True"})
    _upsert(folder / "annual.csv", annual, ("year",))
    end = _end(flows)
    top = int(end[:4])
    return Refreshed(ctx.census.fetches_for(label), _release(end, ctx), end,
                     widen=[("annual", "year", top, None), ("monthly_lines", "year", top, None)])


def _is_country(code: str) -> str:
    return str(code.isdigit() and int(code) >= 1000)


def us_trade_by_partner(folder: Path, ctx: Context) -> Refreshed:
    """Every partner's monthly exports and general imports; annual sums of changed years."""
    label = "us_trade_by_partner"
    exports = _months(ctx, label, "exports/hs", ["CTY_CODE", "CTY_NAME", "ALL_VAL_MO"], PARTNERS_FROM)
    imports = _months(ctx, label, "imports/hs", ["CTY_CODE", "CTY_NAME", "GEN_VAL_MO"], PARTNERS_FROM)
    fresh: dict[tuple[int, int], dict[str, dict]] = {}
    for (year, month) in set(exports) | set(imports):
        partners: dict[str, dict] = {}
        for rows, column, name in ((imports, "GEN_VAL_MO", "imports_general_usd"),
                                   (exports, "ALL_VAL_MO", "exports_total_usd")):
            for r in rows.get((year, month), []):
                p = partners.setdefault(r["CTY_CODE"], {"cty_code": r["CTY_CODE"],
                                                        "cty_name": r["CTY_NAME"]})
                p[name] = csvtext.integer(r[column])
        for p in partners.values():
            imp, exp = p.pop("imports_general_usd", None), p.pop("exports_total_usd", None)
            p.update(imports_general_usd=csvtext.usd(imp), year=str(year), month=str(month),
                     exports_total_usd=csvtext.usd(exp),
                     balance_usd=csvtext.usd((exp or 0) - (imp or 0)),
                     is_country=_is_country(p["cty_code"]))
        fresh[year, month] = partners
    monthly_path = folder / "monthly.csv"
    header, rows = csvtext.read(monthly_path)
    old: dict[tuple[int, int], dict[str, dict]] = defaultdict(dict)
    for r in rows:
        old[int(r["year"]), int(r["month"])][r["cty_code"]] = r
    changed_months = {k for k, v in fresh.items() if v != old.get(k)}
    for k in changed_months:
        old[k] = fresh[k]
    rows = [r for k in sorted(old) for _, r in sorted(old[k].items())]
    csvtext.write(monthly_path, header, rows)
    changed_years = {y for y, _ in changed_months}
    _partner_years(folder / "annual.csv", rows, changed_years)
    end = _end(fresh)
    top = int(end[:4])
    return Refreshed(ctx.census.fetches_for(label), _release(end, ctx), end,
                     widen=[("monthly", "year", top, None), ("annual", "year", top, None)])


def _partner_years(path: Path, monthly: list[dict], years: set[int]) -> None:
    """Annual sums for `years`; their deficit rank is left empty (a third party's column)."""
    header, rows = csvtext.read(path)
    sums: dict[tuple[int, str], dict] = {}
    for r in monthly:
        y = int(r["year"])
        if y not in years:
            continue
        s = sums.setdefault((y, r["cty_code"]), {"name": r["cty_name"], "imp": 0, "exp": 0})
        s["name"] = r["cty_name"]
        s["imp"] += csvtext.integer(r["imports_general_usd"]) or 0
        s["exp"] += csvtext.integer(r["exports_total_usd"]) or 0
    new = [{"cty_code": code, "cty_name": s["name"], "year": str(y),
            "imports_general_usd": csvtext.usd(s["imp"]), "exports_total_usd": csvtext.usd(s["exp"]),
            "balance_usd": csvtext.usd(s["exp"] - s["imp"]), "is_country": _is_country(code),
            "deficit_rank_among_countries": ""} for (y, code), s in sums.items()]
    rows = [r for r in rows if int(r["year"]) not in years] + new
    rows.sort(key=lambda r: (int(r["year"]), r["cty_code"]))
    csvtext.write(path, header, rows)
