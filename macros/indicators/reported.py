"""Korea-reported statistics, which exist here only as figures quoted from reports, and the
mirror gap between them and US statistics."""
from __future__ import annotations

import pandas as pd

from .. import periods
from ..errors import PortalError
from . import indicator

REPORTED = "reported_figures"
# authoring.value reads " ÷ " as the separator between the reported figures an observation
# rests on (first used for a ratio); sums and products below use the same separator
FIGURES_SEP = " ÷ "


def reported_measure(inputs, measure: str) -> pd.DataFrame:
    """Observations of one reported measure: period, value, months covered and the figure's id."""
    figures = inputs.table(REPORTED, "reported_figures")
    rows = figures[(figures["measure"] == measure) & figures["subject"].fillna("").eq("")]
    if rows.empty:
        raise PortalError(f"data/{REPORTED}/reported_figures.csv has no row with measure "
                          f"{measure!r}; add the reported figure or fix the measure code")
    return pd.DataFrame({"period": rows["period"], "value": rows["value"],
                         "months": rows["months"], "reported_id": rows["id"]}
                        ).sort_values("period")


def _reported_indicator(id: str, measure: str, title: str, unit: str, definition: str):
    @indicator(id, title=title, unit=unit, basis="Korea-reported (quoted from reports)",
               datasets=(REPORTED,), formula=f"reported figure(s) with measure {measure!r}",
               definition=definition)
    def compute(inputs):
        return reported_measure(inputs, measure)
    return compute


_reported_indicator(
    "kr_exports_to_us_reported", "kr_exports_to_us", "Korea's exports to the US (Korea-reported)",
    "USD bn", "Korea's goods exports to the United States as reported by the Korea International "
              "Trade Association from Korean customs statistics (FOB), quoted from its report.")
_reported_indicator(
    "kr_us_trade_balance_reported", "kr_us_trade_balance",
    "Korea's trade surplus with the US (Korea-reported)", "USD bn",
    "Korea's goods exports to the US minus its imports from the US in Korean statistics "
    "(exports FOB, imports CIF), as quoted by KIET; positive = Korean surplus.")
_reported_indicator(
    "kr_affiliates_us_local_procurement", "kr_affiliates_us_procurement_share_local",
    "Local purchasing by Korean firms in the US (KIET)", "%",
    "The share of their inputs that Korean-owned firms operating in the United States buy "
    "within the United States, as given by KIET in news coverage of its report (the coverage "
    "does not say how the shares were collected).")
_reported_indicator(
    "kr_ofdi_share_us", "kr_ofdi_share_us", "Share of Korea's outbound FDI going to the US", "%",
    "The United States' share of Korea's outbound foreign direct investment, from the "
    "Export-Import Bank of Korea as quoted in reports.")


@indicator("kr_intermediate_share_exports_to_us",
           title="Intermediate goods in Korea's exports to the US (Korea-reported)", unit="%",
           basis="Korea-reported (quoted from reports)", datasets=(REPORTED,),
           formula="reported intermediate-goods exports to the US ÷ reported total exports to "
                   "the US × 100, for each period where both are reported",
           definition="Computed from two figures KITA reports (not its rounded share), and "
                      "checked against the share it states.")
def kr_intermediate_share_exports_to_us(inputs):
    part = reported_measure(inputs, "kr_intermediate_exports_to_us")
    total = reported_measure(inputs, "kr_exports_to_us")
    both = part.merge(total, on="period", suffixes=("_part", "_total"))
    both["value"] = both["value_part"] / both["value_total"] * 100
    stated = reported_measure(inputs, "kr_intermediate_share_exports_to_us")
    check = both.merge(stated, on="period", how="inner")
    off = check[(check["value_x"] - check["value_y"]).abs() > 0.05]
    if not off.empty:
        raise PortalError(f"data/{REPORTED}: intermediate ÷ total exports "
                          f"({off['value_x'].iloc[0]:.2f}%) does not match the stated share "
                          f"({off['value_y'].iloc[0]}%) for {off['period'].iloc[0]}")
    return pd.DataFrame({"period": both["period"], "value": both["value"],
                         "months": both["months_total"],
                         "reported_id": both["reported_id_part"] + " ÷ " + both["reported_id_total"]})


@indicator("kr_greenfield_us_china_ratio",
           title="Korea's greenfield investment: US relative to China", unit="ratio",
           basis="Korea-reported (quoted from reports)", datasets=(REPORTED,),
           formula="greenfield investment in the US ÷ greenfield investment in China; where the "
                   "report gives China as a percentage of the US, 100 ÷ that percentage",
           definition="How many times Korea's greenfield FDI in the United States exceeds that "
                      "in China, from the figures KIEP quotes (Export-Import Bank of Korea).")
def kr_greenfield_us_china_ratio(inputs):
    rows = []
    china_pct = reported_measure(inputs, "kr_greenfield_china_pct_of_us")
    for r in china_pct.itertuples():
        rows.append({"period": r.period, "value": 100 / r.value, "months": r.months,
                     "reported_id": r.reported_id})
    ratio = reported_measure(inputs, "kr_greenfield_us_china_ratio")
    for r in ratio.itertuples():
        if r.period not in {row["period"] for row in rows}:
            rows.append({"period": r.period, "value": r.value, "months": r.months,
                         "reported_id": r.reported_id})
    return pd.DataFrame(rows).sort_values("period")


@indicator("mirror_gap_kor_exports_to_us",
           title="Mirror gap: US-reported imports vs Korea-reported exports", unit="%",
           basis="computed from US and Korea-reported statistics",
           indicators=("us_kor_imports", "kr_exports_to_us_reported"),
           formula="(US general imports from Korea − Korea-reported exports to the US) ÷ "
                   "Korea-reported exports × 100",
           definition="How far US statistics of imports from Korea exceed Korea's statistics of "
                      "its exports to the US in the same year. Differences come from valuation "
                      "(customs value vs FOB), timing, and goods shipped via third countries.")
def mirror_gap_kor_exports_to_us(inputs):
    us = inputs.observations("us_kor_imports")
    kr = inputs.observations("kr_exports_to_us_reported")
    both = periods.complete(us).merge(periods.complete(kr), on="period", suffixes=("_us", "_kr"))
    return pd.DataFrame({"period": both["period"],
                         "value": (both["value_us"] - both["value_kr"]) / both["value_kr"] * 100,
                         "reported_id": both["reported_id"]})


@indicator("kr_ofdi_total", title="Korea's outbound FDI, all destinations (Korea-reported)",
           unit="USD bn", basis="Korea-reported (official release)", datasets=(REPORTED,),
           formula="quarterly figures as released; a year = Σ of its quarters released so far",
           definition="South Korea's outbound foreign direct investment to all destinations, by "
                      "quarter as published in the Ministry of Economy and Finance's quarterly "
                      "release, and summed over the quarters of a year published so far (a "
                      "year with fewer than four quarters is a partial year).")
def kr_ofdi_total(inputs):
    quarters = reported_measure(inputs, "kr_ofdi_total")
    quarters = quarters[quarters["period"].str.contains("-Q")]
    year = quarters["period"].str[:4]
    sums = quarters.groupby(year).agg(value=("value", "sum"), quarters=("value", "count"),
                                      reported_id=("reported_id", FIGURES_SEP.join))
    # a year's months run from January, so only a run of quarters from Q1 makes a part-year
    for y in sums.index:
        present = sorted(quarters.loc[year == y, "period"].str[-1].astype(int))
        if present != list(range(1, len(present) + 1)):
            raise PortalError(f"data/{REPORTED}: the quarters of {y} with measure 'kr_ofdi_total' "
                              f"are {present}; a year sums its quarters from Q1 without gaps")
    annual = pd.DataFrame({"period": sums.index, "value": sums["value"].to_numpy(),
                           "months": (sums["quarters"] * 3).to_numpy(),
                           "reported_id": sums["reported_id"].to_numpy()})
    return pd.concat([annual, quarters.assign(months=None)], ignore_index=True)


@indicator("kr_ofdi_to_us_implied",
           title="Korea's outbound FDI to the US, implied by the official total (Korea-reported)",
           unit="USD bn", basis="Korea-reported (computed from a release and a report)",
           indicators=("kr_ofdi_total", "kr_ofdi_share_us"),
           formula="Korea's outbound FDI, all destinations (official release) × US share "
                   "(as quoted by KITA) ÷ 100, for the same months",
           definition="The amount of Korea's outbound FDI that went to the United States if the "
                      "US share quoted in the coverage of KITA's analysis is applied to the "
                      "official total for the same months. Computed to check the coverage's "
                      "'total': it equals this amount, not the official total.")
def kr_ofdi_to_us_implied(inputs):
    total = periods.of_frequency(inputs.observations("kr_ofdi_total"), "annual")
    share = inputs.observations("kr_ofdi_share_us")
    both = total.merge(share, on=["period", "months"], suffixes=("_total", "_share"))
    return pd.DataFrame({"period": both["period"],
                         "value": both["value_total"] * both["value_share"] / 100,
                         "months": both["months"],
                         "reported_id": both["reported_id_total"] + FIGURES_SEP +
                         both["reported_id_share"]})
