"""Effective US duty rates: calculated duties as a share of imports for consumption."""
from __future__ import annotations

import pandas as pd

from ..errors import PortalError
from . import indicator

DUTIES = "us_duties_on_korea"
TRACKER = "us_tariff_tracker_daily"


@indicator("us_kor_effective_duty_rate", title="Effective US duty rate on imports from Korea",
           unit="%", basis="US-reported", datasets=(DUTIES,),
           formula="calculated duties ÷ imports for consumption × 100",
           definition="Calculated duties on US imports for consumption from Korea, as a "
                      "percentage of their customs value, by year and by month. Calculated "
                      "duties are estimated by the Census Bureau from the rates applicable to "
                      "each entry; they are not a record of duties collected.")
def us_kor_effective_duty_rate(inputs):
    # The shipped rates equal duties ÷ imports, and the monthly KOR lines sum to the annual
    # rows over months_reported months: rules of the descriptor (macros/checks.py).
    annual = inputs.table(DUTIES, "annual")
    rate = annual["duties_usd"] / annual["import_value_usd"]
    lines = inputs.table(DUTIES, "monthly_lines")
    monthly = lines[(lines["country_code"] == "KOR") & lines["import_value_usd"].notna()]
    mrate = monthly["duties_usd"] / monthly["import_value_usd"]
    return pd.concat([
        pd.DataFrame({"period": annual["year"].astype(str), "value": rate * 100,
                      "months": annual["months_reported"]}),
        pd.DataFrame({"period": monthly["year"].astype(str) + "-" +
                      monthly["month"].astype(str).str.zfill(2), "value": mrate * 100}),
    ])


@indicator("us_partner_effective_duty_rate", title="Effective US duty rate by partner",
           unit="%", basis="US-reported (via the TRI tracker)", datasets=(TRACKER,),
           dimensions=("partner",),
           formula="monthly mean of the daily tracker series simplemean (duties ÷ imports) × 100",
           definition="For all countries and the 30 largest US import partners, duties ÷ imports "
                      "as published daily by the tariff tracker, averaged over each month that "
                      "the tracker covers on every day. Comparable in concept to the Korea-only "
                      "Census rate, but not equal to it: the tracker smooths duties over days.")
def us_partner_effective_duty_rate(inputs):
    daily = inputs.table(TRACKER, "daily")
    daily = daily.assign(period=daily["date"].dt.strftime("%Y-%m"),
                         days_in_month=daily["date"].dt.days_in_month)
    monthly = daily.groupby(["cty_name", "period"], as_index=False).agg(
        simplemean=("simplemean", "mean"), days=("simplemean", "count"),
        days_in_month=("days_in_month", "first"))
    # The tracker stops publishing duties on 2025-11-02: a month counts only when every day has
    # a value, so no monthly mean rests on a fraction of its month.
    monthly = monthly[monthly["days"] == monthly["days_in_month"]]
    return pd.DataFrame({"period": monthly["period"], "value": monthly["simplemean"] * 100,
                         "partner": monthly["cty_name"]})


STATUTORY = "us_statutory_tariff_by_country"
CENSUS_PARTNERS = {"KOR": "KOREA, SOUTH", "JPN": "JAPAN", "MEX": "MEXICO"}
ANNOUNCED_FROM = "2025-01-01"  # the month before the first event, when no 2025 measure applied


def daily_announced(events: pd.DataFrame) -> pd.DataFrame:
    """Each partner's announced rate on every day from January 2025 to the end of the month of
    the last event: its 2024 rate plus the additional tariff of the latest event on or before
    the day (none before the first event)."""
    end = events["date"].max() + pd.offsets.MonthEnd(0)
    days = pd.DataFrame({"date": pd.date_range(ANNOUNCED_FROM, end, freq="D")})
    frames = []
    for partner, rows in events.sort_values("date").groupby("country_name"):
        steps = pd.merge_asof(days, rows[["date", "effective tariff"]], on="date")
        steps["effective tariff"] = steps["effective tariff"].fillna(0.0)
        base = rows["2024 tariff"].unique()
        if len(base) != 1:
            raise PortalError(f"data/{STATUTORY}/events.csv: {partner} has several 2024 tariffs "
                              f"({list(base)}); the baseline must be one number per partner")
        frames.append(steps.assign(partner=partner, rate=base[0] + steps["effective tariff"]))
    return pd.concat(frames, ignore_index=True)


@indicator("us_announced_tariff_rate", title="Announced (statutory) US tariff rate by partner",
           unit="%", basis="US tariff measures weighted by US-reported 2024 imports (via the "
                           "trade-war tracker)", datasets=(STATUTORY,), dimensions=("partner",),
           formula="monthly mean over days of (2024 duties ÷ imports + additional announced "
                   "tariff in force that day, weighted by 2024 imports)",
           definition="The tariff a partner's goods would pay if the US measures announced and "
                      "in force were applied to its 2024 pattern of exports to the United "
                      "States: the 2024 rate (calculated duties ÷ imports for consumption) plus "
                      "the additional tariff of the latest tariff event, as computed by the "
                      "trade-war tracker, averaged over the days of each month from January "
                      "2025 to the month of the last event in the data. Fixed 2024 weights: it "
                      "does not follow importers' switching to lower-tariff goods, and it "
                      "counts a measure from the day it is in force, including exemptions "
                      "applied retroactively only from the day the tracker records them.")
def us_announced_tariff_rate(inputs):
    daily = daily_announced(inputs.table(STATUTORY, "events"))
    daily["period"] = daily["date"].dt.strftime("%Y-%m")
    monthly = daily.groupby(["partner", "period"], as_index=False)["rate"].mean()
    return pd.DataFrame({"period": monthly["period"], "value": monthly["rate"],
                         "partner": monthly["partner"]})


@indicator("us_partner_calculated_duty_rate",
           title="Calculated US duty rate, Korea and two comparators (Census)", unit="%",
           basis="US-reported", datasets=(DUTIES,), dimensions=("partner",),
           formula="calculated duties ÷ imports for consumption × 100, by month",
           definition="Calculated duties on US imports for consumption from Korea, Japan and "
                      "Mexico as a percentage of their customs value, month by month from 2025, "
                      "from the Census lines the portal holds for these three partners. "
                      "Calculated duties are the Census Bureau's estimate from the rates "
                      "applicable to each entry, not a record of duties collected.")
def us_partner_calculated_duty_rate(inputs):
    lines = inputs.table(DUTIES, "monthly_lines")
    lines = lines[lines["country_code"].isin(CENSUS_PARTNERS) & (lines["year"] >= 2025)
                  & lines["import_value_usd"].notna()]
    rate = lines["duties_usd"] / lines["import_value_usd"]
    return pd.DataFrame({"period": lines["year"].astype(str) + "-" +
                         lines["month"].astype(str).str.zfill(2), "value": rate * 100,
                         "partner": lines["country_code"].map(CENSUS_PARTNERS)})
