"""A PDF of each briefing, printed by headless Chromium from the built static page.

Why Chromium: the PDF is the page a reader sees (same HTML, print stylesheet, inline static SVG
charts, self-hosted fonts), with no second layout engine to keep in step. Pure-Python renderers
on PyPI either need system libraries a bare Python machine lacks (WeasyPrint: Pango) or cannot
lay out Material's CSS and inline SVG. Chromium is Debian's package, which `make test`
installs; a plain `make build` on a machine without it builds the site without PDFs, says so,
and links none (no `citation_pdf_url`, no PDF button), so no page points at a missing file.

PORTAL_PDF: `auto` (default: print when Chromium is there, not under `mkdocs serve`), `off`,
`require` (a release: fail the build without Chromium). PORTAL_CHROMIUM: the browser binary.
"""
from __future__ import annotations

import contextlib
import functools
import html
import http.server
import logging
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

from .errors import PortalError

MODE_ENV = "PORTAL_PDF"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--no-first-run", "--disable-component-update", "--disable-sync"]
PLANNED: dict[str, str] = {}  # page URL (site-relative) -> its permanent URL, printed after build
log = logging.getLogger("mkdocs.portal.pdf")


def chromium() -> Path:
    return Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))


@functools.cache
def enabled(site_url: str) -> bool:
    """Whether this build prints PDFs (decided once, before any page links one)."""
    mode = os.environ.get(MODE_ENV, "auto")
    if mode not in ("auto", "off", "require"):
        raise PortalError(f"{MODE_ENV}={mode!r}: use auto, off or require")
    if mode == "off":
        return False
    if mode == "auto" and urlsplit(site_url).hostname in ("127.0.0.1", "localhost"):
        return False  # `mkdocs serve`: a live preview, not worth a print per rebuild
    if chromium().exists():
        return True
    if mode == "require":
        raise PortalError(f"{MODE_ENV}=require but no Chromium at {chromium()}: install Debian's "
                          "chromium (`make browser`) or set PORTAL_CHROMIUM")
    log.info(f"PDF: no Chromium at {chromium()}, so briefings are built without a PDF and link "
             "none (`make browser` installs it; `make test` and releases print them)")
    return False


def pdf_path(page_url: str) -> str:
    """'briefings/tariffs/' -> 'briefings/tariffs/tariffs.pdf' (Scholar wants a .pdf URL)."""
    return f"{page_url}{page_url.rstrip('/').rsplit('/', 1)[-1]}.pdf"


def plan(page_url: str, permanent_url: str) -> str:
    """Note that this page gets a PDF; returns its site-relative path."""
    PLANNED[page_url] = permanent_url
    return pdf_path(page_url)


@contextlib.contextmanager
def _serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


FOOTER = ('<div style="font: 7pt sans-serif; width: 100%; padding: 0 12mm; display: flex; '
          'justify-content: space-between;"><span>{url}</span><span><span class="pageNumber">'
          '</span>/<span class="totalPages"></span></span></div>')


def write(site: Path) -> list[Path]:
    """Print every planned page to its PDF; a page that links a PDF always gets it."""
    if not PLANNED:
        return []
    from playwright.sync_api import sync_playwright
    written = []
    with _serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium()), args=ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base)
                       or r.request.url.startswith("data:") else r.abort())
            page.emulate_media(media="print")
            for url, permanent in PLANNED.items():
                page.goto(base + url, wait_until="load")
                page.evaluate("document.fonts.ready")
                out = site / pdf_path(url)
                page.pdf(path=str(out), format="A4", print_background=True,
                         display_header_footer=True, header_template="<span></span>",
                         footer_template=FOOTER.format(url=html.escape(permanent)),
                         margin={"top": "14mm", "bottom": "16mm", "left": "12mm",
                                 "right": "12mm"})
                if not out.exists() or out.read_bytes()[:4] != b"%PDF":
                    raise PortalError(f"{url}: Chromium wrote no PDF to {out}")
                written.append(out)
        finally:
            browser.close()
    log.info(f"PDF: printed {len(written)} briefing(s) with {chromium()}")
    return written
