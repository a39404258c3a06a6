"""Figures: a registry of Altair builders over indicator tables, one theme, no file access.

A builder receives the observations of the indicators it declares and returns the chart whose
top-level data is exactly what is drawn (that frame becomes the figure's CSV download). A figure's
summary states the chart's message from the same data, for the text alternative.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from . import indicators
from .errors import unknown
from .formatting import format_value
from .theme import HEIGHT, WIDTH

Tables = dict[str, pd.DataFrame]


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    caption: str
    indicators: tuple[str, ...]
    build: Callable[[Tables], alt.Chart]
    summary: Callable[[Tables], str]

    def tables(self) -> Tables:
        return {i: indicators.observations(i) for i in self.indicators}

    def chart(self) -> alt.Chart:
        return _chart(self)

    def drawn(self) -> pd.DataFrame:
        """Exactly the rows the chart draws."""
        return self.chart().data

    def alt_text(self) -> str:
        return _alt_text(self)


@functools.cache
def _chart(fig: Figure) -> alt.Chart:
    """Built once per build: indicator tables do not change during a build."""
    return fig.build(fig.tables()).properties(width=WIDTH, height=HEIGHT)


@functools.cache
def _alt_text(fig: Figure) -> str:
    return fig.summary(fig.tables())


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
    if figure_id.startswith("indicator-") and figure_id[10:] in indicators.REGISTRY:
        return indicator_figure(figure_id[10:])
    raise unknown("figure", figure_id, REGISTRY, hint="figures are registered in macros/figures.py")


def label(table: pd.DataFrame) -> pd.Series:
    """Period labels that flag partial periods: '2026 (Jan–Jul)'."""
    def one(period, status):
        if status.startswith("partial: "):
            months = [m.strip()[:3] for m in status[len("partial: "):].split("–")]
            return f"{period} ({'–'.join(months)})"
        return period
    status = table["status"] if "status" in table else pd.Series("", index=table.index)
    return pd.Series([one(p, s) for p, s in zip(table["period"], status)], index=table.index)


def fmt(indicator_id: str, value: float) -> str:
    return format_value(value, indicators.get(indicator_id).unit)


# --- the generic figure shown on each indicator's page ------------------------------------

@functools.cache
def indicator_figure(indicator_id: str) -> Figure:
    ind = indicators.get(indicator_id)

    def build(tables: Tables) -> alt.Chart:
        data = tables[indicator_id].assign(label=lambda t: label(t))
        y = alt.Y("value:Q", title=ind.unit, scale=alt.Scale(reverse=ind.unit == "rank"))
        tooltip = ["label:N", alt.Tooltip("value:Q", format=",.2f"), *ind.dimensions]
        if ind.dimensions and data["period"].nunique() == 1:
            dim = ind.dimensions[0]
            return alt.Chart(data).mark_bar().encode(
                y=alt.Y(f"{dim}:N", sort="-x", title=dim), x=alt.X("value:Q", title=ind.unit),
                tooltip=tooltip)
        mark = alt.Chart(data).mark_line(point=True) if data["period"].nunique() > 3 \
            else alt.Chart(data).mark_bar()
        encoding = {"x": alt.X("label:O", title=None, sort=None), "y": y, "tooltip": tooltip}
        if ind.dimensions:
            encoding["color"] = alt.Color(f"{ind.dimensions[0]}:N")
        return mark.encode(**encoding)

    def summary(tables: Tables) -> str:
        data = tables[indicator_id]
        last = data.iloc[-1]
        return (f"{ind.title}, {data['period'].iloc[0]} to {data['period'].iloc[-1]}; "
                f"the last value shown is {fmt(indicator_id, last['value'])} for {last['period']}.")

    return Figure(f"indicator-{indicator_id}", ind.title, ind.definition, (indicator_id,),
                  build, summary)


from . import figure_catalogue  # noqa: E402,F401  (registers the briefing figures)
