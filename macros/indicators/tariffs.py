"""Effective US duty rates: calculated duties as a share of imports for consumption."""
from __future__ import annotations

import pandas as pd

from ..errors import PortalError
from . import indicator
from .us_trade import partial_status

DUTIES = "us_duties_on_korea"
TRACKER = "us_tariff_tracker_daily"


def _check_rate(computed: pd.Series, shipped: pd.Series, where: str, tolerance: float) -> None:
    off = (computed - shipped).abs() > tolerance
    if off.any():
        raise PortalError(f"data/{DUTIES}/{where}: computed duty ÷ imports differs from the shipped "
                          f"rate in rows {list(computed.index[off] + 2)}; check the file")


@indicator("us_kor_effective_duty_rate", title="Effective US duty rate on imports from Korea",
           unit="%", basis="US-reported", datasets=(DUTIES,),
           formula="calculated duties ÷ imports for consumption × 100",
           definition="Calculated duties collected by US Customs on imports for consumption from "
                      "Korea, as a percentage of their customs value: annual 2010–2026 (2026 "
                      "January–July) and monthly for 2025 (periods 2025-01 … 2025-12).")
def us_kor_effective_duty_rate(inputs):
    annual = inputs.table(DUTIES, "annual")
    rate = annual["duties_usd"] / annual["import_value_usd"]
    _check_rate(rate, annual["effective_rate"], "annual.csv", 0.000005)
    monthly = inputs.table(DUTIES, "monthly_2025")
    mrate = monthly["calculated_duty_usd"] / monthly["imports_for_consumption_usd"]
    _check_rate(mrate, monthly["duty_rate"], "monthly_2025.csv", 0.000005)
    for column, annual_column in (("calculated_duty_usd", "duties_usd"),
                                  ("imports_for_consumption_usd", "import_value_usd")):
        if monthly[column].sum() != annual.loc[annual["year"] == 2025, annual_column].sum():
            raise PortalError(f"data/{DUTIES}: monthly 2025 {column} does not sum to the annual "
                              f"{annual_column}; the two files disagree")
    return pd.concat([
        pd.DataFrame({"period": annual["year"].astype(str), "value": rate * 100,
                      "status": annual["months_reported"].map(partial_status)}),
        pd.DataFrame({"period": monthly["year"].astype(str) + "-" +
                      monthly["month"].astype(str).str.zfill(2), "value": mrate * 100,
                      "status": ""}),
    ])


@indicator("us_partner_effective_duty_rate", title="Effective US duty rate by partner",
           unit="%", basis="US-reported (via the TRI tracker)", datasets=(TRACKER,),
           dimensions=("partner",),
           formula="monthly mean of the daily tracker series simplemean (duties ÷ imports) × 100",
           definition="For all countries and the 30 largest US import partners, duties ÷ imports "
                      "as published daily by the tariff tracker, averaged over each month of "
                      "2024–2025 that the tracker covers in full (January 2024 to October 2025). Comparable in concept to the Korea-only rate above; the "
                      "tracker's daily smoothing means monthly values differ slightly.")
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
