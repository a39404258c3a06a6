"""Figures: a registry of Altair builders over indicator tables, one theme, no file access.

A builder receives the observations of the indicators it declares and returns the chart whose
top-level data is exactly what is drawn (that frame becomes the figure's CSV download). A figure's
summary states the chart's message from the same data, for the text alternative, and its title
and caption take their coverage from the drawn rows (`{span}`, `{partial}`), never from typing.
A series never joins two frequencies, and a partial period is drawn apart from full ones.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import indicators, periods
from .errors import PortalError, unknown
from .formatting import format_value
from .theme import HEIGHT, PARTIAL_OPACITY, WIDTH, alt

Tables = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Figure:
    id: str
    title_template: str
    caption_template: str
    indicators: tuple[str, ...]
    build: Callable[[Tables], alt.Chart]
    summary: Callable[[Tables], str]

    @property
    def title(self) -> str:
        return self.title_template.format(**_coverage(self))

    @property
    def caption(self) -> str:
        return " ".join(self.caption_template.format(**_coverage(self)).split())

    def tables(self) -> Tables:
        return {i: indicators.observations(i) for i in self.indicators}

    def chart(self) -> alt.Chart:
        return _chart(self)

    def drawn(self) -> pd.DataFrame:
        """Exactly the rows the chart draws."""
        known = KNOWN.get(self)
        return known["drawn"] if known else self.chart().data

    def alt_text(self) -> str:
        return _alt_text(self)

    def units(self) -> set[str]:
        """The units of the indicators it draws: one unit means one value axis and one format."""
        return {indicators.get(i).unit for i in self.indicators}


@functools.cache
def _chart(fig: Figure) -> alt.Chart:
    """Built once per build: indicator tables do not change during a build."""
    return fig.build(fig.tables()).properties(width=WIDTH, height=HEIGHT)


# What an earlier build knew of a figure whose inputs are unchanged (artefacts.spec reads it
# from its cache): its drawn rows, alt text and coverage, so a warm build builds no chart.
KNOWN: dict[Figure, dict] = {}


@functools.cache
def _alt_text(fig: Figure) -> str:
    known = KNOWN.get(fig)
    return known["alt"] if known else fig.summary(fig.tables())


@functools.cache
def _coverage(fig: Figure) -> dict[str, str]:
    """`span` ('1991–2026') and `partial` ('2026 covers January–July only.') of the drawn rows."""
    if fig in KNOWN:
        return KNOWN[fig]["coverage"]
    drawn = fig.drawn()
    if not {"period", "frequency", "months"} <= set(drawn.columns):
        raise PortalError(f"figure {fig.id!r}: its data must keep the columns period, frequency "
                          "and months, so its title and caption can state its coverage")
    if drawn["frequency"].nunique() > 1:
        raise PortalError(f"figure {fig.id!r} draws {' and '.join(drawn['frequency'].unique())} "
                          "periods together; a chart shows one frequency")
    rows = drawn.drop_duplicates("period")
    return {"span": periods.span(rows), "partial": periods.partial_note(rows)}


REGISTRY: dict[str, Figure] = {}


def figure(id: str, *, title: str, caption: str, indicators: tuple[str, ...],
           summary: Callable[[Tables], str]):
    """Register the decorated builder as figure `id`, with the function stating its message."""
    def register(build):
        REGISTRY[id] = Figure(id, title, caption, indicators, build, summary)
        return build
    return register


def get(figure_id: str) -> Figure:
    if figure_id in REGISTRY:
        return REGISTRY[figure_id]
    if figure_id.startswith("indicator-"):
        for ind_id in indicators.REGISTRY:
            for fig in (indicator_figures(ind_id) if figure_id.startswith(f"indicator-{ind_id}")
                        else ()):
                if fig.id == figure_id:
                    return fig
    raise unknown("figure", figure_id, REGISTRY, hint="figures are registered in macros/figures.py")


COMPLETE, PARTIAL = "full period", "partial period (months published so far)"


def label(table: pd.DataFrame) -> pd.Series:
    """Period labels that flag partial periods: '2026 (Jan–Jul)', 'Jul 2025'."""
    return pd.Series([periods.label(p, f, m) for p, f, m in
                      zip(table["period"], table["frequency"], table["months"])],
                     index=table.index, dtype=object)


def with_labels(table: pd.DataFrame) -> pd.DataFrame:
    """`table` plus `label`, `coverage` (full or partial period) and, for months, `date`: the
    columns charts encode."""
    partial = [periods.is_partial(f, m) for f, m in zip(table["frequency"], table["months"])]
    table = table.assign(label=label(table), coverage=[PARTIAL if p else COMPLETE for p in partial])
    if set(table["frequency"]) == {"monthly"}:
        table = table.assign(date=table["period"] + "-01")
    return table


def coverage_opacity(data: pd.DataFrame) -> alt.Opacity:
    """Partial periods drawn faint, with a legend entry saying so where the chart has one."""
    partial = PARTIAL in set(data["coverage"])
    return alt.Opacity("coverage:N", title=None, legend=alt.Legend() if partial else None,
                       scale=alt.Scale(domain=[COMPLETE, PARTIAL], range=[1, PARTIAL_OPACITY]))


def period_axis(data: pd.DataFrame, **axis) -> alt.X:
    """Periods along x: a time axis for months (labels thinned to what fits), one label per
    year or quarter otherwise."""
    if set(data["frequency"]) == {"monthly"}:
        return alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0))
    return alt.X("label:O", title=None, sort=None, axis=alt.Axis(**axis))


def periods_line(data: pd.DataFrame, y: alt.Y, tooltip: list, **encoding) -> alt.LayerChart:
    """A line through the full periods only, with a point for every period: a partial period
    stands apart as a faint point instead of a fall or a jump in the line."""
    base = alt.Chart(data).encode(x=period_axis(data), y=y, tooltip=tooltip, **encoding)
    line = base.mark_line().transform_filter(alt.datum.coverage == COMPLETE)
    size = 45 if data["period"].nunique() <= 60 else 8
    points = base.mark_point(filled=True, size=size).encode(opacity=coverage_opacity(data))
    return alt.layer(line, points, data=data)


def fmt(indicator_id: str, value: float) -> str:
    return format_value(value, indicators.get(indicator_id).unit)


# --- the generic figures shown on each indicator's page: one per frequency -----------------

def indicator_figure_id(indicator_id: str, frequency: str) -> str:
    """'indicator-<id>' for the indicator's first frequency, 'indicator-<id>-<frequency>' after."""
    first = periods.frequencies(indicators.observations(indicator_id))[0]
    return f"indicator-{indicator_id}" + ("" if frequency == first else f"-{frequency}")


def indicator_figure_of(fig: Figure) -> tuple[str, str] | None:
    """(indicator id, frequency) of an indicator page's figure; None for a briefing figure."""
    if fig.id in REGISTRY or not fig.id.startswith("indicator-") or len(fig.indicators) != 1:
        return None
    ind_id = fig.indicators[0]
    return next(((ind_id, f) for f in periods.frequencies(indicators.observations(ind_id))
                 if indicator_figure_id(ind_id, f) == fig.id), None)


def indicator_figures(indicator_id: str) -> list[Figure]:
    return [indicator_figure(indicator_id, f)
            for f in periods.frequencies(indicators.observations(indicator_id))]


@functools.cache
def indicator_figure(indicator_id: str, frequency: str) -> Figure:
    ind = indicators.get(indicator_id)

    def build(tables: Tables) -> alt.Chart:
        data = with_labels(periods.of_frequency(tables[indicator_id], frequency))
        data = data[["period", "label", *(["date"] if "date" in data else []), "frequency",
                     "months", "coverage", "value", *ind.dimensions]]
        rank = ind.unit == "rank"  # the 1st on top, and no axis down to a 0th
        y = alt.Y("value:Q", title=ind.unit, scale=alt.Scale(reverse=rank, zero=not rank))
        tooltip = ["label:N", alt.Tooltip("value:Q", format="d" if rank else ",.2f"),
                   *ind.dimensions]
        if ind.dimensions and data["period"].nunique() == 1:
            dim = ind.dimensions[0]
            return alt.Chart(data).mark_bar().encode(
                y=alt.Y(f"{dim}:N", sort="-x", title=dim), x=alt.X("value:Q", title=ind.unit),
                tooltip=tooltip)
        if data["period"].nunique() <= 3:
            return alt.Chart(data).mark_bar().encode(
                x=alt.X("label:O", title=None, sort=None), y=y, tooltip=tooltip,
                opacity=coverage_opacity(data))
        encoding = {"color": alt.Color(f"{ind.dimensions[0]}:N")} if ind.dimensions else {}
        return periods_line(data, y, tooltip, **encoding)

    def summary(tables: Tables) -> str:
        data = periods.of_frequency(tables[indicator_id], frequency)
        last = data.iloc[-1]
        return (f"{ind.title}, {frequency}, {periods.span(data)}; the last value shown is "
                f"{fmt(indicator_id, last['value'])} for "
                f"{periods.words(last['period'], last['frequency'], last['months'])}.")

    several = len(periods.frequencies(indicators.observations(indicator_id))) > 1
    title = _literal(ind.title) + (f", {frequency}" if several else "") + ", {span}"
    return Figure(indicator_figure_id(indicator_id, frequency), title,
                  _literal(ind.definition) + " {partial}", (indicator_id,), build, summary)


def _literal(text: str) -> str:
    """`text` with its braces kept literal in a title/caption template."""
    return text.replace("{", "{{").replace("}", "}}")


from . import figure_catalogue  # noqa: E402,F401  (registers the briefing figures)
