"""HTTP GET for the publisher clients: retries with back-off, Retry-After, a pause between
requests, no redirects, progress lines, and secrets kept out of every message.

Standard library only (urllib), so a refresh needs nothing beyond the portal's environment.
"""
from __future__ import annotations

import email.utils
import hashlib
import os
import socket
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..errors import PortalError
from . import Fetch

RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 120.0


@dataclass
class Response:
    status: int
    headers: dict[str, str]   # lower-case names
    body: bytes
    fetch: Fetch

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class StatusError(PortalError):
    """The publisher answered with an error status after every retry."""

    def __init__(self, message: str, response: Response):
        super().__init__(message)
        self.response = response


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 3xx is returned as it is, never followed
        return None


def _float_env(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        raise PortalError(f"{name}={os.environ[name]!r} is not a number of seconds") from None


@dataclass
class Client:
    """A polite HTTP client shared by one refresh: counts requests and bytes for progress."""

    pause: float = field(default_factory=lambda: _float_env("PORTAL_FETCH_PAUSE", 0.5))
    backoff: float = field(default_factory=lambda: _float_env("PORTAL_FETCH_BACKOFF", 2.0))
    retries: int = 4
    timeout: float = 120.0
    secrets: tuple[str, ...] = ()
    out: object = None
    requests: int = 0
    received: int = 0
    _last: float = 0.0

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, "REDACTED")
        return text

    def get(self, url: str, *, label: str) -> Response:
        """GET `url` (retrying 429/5xx and dropped connections); any status is returned."""
        shown = self.redact(url)
        for attempt in range(self.retries + 1):
            wait = self._last + self.pause - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                response = self._once(url, shown)
            except _Retryable as exc:
                if attempt == self.retries:
                    raise PortalError(f"{label}: {shown}: {exc} (gave up after "
                                      f"{self.retries + 1} attempts); try again later") from None
                delay = self.backoff * 2 ** attempt
                self._say(f"[{label}] {exc}; retrying in {delay:g} s")
                time.sleep(delay)
                continue
            self._say(f"[{label}] request {self.requests}: {shown} -> {response.status}, "
                      f"{len(response.body):,} bytes (total {self.received:,} bytes)")
            if response.status in RETRY_STATUS and attempt < self.retries:
                delay = self._retry_after(response)
                delay = self.backoff * 2 ** attempt if delay is None else delay
                self._say(f"[{label}] HTTP {response.status}; retrying in {delay:g} s")
                time.sleep(delay)
                continue
            return response
        raise AssertionError("unreachable")

    def _once(self, url: str, shown: str) -> Response:
        opener = urllib.request.build_opener(_NoRedirect)
        request = urllib.request.Request(url, headers={"User-Agent": "korea-us-briefings-refresh"})
        self._last = time.monotonic()
        self.requests += 1
        try:
            with opener.open(request, timeout=self.timeout) as raw:
                status, headers, body = raw.status, raw.headers, raw.read()
        except urllib.error.HTTPError as err:   # 3xx (not followed), 4xx, 5xx
            status, headers, body = err.code, err.headers, err.read()
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, (ConnectionRefusedError, socket.gaierror)):
                raise PortalError(
                    f"offline: cannot reach {shown.split('?')[0]} ({self.redact(str(reason))}); "
                    "check the network connection (or the PORTAL_*_URL variable) and run "
                    "`make data` again; data/ is unchanged") from None
            raise _Retryable(f"connection failed ({self.redact(str(reason))})") from None
        except (ConnectionError, TimeoutError, socket.timeout) as err:
            raise _Retryable(f"connection failed ({type(err).__name__})") from None
        self.received += len(body)
        fetch = Fetch(request=shown, retrieved=_now(), status=status,
                      sha256=hashlib.sha256(body).hexdigest(), bytes=len(body))
        return Response(status, {k.lower(): v for k, v in (headers or {}).items()}, body, fetch)

    @staticmethod
    def _retry_after(response: Response) -> float | None:
        value = response.header("Retry-After").strip()
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            seconds = (when - datetime.now(timezone.utc)).total_seconds() if when else 0.0
        return min(max(seconds, 0.0), MAX_RETRY_AFTER)

    def _say(self, line: str) -> None:
        print(self.redact(line), file=self.out or sys.stdout, flush=True)


class _Retryable(Exception):
    pass


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
