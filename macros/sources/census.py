"""US Census Bureau International Trade API (`timeseries/intltrade`), monthly, by country.

What the API does (see the README's "Refreshing data"): every query needs `&key=` (since
2026-05-12); a missing key answers 302 to `missing_key.html` with `X-DataWebAPI-KeyError: 1`,
an invalid key 200 with an HTML page; success is a JSON array of arrays of strings, header
first; no rows is 204; errors are plain text or HTML; a 500 often means the query is too big,
so a year that fails is asked again month by month.
"""
from __future__ import annotations

import json
import os
import urllib.parse

from ..errors import PortalError
from . import Fetch, base_url
from .http import Client, Response, StatusError

DEFAULT_URL = "https://api.census.gov/data/timeseries/intltrade"
URL_ENV = "PORTAL_CENSUS_API_URL"
KEY_ENV = "CENSUS_API_KEY"
KEY_HELP = (f"Get a free key at https://api.census.gov/data/key_signup.html (activate it from the "
            f"e-mail), then set it in the environment for this command only, e.g. "
            f"`{KEY_ENV}=<your key> make data`, or export {KEY_ENV} in your shell profile; it is "
            "never written to disk")


class Census:
    """Monthly rows from the `exports/hs` and `imports/hs` endpoints, one year per request."""

    def __init__(self, http: Client, key: str | None = None):
        self.key = (key if key is not None else os.environ.get(KEY_ENV, "")).strip()
        if not self.key:
            raise PortalError(f"the Census API needs a key and {KEY_ENV} is not set. {KEY_HELP}")
        self.http = http
        self.http.secrets = (*self.http.secrets, self.key)
        self.base = base_url(URL_ENV, DEFAULT_URL)
        self._used: dict[str, list[Fetch]] = {}
        self._cache: dict[str, tuple[list[dict], Fetch]] = {}

    def year(self, endpoint: str, get: list[str], year: int, *, label: str,
             **predicates: str) -> list[dict]:
        """Rows (dicts of strings, with 'time' = 'YYYY-MM') for every month of `year` published."""
        try:
            return self._query(endpoint, get, f"from {year}-01 to {year}-12", label, predicates)
        except StatusError as exc:
            if exc.response.status != 500:
                raise
        rows = []   # too big as one year: ask month by month
        for month in range(1, 13):
            rows += self._query(endpoint, get, f"{year}-{month:02d}", label, predicates)
        return rows

    def _query(self, endpoint: str, get: list[str], time: str, label: str,
               predicates: dict) -> list[dict]:
        params = [("get", ",".join(get)), *predicates.items(), ("time", time), ("key", self.key)]
        url = f"{self.base}/{endpoint}?{urllib.parse.urlencode(params)}"
        if url not in self._cache:  # two datasets may ask the same question: ask once
            response = self.http.get(url, label=label)
            self._cache[url] = (self._parse(response, get, label), response.fetch)
        rows, fetch = self._cache[url]
        self._used.setdefault(label, []).append(fetch)
        return rows

    def fetches_for(self, label: str) -> list[Fetch]:
        """The responses the dataset `label` was built from, in request order."""
        return list(self._used.get(label, []))

    def _parse(self, response: Response, wanted: list[str], label: str) -> list[dict]:
        where = f"{label}: Census API {response.fetch.request}"
        text = self.http.redact(response.body.decode("utf-8", "replace"))
        if response.status in (301, 302, 303, 307, 308):
            if response.header("X-DataWebAPI-KeyError") or "missing_key" in \
                    response.header("Location"):
                raise PortalError(f"the Census API refused the request: no valid API key was "
                                  f"received. {KEY_HELP}")
            raise PortalError(f"{where}: unexpected redirect to "
                              f"{self.http.redact(response.header('Location'))}")
        if response.status == 204:
            return []
        kind = response.header("Content-Type").lower()
        if response.status == 200 and "html" in kind or text.lstrip().startswith("<"):
            if "invalid key" in text.lower():
                raise PortalError(f"the Census API says the key in {KEY_ENV} is invalid (not "
                                  f"activated, mistyped or revoked). {KEY_HELP}")
        if response.status != 200:
            raise StatusError(f"{where}: HTTP {response.status}: {_first_line(text)}", response)
        try:
            table = json.loads(text)
        except json.JSONDecodeError:
            raise PortalError(f"{where}: the API answered with an error instead of data: "
                              f"{_first_line(text)}") from None
        if not (isinstance(table, list) and table and all(isinstance(r, list) for r in table)):
            raise PortalError(f"{where}: expected a JSON array of arrays with a header row")
        header, *rows = table
        missing = [name for name in [*wanted, "time"] if name not in header]
        if missing:
            raise PortalError(f"{where}: the response has no column {', '.join(missing)} (it has "
                              f"{', '.join(map(str, header))}); the API may have renamed it: "
                              "check …/variables.json and update macros/sources/census.py")
        return [dict(zip(header, row)) for row in rows]


def _first_line(text: str) -> str:
    import re
    plain = re.sub(r"<[^>]+>", " ", text)
    plain = " ".join(plain.split())
    return plain[:300] or "(empty body)"
