"""The briefing figures: each a small builder over indicator tables plus the sentence it states."""
from __future__ import annotations

import pandas as pd

from . import periods
from .figures import (Tables, coverage_opacity, figure, fmt, periods_line, with_labels)
from .formatting import format_value
from .theme import alt, colour_scale

KEEP = ["period", "label", "frequency", "months", "coverage"]  # what every drawn row carries

PARTNER_NAMES = {"KOREA, SOUTH": "Korea", "JAPAN": "Japan", "CHINA": "China",
                 "MEXICO": "Mexico", "CANADA": "Canada", "ALL COUNTRIES": "All countries"}
TRADE_SERIES = ["US exports to Korea", "US imports from Korea", "US balance with Korea"]


def _columns(data: pd.DataFrame, x: str, y_title: str, number_format: str,
             label_angle: int = 0) -> alt.Chart:
    """Vertical bars over periods, in the order given, with a tooltip per bar."""
    return alt.Chart(data).mark_bar().encode(
        x=alt.X(f"{x}:O", title=None, sort=None, axis=alt.Axis(labelAngle=label_angle)),
        y=alt.Y("value:Q", title=y_title), opacity=coverage_opacity(data),
        tooltip=[f"{x}:N", alt.Tooltip("value:Q", title=y_title, format=number_format)])


def _ranked_bars(data: pd.DataFrame, x_title: str, number_format: str) -> alt.Chart:
    """Horizontal bars of `label` by value, largest first."""
    return alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort="-x"), x=alt.X("value:Q", title=x_title),
        tooltip=["label:N", alt.Tooltip("value:Q", title=x_title, format=number_format)])


def _trade_history_data(t: Tables) -> pd.DataFrame:
    frames = []
    for ind, series in zip(("us_kor_exports", "us_kor_imports", "us_kor_balance"), TRADE_SERIES):
        frames.append(with_labels(t[ind]).assign(series=series)[[*KEEP, "series", "value"]])
    return pd.concat(frames, ignore_index=True)


def _trade_history_summary(t: Tables) -> str:
    bal = periods.complete(t["us_kor_balance"])
    since = bal.loc[bal["value"] >= 0, "period"].max()  # last full year without a US deficit
    worst = bal.loc[bal["value"].idxmin()]
    streak = (f"in every full year since {int(since) + 1}" if isinstance(since, str)
              else "in every full year shown")
    return " ".join(filter(None, [
        f"US imports from Korea have exceeded US exports to Korea {streak}.",
        f"Among full years the US deficit was largest in {worst['period']}, at "
        f"{fmt('us_kor_balance', -worst['value'])}.", periods.partial_note(t["us_kor_balance"])]))


@figure("us_kor_trade_history", title="US goods trade with Korea, {span}",
        caption="US exports to and general imports from Korea (lines) and the US balance "
                "(bars; negative = US deficit), USD bn, Census basis, latest vintage. "
                "{partial} A partial year is drawn faint and not joined to the full years.",
        indicators=("us_kor_exports", "us_kor_imports", "us_kor_balance"),
        summary=_trade_history_summary)
def us_kor_trade_history(t: Tables) -> alt.Chart:
    data = _trade_history_data(t)
    colour = alt.Color("series:N", title=None, scale=alt.Scale(
        domain=TRADE_SERIES, range=["#D55E00", "#0072B2", "#999999"]))
    tooltip = ["label:N", "series:N", alt.Tooltip("value:Q", title="USD bn", format=",.1f")]
    x = alt.X("label:O", title=None, sort=None, axis=alt.Axis(labelAngle=-60))
    bars = alt.Chart(data).mark_bar().encode(
        x=x, y=alt.Y("value:Q", title="USD bn"), color=colour, opacity=coverage_opacity(data),
        tooltip=tooltip).transform_filter(alt.datum.series == TRADE_SERIES[2])
    lines = periods_line(data, alt.Y("value:Q"), tooltip, color=colour).transform_filter(
        alt.datum.series != TRADE_SERIES[2])
    return alt.layer(bars, lines, data=data).encode(x=x)


def _mirror_data(t: Tables) -> pd.DataFrame:
    kr = periods.complete(t["kr_us_trade_balance_reported"])
    us = periods.complete(t["us_kor_balance"])
    us = us[us["period"].isin(kr["period"])]
    return pd.concat([
        kr.assign(series="Korea-reported surplus with the US (KIET)"),
        us.assign(series="US-reported deficit with Korea (Census)", value=-us["value"]),
    ], ignore_index=True)[["period", "frequency", "months", "series", "value"]]


def _mirror_summary(t: Tables) -> str:
    d = _mirror_data(t)
    first, last = d["period"].min(), d["period"].max()
    at = {(p, s[:2]): v for p, s, v in zip(d["period"], d["series"], d["value"])}
    moves = [f"{'rose' if at[(last, k)] > at[(first, k)] else 'fell'} from "
             f"{fmt('us_kor_balance', at[(first, k)])} to {fmt('us_kor_balance', at[(last, k)])}"
             f" {where}" for k, where in (("Ko", "in Korean statistics"),
                                          ("US", "in US statistics"))]
    larger = "exceeded" if at[(last, "US")] > at[(last, "Ko")] else "was smaller than"
    return (f"Between {first} and {last} the Korean surplus {moves[0]} and {moves[1]}; in {last} "
            f"the US-reported deficit {larger} the Korea-reported surplus.")


@figure("trade_balance_mirror", title="The same balance, two statistical systems",
        caption="Korea's goods trade surplus with the US as Korea reports it (KIET, from Korean "
                "customs data: exports FOB, imports CIF) and as the US reports it (Census: "
                "exports f.a.s., general imports at customs value), USD bn, full years for "
                "which both exist ({span}).",
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
    d = d[d["value"] > 0]  # a class with no imports is not drawn (motor spirit, in 2024)
    return d.assign(label=d["enduse"].map(ENDUSE_LABELS))[
        ["period", "frequency", "months", "label", "value"]]


def _enduse_summary(t: Tables) -> str:
    data = _enduse_data(t)
    d = data.set_index("label")["value"]
    share = lambda key: fmt("us_kor_import_enduse_share", d[ENDUSE_LABELS[key]])  # noqa: E731
    return (f"Intermediate goods made up {share('intermediate')} of US imports from Korea in "
            f"{periods.span(data)}, passenger cars {share('passenger_cars')}, capital goods "
            f"{share('capital')} and consumption goods {share('consumption')}; the shares of "
            "HS codes that correspond to several end uses are split equally.")


@figure("us_kor_enduse_2024", title="What the US imports from Korea, by end use, {span}",
        caption="Share of US imports for consumption from Korea by BEC Rev.4 end use, %, {span}; "
                "HS codes with several BEC codes are split equally. US Census data, UN "
                "correspondence.", indicators=("us_kor_import_enduse_share",),
        summary=_enduse_summary)
def us_kor_enduse_2024(t: Tables) -> alt.Chart:
    return _ranked_bars(_enduse_data(t), "% of imports", ".1f")


def _chapters_data(t: Tables, top: int = 10) -> pd.DataFrame:
    d = t["us_kor_imports_by_hs_chapter"].sort_values("value", ascending=False).head(top)
    return d.assign(label="HS " + d["chapter"])[
        ["period", "frequency", "months", "chapter", "label", "value"]]


def _chapters_summary(t: Tables) -> str:
    all_ = t["us_kor_imports_by_hs_chapter"]
    d = _chapters_data(t, 3)
    share = d["value"].sum() / all_["value"].sum() * 100
    return (f"Three HS chapters, {', '.join(d['chapter'])}, account for "
            f"{format_value(share, '%')} of US imports from Korea in {periods.span(d)}; "
            f"the largest, chapter {d['chapter'].iloc[0]}, for "
            f"{fmt('us_kor_imports_by_hs_chapter', d['value'].iloc[0])}.")


@figure("us_kor_hs_chapters_2024", title="The ten largest HS chapters of US imports from Korea, "
        "{span}", caption="US imports for consumption from Korea by HS chapter, USD bn, {span}. "
        "84: machinery; 85: electrical equipment; 87: vehicles and parts.",
        indicators=("us_kor_imports_by_hs_chapter",), summary=_chapters_summary)
def us_kor_hs_chapters_2024(t: Tables) -> alt.Chart:
    return _ranked_bars(_chapters_data(t), "USD bn", ",.2f")


def _duty_annual(t: Tables) -> pd.DataFrame:
    d = periods.of_frequency(t["us_kor_effective_duty_rate"], "annual")
    return with_labels(d)[[*KEEP, "value"]]


def _duty_annual_facts(t: Tables) -> tuple[pd.Series, str, str, pd.Series]:
    """The full years' rates, the highest year, the year of the largest one-year fall and the
    years from that fall up to the highest: what the summary says, in any language."""
    d = periods.complete(_duty_annual(t)).set_index("period")["value"]
    high = d.idxmax()
    drop = d.diff().idxmin()  # the year of the largest one-year fall
    return d, high, drop, d[(d.index >= drop) & (d.index < high)]


def _duty_annual_summary(t: Tables) -> str:
    d, high, drop, between = _duty_annual_facts(t)
    rate = lambda p: fmt("us_kor_effective_duty_rate", d[p])  # noqa: E731
    text = (f"The effective US duty rate on imports from Korea was {rate(d.index[0])} in "
            f"{d.index[0]}. Its largest one-year fall took it to {rate(drop)} in {drop}")
    if len(between) > 1:
        text += (f", and from {drop} to {between.index[-1]} it stayed between "
                 f"{fmt('us_kor_effective_duty_rate', between.min())} and "
                 f"{fmt('us_kor_effective_duty_rate', between.max())}")
    text += f". Its highest full-year value was {rate(high)}, in {high}."
    drawn = _duty_annual(t)
    for row in periods.partial_rows(drawn).itertuples():
        text += (f" {periods.words(row.period, row.frequency, row.months)}: "
                 f"{fmt('us_kor_effective_duty_rate', row.value)}.")
    return text


@figure("us_kor_duty_rate_annual", title="Effective US duty rate on imports from Korea, {span}",
        caption="Calculated duties ÷ imports for consumption from Korea, %, US Census. {partial} "
                "A partial year is drawn faint.", indicators=("us_kor_effective_duty_rate",),
        summary=_duty_annual_summary)
def us_kor_duty_rate_annual(t: Tables) -> alt.Chart:
    return _columns(_duty_annual(t), "label", "% of import value", ".2f", label_angle=-45)


MONTHLY_FROM = "2025-01"  # the monthly figure starts with the first month of the 2025 tariffs


def _duty_monthly(t: Tables) -> pd.DataFrame:
    d = periods.of_frequency(t["us_kor_effective_duty_rate"], "monthly")
    return with_labels(d[d["period"] >= MONTHLY_FROM])[[*KEEP, "value"]]


def _duty_monthly_summary(t: Tables) -> str:
    d = _duty_monthly(t)
    peak, first, last = d.loc[d["value"].idxmax()], d.iloc[0], d.iloc[-1]
    rate = lambda v: fmt("us_kor_effective_duty_rate", v)  # noqa: E731
    when = lambda r: periods.words(r["period"], "monthly", 1)  # noqa: E731
    text = (f"The monthly rate rose from {rate(first['value'])} in {when(first)} to a peak of "
            f"{rate(peak['value'])} in {when(peak)}")
    if peak["period"] != last["period"]:
        direction = "down" if last["value"] < peak["value"] else "up"
        text += f", and stood {direction} at {rate(last['value'])} in {when(last)}"
    return text + "."


@figure("us_kor_duty_rate_monthly", title="Effective US duty rate on imports from Korea, by "
        "month, {span}", caption="Calculated duties ÷ imports for consumption from Korea, %, "
        "monthly, US Census.", indicators=("us_kor_effective_duty_rate",),
        summary=_duty_monthly_summary)
def us_kor_duty_rate_monthly(t: Tables) -> alt.Chart:
    return _columns(_duty_monthly(t), "label", "% of import value", ".2f", label_angle=-45)


def _partners(t: Tables) -> pd.DataFrame:
    d = t["us_partner_effective_duty_rate"]
    d = d[d["partner"].isin(PARTNER_NAMES)]
    return d.assign(series=d["partner"].map(PARTNER_NAMES))[
        ["period", "frequency", "months", "series", "value"]]


def _partners_summary(t: Tables) -> str:
    d = _partners(t)
    last = d[d["period"] == d["period"].max()].set_index("series")["value"]
    order = last.sort_values(ascending=False)
    return (f"In {d['period'].max()} the effective rate was highest on imports from "
            f"{order.index[0]} ({fmt('us_partner_effective_duty_rate', order.iloc[0])}); Korea "
            f"stood at {fmt('us_partner_effective_duty_rate', last['Korea'])} against "
            f"{fmt('us_partner_effective_duty_rate', last['All countries'])} for all countries.")


@figure("us_partner_duty_rates", title="Effective US duty rates by partner, {span}",
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
    d = periods.complete(t["us_deficit_rank_kor"])
    best = d.loc[d["value"].idxmin()]
    rank = lambda v: fmt("us_deficit_rank_kor", v)  # noqa: E731
    return " ".join(filter(None, [
        f"Korea ranked between {rank(d['value'].min())} and {rank(d['value'].max())} among US "
        f"deficit partners in the full years {periods.span(d)}, and {rank(d['value'].iloc[-1])} "
        f"in {d['period'].iloc[-1]}; its highest place was first reached in {best['period']}.",
        periods.partial_note(t["us_deficit_rank_kor"])]))


@figure("us_deficit_rank_kor", title="Korea's rank among US deficit partners, {span}",
        caption="Rank of Korea among partner countries by the size of the US goods deficit "
                "(1 = largest), computed from monthly US Census data. {partial}",
        indicators=("us_deficit_rank_kor",), summary=_rank_summary)
def us_deficit_rank_kor(t: Tables) -> alt.Chart:
    data = with_labels(t["us_deficit_rank_kor"])[[*KEEP, "value"]]
    return periods_line(data, alt.Y("value:Q", title="rank (1 = largest deficit)",
                                    scale=alt.Scale(reverse=True, zero=False)),
                        ["label:N", alt.Tooltip("value:Q", title="rank")])


def _ofdi(t: Tables) -> pd.DataFrame:
    return with_labels(t["kr_ofdi_share_us"])[[*KEEP, "value"]]


def _ofdi_summary(t: Tables) -> str:
    d = periods.complete(_ofdi(t)).set_index("period")["value"]
    return " ".join(filter(None, [
        f"The US share of Korea's outbound FDI rose from {fmt('kr_ofdi_share_us', d.iloc[0])} in "
        f"{d.index[0]} to {fmt('kr_ofdi_share_us', d.max())} in {d.idxmax()}, the highest of the "
        "full years shown, as reported by the Export-Import Bank of Korea.",
        periods.partial_note(t["kr_ofdi_share_us"])]))


@figure("kr_ofdi_share_us", title="The US share of Korea's outbound FDI (Korea-reported)",
        caption="Share of Korea's outbound foreign direct investment going to the US, %, "
                "Export-Import Bank of Korea figures as quoted by KITA: the three years the "
                "coverage gives, placed on a time axis (years without a figure are left "
                "empty). {partial}",
        indicators=("kr_ofdi_share_us",), summary=_ofdi_summary)
def kr_ofdi_share_us(t: Tables) -> alt.Chart:
    data = _ofdi(t).assign(year=lambda d: d["period"].str[:4].astype(int))
    first, last = int(data["year"].min()), int(data["year"].max())
    x = alt.X("year:Q", title=None, scale=alt.Scale(domain=[first - 0.5, last + 0.5], nice=False),
              axis=alt.Axis(values=list(range(first, last + 1)), format="d", labelAngle=0))
    y = alt.Y("value:Q", title="% of outbound FDI", scale=alt.Scale(domain=[0, 50]))
    base = alt.Chart(data).encode(x=x, y=y, tooltip=["label:N", alt.Tooltip(
        "value:Q", title="% of outbound FDI", format=".1f")])
    bars = base.mark_bar(size=36).encode(opacity=coverage_opacity(data))
    labels = base.mark_text(dy=-8, baseline="bottom").encode(text="label:N")
    return alt.layer(bars, labels, data=data)


ANNOUNCED_PARTNERS = {"KOREA, SOUTH": "Korea", "JAPAN": "Japan", "MEXICO": "Mexico"}
MEASURES = ["Announced (statutory)", "Calculated duties ÷ imports (Census)"]


def _announced(t: Tables) -> pd.DataFrame:
    """Both measures, monthly, for the three partners with Census duty lines in the portal."""
    frames = []
    for ind, measure in zip(("us_announced_tariff_rate", "us_partner_calculated_duty_rate"),
                            MEASURES):
        d = t[ind]
        d = d[d["partner"].isin(ANNOUNCED_PARTNERS) & (d["period"] >= MONTHLY_FROM)]
        frames.append(with_labels(d).assign(series=d["partner"].map(ANNOUNCED_PARTNERS),
                                            measure=measure))
    return pd.concat(frames, ignore_index=True)[
        ["period", "label", "date", "frequency", "months", "series", "measure", "value"]]


def _announced_at(t: Tables) -> tuple[str, pd.Series]:
    """The latest month in which every partner has both measures, and its values by (partner,
    measure): a partner or a measure published later (one month more of Korean duties) never
    leaves a sentence half-empty."""
    d = _announced(t)
    pairs = d.groupby("period")[["series", "measure"]].apply(
        lambda g: len(set(zip(g["series"], g["measure"]))))
    last = pairs[pairs == len(ANNOUNCED_PARTNERS) * len(MEASURES)].index.max()
    return last, d[d["period"] == last].set_index(["series", "measure"])["value"]


def _announced_summary(t: Tables) -> str:
    last, at = _announced_at(t)
    rate = lambda v: fmt("us_announced_tariff_rate", v)  # noqa: E731
    when = periods.words(last, "monthly", 1)
    return " ".join(
        [f"In {when} the announced US tariff on Korean goods, weighted by 2024 imports, was "
         f"{rate(at[('Korea', MEASURES[0])])} and calculated duties came to "
         f"{rate(at[('Korea', MEASURES[1])])} of the value of imports from Korea;"] +
        [f"for {p} the two measures were {rate(at[(p, MEASURES[0])])} and "
         f"{rate(at[(p, MEASURES[1])])}{';' if p == 'Japan' else '.'}"
         for p in ("Japan", "Mexico")])


@figure("us_announced_vs_calculated", title="Announced and calculated US tariffs on Korea, "
        "Japan and Mexico, by month, {span}",
        caption="Announced (statutory) rate: the US measures in force each day applied to the "
                "partner's 2024 imports, averaged over the month (trade-war tracker events). "
                "Calculated duties ÷ imports for consumption: US Census, by month of entry. %.",
        indicators=("us_announced_tariff_rate", "us_partner_calculated_duty_rate"),
        summary=_announced_summary)
def us_announced_vs_calculated(t: Tables) -> alt.Chart:
    data = _announced(t)
    series = list(ANNOUNCED_PARTNERS.values())
    return alt.Chart(data).mark_line(point=True).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
        y=alt.Y("value:Q", title="% of import value"),
        color=alt.Color("series:N", title=None, scale=colour_scale(series)),
        strokeDash=alt.StrokeDash("measure:N", title=None, scale=alt.Scale(
            domain=MEASURES, range=[[1, 0], [5, 3]])),
        tooltip=["label:N", "series:N", "measure:N",
                 alt.Tooltip("value:Q", title="%", format=".2f")])
