"""A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`, for printing PDFs.

Why not Playwright: the build would need its 165 MB driver (a Node.js runtime) for the few
commands a print takes: open a page, answer its requests, run one script, print. Chromium reads
commands from file descriptor 3 and writes replies and events to 4, each a JSON object ended by
NUL, so plain Python (subprocess and os pipes) is enough. Events that arrive while a reply is
awaited (a request to answer during a navigation or a script's fetch) go to their handler.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import subprocess
import tempfile
from pathlib import Path

from .errors import PortalError


class Browser:
    """One headless Chromium, its pipe, and one page session at a time (flattened sessions)."""

    def __init__(self, binary: Path, args: list[str]):
        self._profile = tempfile.TemporaryDirectory(prefix="portal-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # Copies at 10 and above, so moving them to 3 and 4 in the child clobbers neither.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser_r, from_browser_w)]

        def child_fds():
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)
        self._log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall it
        self._process = subprocess.Popen(
            [str(binary), *args, "--remote-debugging-pipe", "--hide-scrollbars", "--mute-audio",
             f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log,
            pass_fds=(3, 4), preexec_fn=child_fds)
        for fd in (to_browser_r, from_browser_w, *high):
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.handlers: dict[str, callable] = {}  # event method -> handler(params, session)

    def _read(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise self._closed()
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def _closed(self) -> PortalError:
        self._log.seek(0)
        err = self._log.read().decode(errors="replace").strip()
        return PortalError(f"Chromium closed its DevTools pipe (exit status "
                           f"{self._process.poll()}): {err[-500:] or 'no message'}")

    def post(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        """Send a command without waiting for its reply (which `call` then skips)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._to_browser, data):]
        except BrokenPipeError:
            raise self._closed() from None
        return self._next_id

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send a command and return its result, handling the events that arrive meanwhile."""
        wanted = self.post(method, params, session)
        while True:
            message = self._read()
            if message.get("id") == wanted:
                if "error" in message:
                    raise PortalError(f"Chromium: {method}: {message['error'].get('message')}")
                return message["result"]
            self.dispatch(message)

    def dispatch(self, message: dict) -> None:
        handler = self.handlers.get(message.get("method", ""))
        if handler:
            handler(message["params"], message.get("sessionId"))

    def wait_for(self, method: str, session: str) -> dict:
        """Handle events until `method` arrives for `session`; return its parameters."""
        while True:
            message = self._read()
            if message.get("method") == method and message.get("sessionId") == session:
                return message["params"]
            self.dispatch(message)

    def close(self) -> None:
        try:
            self.post("Browser.close")
            self._process.wait(timeout=10)
        except (OSError, PortalError, subprocess.TimeoutExpired):  # gone already, or stuck
            self._process.kill()
            self._process.wait()
        finally:
            os.close(self._to_browser)
            os.close(self._from_browser)
            self._log.close()
            self._profile.cleanup()


class Route:
    """One paused request, answered as Playwright's Route is: `fulfill` or `abort`."""

    def __init__(self, browser: Browser, params: dict, session: str):
        self._browser, self._session = browser, session
        self._id = params["requestId"]
        self.request = type("Request", (), {"url": params["request"]["url"]})()

    def fulfill(self, status: int, body: bytes | str, content_type: str) -> None:
        body = body.encode() if isinstance(body, str) else body
        self._browser.post("Fetch.fulfillRequest", {
            "requestId": self._id, "responseCode": status,
            "responseHeaders": [{"name": "Content-Type", "value": content_type}],
            "body": base64.b64encode(body).decode()}, self._session)

    def abort(self, reason: str = "blockedbyclient") -> None:
        self._browser.post("Fetch.failRequest", {"requestId": self._id,
                                                  "errorReason": "BlockedByClient"}, self._session)
