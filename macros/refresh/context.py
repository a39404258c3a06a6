"""What every dataset refresh gets: the day it runs, the HTTP client, and the publisher clients
(made on first use, so a refresh of the tracker alone needs no Census key)."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from ..sources import Fetch
from ..sources.census import Census
from ..sources.http import Client


@dataclass
class Context:
    today: date
    http: Client

    @functools.cached_property
    def census(self) -> Census:
        return Census(self.http)


@dataclass
class Refreshed:
    """What a dataset refresh fetched: the fetch record's content for its descriptor."""

    fetches: list[Fetch]
    release: str            # the publisher's release/vintage, as the publisher exposes it
    coverage_end: str       # last period with data, e.g. '2026-08'
    widen: list[tuple] = field(default_factory=list)  # (resource, field, maximum|None, enum value|None)
