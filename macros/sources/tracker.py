"""The tariff tracker (tradewartracker/TRI-tracker): its daily data file, from the repository host.

The tracker is a parquet file committed to GitHub by hand about monthly; it has no API and no
release number, so the vintage is the file's checksum and last date with duty data.
"""
from __future__ import annotations

import io

from ..errors import PortalError
from . import Fetch, base_url
from .http import Client

DEFAULT_URL = "https://raw.githubusercontent.com/tradewartracker/TRI-tracker/main"
URL_ENV = "PORTAL_TRACKER_URL"
PATH = "data/tri-all-country-data.parquet"
COLUMNS = ["CTY_NAME", "date", "effective tariff", "sqrtariff", "meanweighted", "simplemean",
           "duty_total"]


def daily(http: Client, *, label: str):
    """(DataFrame of the tracker's columns, Fetch) for the current data file."""
    url = f"{base_url(URL_ENV, DEFAULT_URL)}/{PATH}"
    response = http.get(url, label=label)
    if response.status != 200:
        raise PortalError(f"{label}: {url}: HTTP {response.status}; check {URL_ENV} or the "
                          "repository (the file may have moved)")
    try:  # pyarrow is in requirements-dev.lock (`make data` installs it), not the build's lock
        import pyarrow.parquet as pq
    except ImportError:
        raise PortalError(f"{label}: reading the tracker's parquet file needs pyarrow, which only "
                          "`make data` installs (requirements-dev.lock): run `make data`") from None
    try:
        table = pq.read_table(io.BytesIO(response.body))
    except Exception as exc:  # pyarrow raises several types for a body that is not parquet
        raise PortalError(f"{label}: {url}: not a parquet file ({exc})") from None
    missing = [c for c in COLUMNS if c not in table.column_names]
    if missing:
        raise PortalError(f"{label}: {url}: the tracker file has no column {', '.join(missing)} "
                          f"(it has {', '.join(table.column_names)}); update "
                          "macros/refresh/tracker_dataset.py to its new names")
    return table.select(COLUMNS).to_pandas(), response.fetch


__all__ = ["daily", "Fetch"]
