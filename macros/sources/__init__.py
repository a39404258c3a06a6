"""Publisher clients: one module per publisher that `make data` fetches from.

Each client knows its publisher's requests and responses (URL, parameters, keys, error pages,
formats) and returns parsed rows plus a `Fetch` record of every response it used. Nothing here
knows the portal's CSV conventions: that is `macros.refresh`. Base URLs come from the
environment so a refresh can be rehearsed against a local server.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Fetch:
    """One response as received: enough to say later what was asked, when, and what came back."""

    request: str        # URL, with any key removed
    retrieved: str      # ISO 8601 UTC time of the response
    status: int
    sha256: str         # of the response body
    bytes: int

    def as_json(self) -> dict:
        return {"request": self.request, "retrieved": self.retrieved, "status": self.status,
                "sha256": self.sha256, "bytes": self.bytes}


def base_url(env: str, default: str) -> str:
    """The publisher's base URL, or the one set in environment variable `env` (no trailing /)."""
    return (os.environ.get(env) or default).rstrip("/")
