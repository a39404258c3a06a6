"""What is true of an indicator's data: peaks, records, streaks, ranks, changes and comparisons.

Pure logic over observation tables, no words: `macros/claims.py` turns these facts into prose and
checks an author's pinned expectation against them. Every question is asked of one frequency,
and of complete periods only unless the caller asks for partial ones, so a part-year is never
silently set against full years.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import indicators, periods
from .errors import PortalError


@dataclass(frozen=True)
class Point:
    """One observation: its period, frequency, months covered and value."""

    period: str
    frequency: str
    months: int
    value: float

    @property
    def partial(self) -> bool:
        return periods.is_partial(self.frequency, self.months)


def _points(table: pd.DataFrame) -> list[Point]:
    rows = sorted(table.itertuples(), key=lambda r: periods.sort_key(r.period))
    return [Point(r.period, r.frequency, int(r.months), float(r.value)) for r in rows]


def select(indicator_id: str, dims: dict) -> pd.DataFrame:
    ind = indicators.get(indicator_id)
    table = indicators.observations(indicator_id)
    for d, wanted in dims.items():
        if d not in ind.dimensions:
            raise PortalError(f"indicator {indicator_id!r} has no dimension {d!r}; it has "
                              f"{', '.join(ind.dimensions) or 'none'}")
        if str(wanted) not in set(table[d]):
            raise PortalError(f"indicator {indicator_id!r} has no {d} {wanted!r}")
        table = table[table[d] == str(wanted)]
    return table


def series(indicator_id: str, *, frequency: str | None = None, partial: bool = False,
           **dims) -> list[Point]:
    """The indicator's observations of one frequency for fixed dimensions, oldest first
    (complete periods only unless `partial`)."""
    ind = indicators.get(indicator_id)
    lacking = [d for d in ind.dimensions if d not in dims]
    if lacking:
        raise PortalError(f"indicator {indicator_id!r} needs {lacking[0]}=… for a series")
    table = select(indicator_id, dims)
    frequency = periods.pick_frequency(table, frequency, f"indicator {indicator_id!r}")
    table = periods.of_frequency(table, frequency)
    return _points(table if partial else periods.complete(table))


def resolve(indicator_id: str, period, *, frequency: str | None = None, partial: bool = False,
            **dims) -> Point:
    """The observation for `period` ("latest" = the newest of `frequency`, complete unless
    `partial`). A partial period needs `partial=True`: it is not comparable with full ones."""
    table = select(indicator_id, dims)
    if str(period) == periods.LATEST:
        period = periods.latest(table, frequency=frequency, partial=partial,
                                what=f"indicator {indicator_id!r}")
    row = table[table["period"] == str(period)]
    if row.empty:
        raise PortalError(f"indicator {indicator_id!r} has no period {period!r}"
                          + (f" for {dims}" if dims else ""))
    point = _points(row)[0]
    if point.partial and not partial:
        raise PortalError(f"{point.period} covers {periods.month_span(point.period, point.months)}"
                          f" only; say partial=True to compare it with other periods")
    return point


def reported_point(figure_id: str) -> Point:
    """A reported figure as a point (it has no indicator: it is quoted, not computed)."""
    from . import citations
    row = citations.reported_figure(figure_id)
    period = str(row["period"])
    frequency = periods.frequency_of(period)
    months = row["months"] if pd.notna(row["months"]) else periods.FULL_MONTHS[frequency]
    return Point(period, frequency, int(months), float(row["value"]))


def within(points: list[Point], span) -> list[Point]:
    """The points inside a year (`span` = 2025: its months or quarters) or all of them (None)."""
    if span is None:
        return points
    inside = [p for p in points if p.period[:4] == str(span)]
    if not inside:
        raise PortalError(f"no observations in {span}")
    return inside


def extreme(points: list[Point], *, low: bool = False) -> Point:
    """The highest point (the lowest with `low`); the earliest of equal ones."""
    if not points:
        raise PortalError("no observations to compare")
    best = min if low else max
    target = best(p.value for p in points)
    return next(p for p in points if p.value == target)


@dataclass(frozen=True)
class Record:
    """How far `point` is unmatched: `reach` is "series" (beyond every other point), "then"
    (beyond every earlier point, not every later one) or the latest earlier point at least as
    far out, `since`."""

    point: Point
    reach: str
    since: Point | None = None


def record(points: list[Point], period: str, *, low: bool = False) -> Record | Point:
    """The record `period` holds, or the point just before it when that one is as far out."""
    sign = -1 if low else 1
    index = next(i for i, p in enumerate(points) if p.period == period)
    point = points[index]
    if all(sign * p.value < sign * point.value for p in points if p is not point):
        return Record(point, "series")
    earlier = [p for p in points[:index] if sign * p.value >= sign * point.value]
    if not earlier:
        return Record(point, "then")
    if earlier[-1] is points[index - 1]:
        return earlier[-1]
    return Record(point, earlier[-1].period, earlier[-1])


@dataclass(frozen=True)
class Streak:
    """Consecutive points from `start` to `end` that all pass the test."""

    start: Point
    end: Point
    count: int


def streak(points: list[Point], test, *, until: str | None = None) -> Streak | Point:
    """The run of points passing `test` that ends at `until` (default: the last point), or the
    point at `until` when it fails."""
    end = len(points) - 1 if until is None else \
        next(i for i, p in enumerate(points) if p.period == str(until))
    if not test(points[end].value):
        return points[end]
    start = end
    while start > 0 and test(points[start - 1].value):
        start -= 1
    return Streak(points[start], points[end], end - start + 1)


def rank(values: dict[str, float], key: str, *, low: bool = False) -> int:
    """1 for the highest of `values` (the lowest with `low`); ties share the better rank."""
    sign = -1 if low else 1
    return 1 + sum(sign * v > sign * values[key] for v in values.values())


def direction(start: float, end: float) -> int:
    """+1 for a rise, -1 for a fall, 0 for no change."""
    return (end > start) - (end < start)


def relation(value: float, other: float, *, close: float) -> str:
    """'close' within a relative distance `close` of `other`, else 'above' or 'below'."""
    if abs(value - other) <= close * abs(other):
        return "close"
    return "above" if value > other else "below"
