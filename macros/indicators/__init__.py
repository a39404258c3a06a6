"""The indicator registry: id -> title, unit, definition, formula, inputs and a computation.

An indicator's computation returns a tidy table: `period` (text: "2024", "2024-Q3", "2025-07"),
`value` (a number in the indicator's unit), one column per declared dimension, and optionally
`months` (how many months of the period the value covers, when fewer than all: the time model in
`macros/periods.py` adds `frequency` and `months` to every table), `vintage` and `reported_id`
(the reported figure an observation quotes). Computations read only the datasets and indicators they declare, so the provenance
shown next to a number is complete by construction.
"""
from __future__ import annotations

import functools
import hashlib
import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import atomic, datasets, periods, runtime
from ..errors import PortalError, unknown

UNITS = ("USD bn", "%", "rank", "ratio")
OPTIONAL_COLUMNS = ("frequency", "months", "vintage", "reported_id")
TEXT_COLUMNS = ("vintage", "reported_id")


@dataclass(frozen=True)
class Indicator:
    """What an indicator means and how it is computed; never how it is displayed."""

    id: str
    title: str
    unit: str
    definition: str
    formula: str
    basis: str
    compute: Callable[["Inputs"], pd.DataFrame]
    datasets: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()

    def sources(self) -> list[str]:
        """Dataset ids this indicator rests on, directly or through other indicators."""
        found = list(self.datasets)
        for other in self.indicators:
            found += [d for d in get(other).sources() if d not in found]
        return found


@dataclass
class Inputs:
    """The declared inputs of one indicator; reading anything undeclared is an error."""

    indicator: Indicator

    def table(self, dataset_id: str, resource: str) -> pd.DataFrame:
        if dataset_id not in self.indicator.datasets:
            raise PortalError(f"indicator {self.indicator.id!r} reads dataset {dataset_id!r} "
                              "without declaring it in datasets=")
        return datasets.get(dataset_id).table(resource)

    def observations(self, indicator_id: str) -> pd.DataFrame:
        if indicator_id not in self.indicator.indicators:
            raise PortalError(f"indicator {self.indicator.id!r} reads indicator {indicator_id!r} "
                              "without declaring it in indicators=")
        return observations(indicator_id)


REGISTRY: dict[str, Indicator] = {}


def indicator(id: str, *, title: str, unit: str, definition: str, formula: str, basis: str,
              datasets: tuple[str, ...] = (), indicators: tuple[str, ...] = (),
              dimensions: tuple[str, ...] = ()):
    """Register the decorated computation as indicator `id` (ids are never reused)."""
    if unit not in UNITS:
        raise PortalError(f"indicator {id!r}: unit {unit!r} is not one of {', '.join(UNITS)}")

    def register(compute):
        if id in REGISTRY:
            raise PortalError(f"indicator id {id!r} is registered twice")
        REGISTRY[id] = Indicator(id, title, unit, " ".join(definition.split()), formula, basis,
                                 compute, tuple(datasets), tuple(indicators), tuple(dimensions))
        return compute

    return register


def get(indicator_id: str) -> Indicator:
    if indicator_id not in REGISTRY:
        raise unknown("indicator", indicator_id, REGISTRY, hint="see the Indicators section")
    return REGISTRY[indicator_id]


CACHE_DIR = datasets.ROOT / ".cache" / "indicators"


@functools.cache
def _cache_path(indicator_id: str) -> Path:
    """Where the indicator's table is kept between builds: keyed by the content of every dataset
    it rests on and by the engine (runtime.engine_key), so new data or code is a new file."""
    ind = get(indicator_id)
    payload = json.dumps([ind.id, {d: datasets.get(d).content_hash for d in ind.sources()},
                          runtime.engine_key()])
    return CACHE_DIR / f"{ind.id}-{hashlib.sha256(payload.encode()).hexdigest()[:20]}.pickle"


@functools.cache
def observations(indicator_id: str) -> pd.DataFrame:
    """The indicator's tidy table, computed once per build and checked for shape, or read from
    the table an earlier build computed from the same data and engine (`_cache_path`)."""
    path = _cache_path(indicator_id)
    table = runtime.cached_pickle(path)
    if table is None:
        table = _computed(get(indicator_id))
        atomic.write(path, pickle.dumps(table))
    return table


def _computed(ind: Indicator) -> pd.DataFrame:
    """`ind`'s computation, its table checked for shape and normalised (periods, text, floats)."""
    indicator_id = ind.id  # as the messages name it
    table = ind.compute(Inputs(ind))
    expected = ["period", "value", *ind.dimensions]
    missing = [c for c in expected if c not in table.columns]
    extra = [c for c in table.columns if c not in expected and c not in OPTIONAL_COLUMNS]
    if missing or extra:
        raise PortalError(f"indicator {indicator_id!r} returned columns {list(table.columns)}; "
                          f"missing {missing}, unexpected {extra}")
    table = table.reset_index(drop=True)
    table["period"] = table["period"].astype(str)
    table = periods.normalise(table, indicator_id)
    table["value"] = table["value"].astype(float)
    if table["value"].isna().any():
        bad = table.loc[table["value"].isna(), "period"].tolist()
        raise PortalError(f"indicator {indicator_id!r} has no value for periods {bad}")
    if table.duplicated(["period", *ind.dimensions]).any():
        raise PortalError(f"indicator {indicator_id!r} has several values for one period/dimension")
    for column in TEXT_COLUMNS:
        if column in table:
            table[column] = table[column].fillna("").astype(str)
    return table


def observation(indicator_id: str, period, *, frequency: str | None = None,
                partial: bool = True, **dims) -> pd.Series:
    """The single observation for `period` and the given dimension values; `period="latest"`
    is the most recent one of `frequency` (complete periods only with `partial=False`)."""
    ind = get(indicator_id)
    table = observations(indicator_id)
    undeclared = [d for d in dims if d not in ind.dimensions]
    if undeclared:
        raise unknown(f"dimension of {indicator_id!r}", undeclared[0], ind.dimensions or ["(none)"])
    lacking = [d for d in ind.dimensions if d not in dims]
    if lacking:
        d = lacking[0]
        raise PortalError(f"indicator {indicator_id!r} needs {d}=…; one of: "
                          f"{', '.join(sorted(table[d].unique()))}")
    for d, wanted in dims.items():
        if str(wanted) not in _dimension_values(indicator_id, d):
            raise unknown(f"{d} of {indicator_id!r}", wanted, table[d].unique())
    if str(period) == periods.LATEST:
        period = periods.latest(_matching(table, dims), frequency=frequency, partial=partial,
                                what=f"indicator {indicator_id!r}")
    elif frequency is not None and periods.frequency_of(str(period)) != frequency:
        raise PortalError(f"period {period!r} is {periods.frequency_of(str(period))}, not "
                          f"{frequency}; drop frequency= or ask for a {frequency} period")
    row = _index(indicator_id).get((str(period), *(str(dims[d]) for d in ind.dimensions)))
    if row is None:
        raise unknown(f"period of {indicator_id!r}", period,
                      _matching(table, dims)["period"].unique())
    return table.iloc[row]


def _matching(table: pd.DataFrame, dims: dict) -> pd.DataFrame:
    """The rows of `table` with the given dimension values."""
    for d, wanted in dims.items():
        table = table[table[d] == str(wanted)]
    return table


@functools.cache
def _index(indicator_id: str) -> dict[tuple, int]:
    """(period, *dimension values) -> row position: a page's numbers are looked up, not scanned
    for (a 1,000-page portal makes ten thousand lookups)."""
    table = observations(indicator_id)
    keys = zip(table["period"], *(table[d] for d in get(indicator_id).dimensions))
    return {key: position for position, key in enumerate(keys)}


@functools.cache
def _dimension_values(indicator_id: str, dimension: str) -> frozenset[str]:
    return frozenset(observations(indicator_id)[dimension])


from . import us_trade, tariffs, enduse, reported  # noqa: E402,F401  (registers the indicators)
