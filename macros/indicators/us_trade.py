"""US-reported goods trade with Korea (Census basis) and Korea's place among US deficit partners."""
from __future__ import annotations

import pandas as pd

from ..errors import PortalError
from . import indicator

TRADE = "us_korea_goods_trade"
PARTNERS = "us_trade_by_partner"
LATEST = "Census basis; where a year was published in several releases, the latest is used."


def latest_vintage(trade: pd.DataFrame) -> pd.DataFrame:
    """One row per year: the most recent vintage (the source revises earlier years)."""
    return trade.sort_values(["year", "vintage"]).groupby("year").tail(1)


def _annual(inputs, column: str) -> pd.DataFrame:
    trade = latest_vintage(inputs.table(TRADE, "annual"))
    return pd.DataFrame({
        "period": trade["year"].astype(str),
        "value": trade[column] / 1000,
        "months": trade["months_reported"],
        "vintage": "Census release " + trade["vintage"].astype(str),
    })


@indicator("us_kor_exports", title="US goods exports to Korea", unit="USD bn",
           basis="US-reported", datasets=(TRADE,),
           formula="us_exports_musd ÷ 1,000 (total exports, f.a.s. value)",
           definition=f"Value of US goods exports to the Republic of Korea. {LATEST}")
def us_kor_exports(inputs):
    return _annual(inputs, "us_exports_musd")


@indicator("us_kor_imports", title="US goods imports from Korea", unit="USD bn",
           basis="US-reported", datasets=(TRADE,),
           formula="us_imports_general_musd ÷ 1,000 (general imports, customs value)",
           definition=f"Value of US general imports of goods from the Republic of Korea. {LATEST}")
def us_kor_imports(inputs):
    return _annual(inputs, "us_imports_general_musd")


@indicator("us_kor_balance", title="US goods trade balance with Korea", unit="USD bn",
           basis="US-reported", datasets=(TRADE,),
           formula="(us_exports_musd − us_imports_general_musd) ÷ 1,000",
           definition=f"US goods exports to Korea minus US general imports from Korea; a negative "
                      f"value is a US deficit (a Korean surplus in US statistics). {LATEST}")
def us_kor_balance(inputs):
    trade = latest_vintage(inputs.table(TRADE, "annual"))
    # balance_musd = exports − imports is a rule of the descriptor (macros/checks.py)
    computed = trade["us_exports_musd"] - trade["us_imports_general_musd"]
    table = _annual(inputs, "us_exports_musd")
    table["value"] = (computed / 1000).to_numpy()
    return table


def annual_partner_balances(monthly: pd.DataFrame) -> pd.DataFrame:
    """Annual US balance with every partner country, summed from the monthly lines, with the
    number of months the year has data for (a year still being published is partial)."""
    countries = monthly[monthly["is_country"]]
    sums = countries.groupby(["cty_code", "year"], as_index=False)[
        ["exports_total_usd", "imports_general_usd"]].sum()  # an empty month counts as 0
    months = monthly.groupby("year")["month"].nunique().rename("months").reset_index()
    sums = sums.merge(months, on="year")
    return sums.assign(balance_usd=sums["exports_total_usd"] - sums["imports_general_usd"])


@indicator("us_deficit_rank_kor", title="Korea's rank among US deficit partners", unit="rank",
           basis="US-reported", datasets=(PARTNERS,),
           formula="rank of Korea's annual US goods balance among all partner countries, "
                   "most negative first (1 = largest US deficit)",
           definition="Korea's position when partner countries (not groups) are ordered by the "
                      "size of the US goods trade deficit with them, from monthly Census lines "
                      "summed to years; checked against the rank column shipped with the data.")
def us_deficit_rank_kor(inputs):
    annual = annual_partner_balances(inputs.table(PARTNERS, "monthly"))
    annual["rank"] = annual.groupby("year")["balance_usd"].rank(method="min").astype(int)
    shipped = inputs.table(PARTNERS, "annual")
    shipped = shipped[shipped["is_country"] & shipped["deficit_rank_among_countries"].notna()]
    shipped = shipped[["cty_code", "year", "deficit_rank_among_countries"]]
    # The shipped rank (a third party's) is checked where it exists; years a refresh brought in
    # from the publisher have none.
    both = annual[annual["year"].isin(shipped["year"])].merge(
        shipped, on=["cty_code", "year"], how="outer", indicator=True)
    wrong = both[(both["_merge"] != "both") | (both["rank"] != both["deficit_rank_among_countries"])]
    if not wrong.empty:
        first = wrong.iloc[0]
        raise PortalError(
            f"data/{PARTNERS}: computed deficit rank differs from deficit_rank_among_countries for "
            f"{len(wrong)} country-years, e.g. {first['cty_code']} {first['year']}: computed "
            f"{first['rank']}, shipped {first['deficit_rank_among_countries']}; check both files")
    korea = annual[annual["cty_code"] == "5800"]
    return pd.DataFrame({"period": korea["year"].astype(str), "value": korea["rank"],
                         "months": korea["months"]})
