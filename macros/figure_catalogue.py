"""The briefing figures: each a small builder over indicator tables plus the sentence it states."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .figures import Tables, figure, fmt, label
from .formatting import format_value
from .theme import colour_scale

PARTNER_NAMES = {"KOREA, SOUTH": "Korea", "JAPAN": "Japan", "CHINA": "China",
                 "MEXICO": "Mexico", "CANADA": "Canada", "ALL COUNTRIES": "All countries"}
TRADE_SERIES = ["US exports to Korea", "US imports from Korea", "US balance with Korea"]


def _columns(data: pd.DataFrame, x: str, y_title: str, number_format: str,
             label_angle: int = 0) -> alt.Chart:
    """Vertical bars over periods, in the order given, with a tooltip per bar."""
    return alt.Chart(data).mark_bar().encode(
        x=alt.X(f"{x}:O", title=None, sort=None, axis=alt.Axis(labelAngle=label_angle)),
        y=alt.Y("value:Q", title=y_title),
        tooltip=[f"{x}:N", alt.Tooltip("value:Q", title=y_title, format=number_format)])


def _ranked_bars(data: pd.DataFrame, x_title: str, number_format: str) -> alt.Chart:
    """Horizontal bars of `label` by value, largest first."""
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort="-x"), x=alt.X("value:Q", title=x_title),
        tooltip=["label:N", alt.Tooltip("value:Q", title=x_title, format=number_format)])


def _trade_history_data(t: Tables) -> pd.DataFrame:
    frames = []
    for ind, series in zip(("us_kor_exports", "us_kor_imports", "us_kor_balance"), TRADE_SERIES):
        frames.append(t[ind].assign(series=series, label=lambda d: label(d))
                      [["period", "label", "series", "value", "status"]])
    return pd.concat(frames, ignore_index=True)


def _trade_history_summary(t: Tables) -> str:
    bal = t["us_kor_balance"]
    deficits = bal["value"] < 0
    since = bal.loc[~deficits, "period"].max()  # last surplus year
    worst = bal.loc[bal["value"].idxmin()]
    return (f"US imports from Korea have exceeded US exports to Korea in every year since "
            f"{int(since) + 1}. The US deficit was largest in {worst['period']}, at "
            f"{fmt('us_kor_balance', -worst['value'])}; 2026 covers January–July only.")


@figure("us_kor_trade_history", title="US goods trade with Korea, 1991–2026",
        caption="US exports to and general imports from Korea (lines) and the US balance "
                "(bars; negative = US deficit), USD bn, Census basis, latest vintage. "
                "2026 is January–July.",
        indicators=("us_kor_exports", "us_kor_imports", "us_kor_balance"),
        summary=_trade_history_summary)
def us_kor_trade_history(t: Tables) -> alt.Chart:
    data = _trade_history_data(t)
    base = alt.Chart(data).encode(
        x=alt.X("label:O", title=None, sort=None, axis=alt.Axis(labelAngle=-60)),
        color=alt.Color("series:N", title=None, scale=alt.Scale(
            domain=TRADE_SERIES, range=["#D55E00", "#0072B2", "#999999"])),
        tooltip=["label:N", "series:N", alt.Tooltip("value:Q", title="USD bn", format=",.1f")])
    bars = base.mark_bar().encode(y=alt.Y("value:Q", title="USD bn")).transform_filter(
        alt.datum.series == TRADE_SERIES[2])
    lines = base.mark_line(point=True).encode(y="value:Q").transform_filter(
        alt.datum.series != TRADE_SERIES[2])
    return alt.layer(bars, lines, data=data)


def _mirror_data(t: Tables) -> pd.DataFrame:
    kr = t["kr_us_trade_balance_reported"]
    us = t["us_kor_balance"]
    us = us[us["period"].isin(kr["period"])]
    return pd.concat([
        pd.DataFrame({"period": kr["period"], "value": kr["value"],
                      "series": "Korea-reported surplus with the US (KIET)"}),
        pd.DataFrame({"period": us["period"], "value": -us["value"],
                      "series": "US-reported deficit with Korea (Census)"}),
    ], ignore_index=True)


def _mirror_summary(t: Tables) -> str:
    d = _mirror_data(t)
    last = d["period"].max()
    kr, us = (d[(d.period == last) & d.series.str.startswith(p)]["value"].iloc[0]
              for p in ("Korea", "US"))
    return (f"Both sides record a Korean surplus that grew over the period; in {last} the "
            f"US-reported deficit ({fmt('us_kor_balance', us)}) exceeded the Korea-reported "
            f"surplus ({fmt('us_kor_balance', kr)}).")


@figure("trade_balance_mirror", title="The same balance, two statistical systems",
        caption="Korea's goods trade surplus with the US as Korea reports it (KIET, from Korean "
                "customs data: exports FOB, imports CIF) and as the US reports it (Census: "
                "exports f.a.s., general imports at customs value), USD bn, years both exist.",
        indicators=("us_kor_balance", "kr_us_trade_balance_reported"), summary=_mirror_summary)
def trade_balance_mirror(t: Tables) -> alt.Chart:
    data = _mirror_data(t)
    series = sorted(data["series"].unique())
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("period:O", title=None), xOffset="series:N",
        y=alt.Y("value:Q", title="USD bn"),
        color=alt.Color("series:N", title=None, scale=alt.Scale(
            domain=series, range=["#0072B2", "#D55E00"])),
        tooltip=["period:N", "series:N", alt.Tooltip("value:Q", title="USD bn", format=",.1f")])


ENDUSE_LABELS = {"intermediate": "Intermediate goods", "capital": "Capital goods",
                 "consumption": "Consumption goods", "passenger_cars": "Passenger cars (BEC 51)",
                 "processed_fuels": "Processed fuels, unsplit (BEC 32)",
                 "motor_spirit": "Motor spirit (BEC 321)", "goods_nes": "Goods n.e.s. (BEC 7)",
                 "unallocated": "No HS correspondence (HTS 98–99 etc.)"}


def _enduse_data(t: Tables) -> pd.DataFrame:
    d = t["us_kor_import_enduse_share"]
    return d.assign(label=d["enduse"].map(ENDUSE_LABELS))[["period", "enduse", "label", "value"]]


def _enduse_summary(t: Tables) -> str:
    d = _enduse_data(t).set_index("enduse")["value"]
    return (f"Intermediate goods made up {fmt('us_kor_import_enduse_share', d['intermediate'])} "
            f"of US imports from Korea in 2024, passenger cars "
            f"{fmt('us_kor_import_enduse_share', d['passenger_cars'])}, capital goods "
            f"{fmt('us_kor_import_enduse_share', d['capital'])} and consumption goods "
            f"{fmt('us_kor_import_enduse_share', d['consumption'])}.")


@figure("us_kor_enduse_2024", title="What the US imports from Korea, by end use, 2024",
        caption="Share of 2024 US imports for consumption from Korea by BEC Rev.4 end use, %; "
                "HS codes with several BEC codes are split equally. US Census data, UN "
                "correspondence.", indicators=("us_kor_import_enduse_share",),
        summary=_enduse_summary)
def us_kor_enduse_2024(t: Tables) -> alt.Chart:
    return _ranked_bars(_enduse_data(t), "% of imports", ".1f")


def _chapters_data(t: Tables, top: int = 10) -> pd.DataFrame:
    d = t["us_kor_imports_by_hs_chapter"].sort_values("value", ascending=False).head(top)
    return d.assign(label="HS " + d["chapter"])[["period", "chapter", "label", "value"]]


def _chapters_summary(t: Tables) -> str:
    all_ = t["us_kor_imports_by_hs_chapter"]
    d = _chapters_data(t, 3)
    share = d["value"].sum() / all_["value"].sum() * 100
    return (f"Three HS chapters, {', '.join(d['chapter'])}, account for "
            f"{format_value(share, '%')} of US imports from Korea in 2024; "
            f"the largest, chapter {d['chapter'].iloc[0]}, for "
            f"{fmt('us_kor_imports_by_hs_chapter', d['value'].iloc[0])}.")


@figure("us_kor_hs_chapters_2024", title="The ten largest HS chapters of US imports from Korea, "
        "2024", caption="US imports for consumption from Korea by HS chapter, USD bn, 2024. "
        "84: machinery; 85: electrical equipment; 87: vehicles and parts.",
        indicators=("us_kor_imports_by_hs_chapter",), summary=_chapters_summary)
def us_kor_hs_chapters_2024(t: Tables) -> alt.Chart:
    return _ranked_bars(_chapters_data(t), "USD bn", ",.2f")


def _duty_annual(t: Tables) -> pd.DataFrame:
    d = t["us_kor_effective_duty_rate"]
    d = d[~d["period"].str.contains("-")]
    return d.assign(label=label(d))[["period", "label", "value", "status"]]


def _duty_annual_summary(t: Tables) -> str:
    d = _duty_annual(t).set_index("period")["value"]
    return (f"The effective US duty rate on imports from Korea fell from "
            f"{fmt('us_kor_effective_duty_rate', d['2010'])} in 2010 to "
            f"{fmt('us_kor_effective_duty_rate', d['2016'])} in 2016 and stayed near that level "
            f"until 2024 ({fmt('us_kor_effective_duty_rate', d['2024'])}); it rose to "
            f"{fmt('us_kor_effective_duty_rate', d['2025'])} in 2025.")


@figure("us_kor_duty_rate_annual", title="Effective US duty rate on imports from Korea, "
        "2010–2026", caption="Calculated duties ÷ imports for consumption from Korea, %, US "
        "Census. 2026 is January–July.", indicators=("us_kor_effective_duty_rate",),
        summary=_duty_annual_summary)
def us_kor_duty_rate_annual(t: Tables) -> alt.Chart:
    return _columns(_duty_annual(t), "label", "% of import value", ".2f", label_angle=-45)


def _duty_monthly(t: Tables) -> pd.DataFrame:
    d = t["us_kor_effective_duty_rate"]
    return d[d["period"].str.startswith("2025-")][["period", "value"]]


def _duty_monthly_summary(t: Tables) -> str:
    d = _duty_monthly(t)
    peak = d.loc[d["value"].idxmax()]
    first = d.iloc[0]
    return (f"The monthly rate rose from {fmt('us_kor_effective_duty_rate', first['value'])} in "
            f"January 2025 to a peak of {fmt('us_kor_effective_duty_rate', peak['value'])} in "
            f"{peak['period']}, then fell back to "
            f"{fmt('us_kor_effective_duty_rate', d['value'].iloc[-1])} by December.")


@figure("us_kor_duty_rate_monthly_2025", title="Effective US duty rate on imports from Korea, "
        "by month, 2025", caption="Calculated duties ÷ imports for consumption from Korea, %, "
        "monthly, US Census.", indicators=("us_kor_effective_duty_rate",),
        summary=_duty_monthly_summary)
def us_kor_duty_rate_monthly_2025(t: Tables) -> alt.Chart:
    return _columns(_duty_monthly(t), "period", "% of import value", ".2f")


def _partners(t: Tables) -> pd.DataFrame:
    d = t["us_partner_effective_duty_rate"]
    d = d[d["partner"].isin(PARTNER_NAMES)]
    return d.assign(series=d["partner"].map(PARTNER_NAMES))[["period", "series", "value"]]


def _partners_summary(t: Tables) -> str:
    d = _partners(t)
    last = d[d["period"] == d["period"].max()].set_index("series")["value"]
    order = last.sort_values(ascending=False)
    return (f"In {d['period'].max()} the effective rate was highest on imports from "
            f"{order.index[0]} ({fmt('us_partner_effective_duty_rate', order.iloc[0])}); Korea "
            f"stood at {fmt('us_partner_effective_duty_rate', last['Korea'])} against "
            f"{fmt('us_partner_effective_duty_rate', last['All countries'])} for all countries.")


@figure("us_partner_duty_rates", title="Effective US duty rates by partner, 2024–2025",
        caption="Duties ÷ imports, monthly mean of the TRI tracker's daily series, %, selected "
                "partners.", indicators=("us_partner_effective_duty_rate",),
        summary=_partners_summary)
def us_partner_duty_rates(t: Tables) -> alt.Chart:
    series = list(PARTNER_NAMES.values())
    return alt.Chart(_partners(t)).mark_line().encode(
        x=alt.X("period:O", title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("value:Q", title="% of import value"),
        color=alt.Color("series:N", title=None, scale=colour_scale(series)),
        tooltip=["period:N", "series:N", alt.Tooltip("value:Q", title="%", format=".2f")])


def _rank_summary(t: Tables) -> str:
    d = t["us_deficit_rank_kor"]
    best = d.loc[d["value"].idxmin()]
    return (f"Korea ranked between {fmt('us_deficit_rank_kor', d['value'].min())} and "
            f"{fmt('us_deficit_rank_kor', d['value'].max())} among US deficit partners in "
            f"2013–2024, and {fmt('us_deficit_rank_kor', d['value'].iloc[-1])} in "
            f"{d['period'].iloc[-1]}; its highest place was in {best['period']}.")


@figure("us_deficit_rank_kor", title="Korea's rank among US deficit partners, 2013–2024",
        caption="Rank of Korea among partner countries by the size of the US goods deficit "
                "(1 = largest), computed from monthly US Census data.",
        indicators=("us_deficit_rank_kor",), summary=_rank_summary)
def us_deficit_rank_kor(t: Tables) -> alt.Chart:
    return alt.Chart(t["us_deficit_rank_kor"][["period", "value"]]).mark_line(point=True).encode(
        x=alt.X("period:O", title=None),
        y=alt.Y("value:Q", title="rank (1 = largest deficit)", scale=alt.Scale(reverse=True,
                zero=False)),
        tooltip=["period:N", alt.Tooltip("value:Q", title="rank")])


def _ofdi(t: Tables) -> pd.DataFrame:
    d = t["kr_ofdi_share_us"]
    return d.assign(label=[p + (f" ({s})" if s else "") for p, s in zip(d.period, d.status)]
                    )[["period", "label", "value"]]


def _ofdi_summary(t: Tables) -> str:
    d = _ofdi(t).set_index("period")["value"]
    return (f"The US share of Korea's outbound FDI rose from {fmt('kr_ofdi_share_us', d.iloc[0])} "
            f"in {d.index[0]} to {fmt('kr_ofdi_share_us', d.max())} in {d.idxmax()}, as reported "
            f"by the Export-Import Bank of Korea.")


@figure("kr_ofdi_share_us", title="The US share of Korea's outbound FDI (Korea-reported)",
        caption="Share of Korea's outbound foreign direct investment going to the US, %, "
                "Export-Import Bank of Korea figures as quoted by KITA.",
        indicators=("kr_ofdi_share_us",), summary=_ofdi_summary)
def kr_ofdi_share_us(t: Tables) -> alt.Chart:
    return _columns(_ofdi(t), "label", "% of outbound FDI", ".1f")
