"""A PDF of each briefing, printed by headless Chromium from the built static page.

Why Chromium: the PDF is the page a reader sees (same HTML, print stylesheet, static SVG charts,
self-hosted fonts), with no second layout engine to keep in step. Pure-Python renderers on PyPI
either need system libraries a bare Python machine lacks (WeasyPrint: Pango) or cannot lay out
Material's CSS and SVG. Chromium is Debian's package, which `make test` installs; a plain
`make build` on a machine without it builds the site without PDFs, says so, and links none (no
`citation_pdf_url`, no PDF button), so no page points at a missing file.

The PDF is the same bytes on any machine with the same Chromium, and self-contained:
- printed from the page's permanent edition URL, whose requests the printer answers from the
  built files (any other request is aborted, nothing leaves the machine), so its links are the
  edition's permanent URLs and not a local print server's;
- with JavaScript off (the static page: no interactive chart swapped in while printing);
- every glyph from the portal's font (docs/assets/fonts/, "KUB Portal Sans"; a Korean page's
  Hangul from the Korean build's Noto Sans KR, TRANSLATED_FONTS): print CSS sets it
  for the text and the page footer (CSS margin boxes, laid out by the page itself: Chromium's
  footer template is a separate document that could only use system fonts), and each chart's
  SVG is put inline, so the charts use the page's font files rather than the system's (an SVG
  <img> is an isolated document that cannot use the page's web fonts); one copy of each font,
  which also makes the PDF smaller. A PDF that embeds any other font stops the build, naming
  the characters the portal's font lacks;
- dated by the build's time (`citations.build_time`: SOURCE_DATE_EPOCH, else the start of the
  day, UTC), not the time of printing.

PORTAL_PDF: `auto` (default: print when Chromium is there, not under `mkdocs serve`), `off`,
`require` (a release: fail the build without Chromium). PORTAL_CHROMIUM: the browser binary.
"""
from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import json
import logging
import mimetypes
import os
import re
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import atomic, theme
from .errors import PortalError

MODE_ENV = "PORTAL_PDF"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]
PLANNED: dict[str, str] = {}  # page URL (site-relative) -> its permanent URL, printed after build
FONT_FAMILY = "KUB Portal Sans"  # docs/assets/fonts/, declared by portal.css (@font-face)
FONT_NAMES = ("KUBPortalSans-Regular", "KUBPortalSans-Bold")  # their PostScript names
# A translated build's pages add their own face after the portal's, for the characters it lacks:
# the Korean build's cut of Noto Sans KR (macros/korean_font.py): its family, and the start of its
# every PostScript name.
TRANSLATED_FONTS = {"ko": (theme.FAMILY_KO, theme.FAMILY_KO.replace(" ", ""))}
log = logging.getLogger("mkdocs.portal.pdf")

# Only for the print: every box, the footer's margin boxes included, in the portal's font. The
# margins are Material's (@page { margin: 25mm }); the footer sits in the bottom one.
PRINT_CSS = """
html, html * { font-family: %(families)s !important; }
@page {
  @bottom-left { content: %(url)s; font: 7pt "%(family)s"; vertical-align: bottom;
                 padding-bottom: 8mm; }
  @bottom-right { content: counter(page) "/" counter(pages); font: 7pt "%(family)s";
                  vertical-align: bottom; padding-bottom: 8mm; }
}
"""

# The page made ready to print (run over the DevTools pipe, as the page's own scripts are off): the print
# CSS added, and each static chart (an <img> of the figure's .svg download, in a <picture> that
# offers phones the narrow layout) replaced by its desktop SVG inline, with the image's text
# alternative; resolves to the number of charts inlined.
PREPARE = """async (css) => {
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
  const images = [...document.querySelectorAll(".portal-figure__chart img[src$='.svg']")];
  for (const img of images) {
    const response = await fetch(img.src);
    if (!response.ok) throw new Error(img.src + ": HTTP " + response.status);
    const doc = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
    const svg = doc.documentElement;
    if (svg.localName !== "svg" || doc.querySelector("parsererror"))
      throw new Error(img.src + ": not an SVG document");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", img.alt);
    (img.closest("picture") || img).replaceWith(document.importNode(svg, true));
  }
  document.body.getBoundingClientRect();  // lay the charts out, so their fonts are requested
  await document.fonts.ready;
  return images.length;
}"""

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
                 ".json": "application/json", ".png": "image/png", ".ttf": "font/ttf",
                 ".woff": "font/woff", ".woff2": "font/woff2"}


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


def edition_root(page_url: str, permanent_url: str) -> str:
    """The edition's root URL: the permanent URL of a page is that root + the page's path."""
    if not permanent_url.endswith(page_url) or not permanent_url[:-len(page_url)].endswith("/"):
        raise PortalError(f"{page_url}: its permanent URL {permanent_url} does not end with its "
                          "path; cannot tell the edition's root URL to print it from")
    return permanent_url[:-len(page_url)]


def site_file(site: Path, root: str, url: str) -> Path | None:
    """The built file that answers `url` under the edition root `root` (None: not in the site)."""
    if not url.startswith(root):
        return None
    parts = [unquote(p) for p in urlsplit(url).path[len(urlsplit(root).path):].split("/")]
    if any(p in ("..", ".") or "\\" in p or "\0" in p for p in parts):
        return None
    path = site.joinpath(*[p for p in parts if p])
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def _serve(site: Path, root: str, aborted: list[str], served: dict | None = None):
    """Route handler (of a macros/cdp.Route, shaped as Playwright's): the edition's URLs from
    the built files, nothing else (`served`: each URL answered -> the file's SHA-256, or None
    for a 404)."""
    def handle(route):
        url = route.request.url
        if not url.startswith(root):
            aborted.append(url)
            return route.abort("blockedbyclient")
        path = site_file(site, root, url)
        if served is not None:
            served[url[len(root):]] = _sha(path.read_bytes()) if path else None
        if path is None:
            return route.fulfill(status=404, body="", content_type="text/plain")
        ctype = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] \
            or "application/octet-stream"
        return route.fulfill(status=200, body=path.read_bytes(), content_type=ctype)
    return handle


def print_css(permanent_url: str, lang: str = "en") -> str:
    """The print CSS for one page; its URL as a CSS string (JSON's escapes of `"` and `\\` are
    CSS's; control characters, which a CSS string cannot hold, dropped)."""
    url = json.dumps(re.sub(r"[\x00-\x1f\x7f]", "", permanent_url), ensure_ascii=False)
    families = [FONT_FAMILY, *([TRANSLATED_FONTS[lang][0]] if lang in TRANSLATED_FONTS else [])]
    return PRINT_CSS % {"family": FONT_FAMILY, "url": url,
                        "families": ", ".join(f'"{f}"' for f in families)}


def timestamp() -> datetime.datetime:
    """When the PDFs say they were made: the build's time (`citations.build_time`)."""
    from . import citations
    return citations.build_time()


def set_dates(data: bytes, when: datetime.datetime) -> bytes:
    """`data` (a PDF) with the CreationDate and ModDate of its Info dictionary set to `when`,
    in place: the dictionary keeps its length, so the cross-reference offsets stay right."""
    info = re.search(rb"trailer\s*<<.*?/Info (\d+) 0 R", data[data.rfind(b"trailer"):], re.S)
    obj = info and re.search(rb"(?:^|[\r\n])%s 0 obj\s*<<(.*?)>>\s*endobj" % info[1], data, re.S)
    if not obj:
        raise PortalError("Chromium wrote a PDF without an Info dictionary; cannot date it")
    stamp = b"(D:" + when.strftime("%Y%m%d%H%M%S").encode() + b"+00'00')"
    body = obj[1]
    for key in (b"CreationDate", b"ModDate"):
        def same_length(m):
            if len(stamp) > len(m[2]):
                raise PortalError(f"Chromium's PDF {key.decode()} {m[2]!r} is shorter than "
                                  f"{stamp!r}; cannot replace it in place")
            return m[1] + stamp + b" " * (len(m[2]) - len(stamp))
        body = re.sub(rb"(/%s\s*)(\(D:[^)]*\))" % key, same_length, body, count=1)
    return data[:obj.start(1)] + body + data[obj.end(1):]


def _objects(data: bytes) -> dict[int, bytes]:
    return {int(m[1]): m[2] for m in re.finditer(rb"(?:^|[\r\n])(\d+) 0 obj\s*(.*?)endobj",
                                                 data, re.S)}


def _stream(body: bytes) -> bytes:
    m = re.search(rb"stream\r?\n(.*)\r?\nendstream", body, re.S)
    if not m:
        return b""
    return zlib.decompress(m[1]) if b"/FlateDecode" in body[:m.start()] else m[1]


def fonts(data: bytes) -> dict[str, str]:
    """The fonts a PDF (as Chromium writes it) embeds: PostScript name (without the subset tag)
    -> the characters drawn with it (from its ToUnicode map)."""
    objs = _objects(data)
    out: dict[str, str] = {}
    for body in objs.values():
        head = body.split(b"stream", 1)[0]
        name = re.search(rb"/Type\s*/Font\b.*?/BaseFont\s*/([^\s/<>\[\]()]+)", head, re.S)
        if not name or re.search(rb"/Subtype\s*/CIDFontType", head):
            continue
        chars = ""
        cmap = re.search(rb"/ToUnicode (\d+) 0 R", head)
        if cmap and int(cmap[1]) in objs:
            text = _stream(objs[int(cmap[1])]).decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
                for dst in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
                    chars += bytes.fromhex(dst).decode("utf-16-be", "replace")
            for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
                for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*"
                                              r"<([0-9A-Fa-f]+)>", block):
                    chars += "".join(chr(int(dst, 16) + i) for i in range(int(hi, 16) -
                                                                          int(lo, 16) + 1))
        font = re.sub(r"^[A-Z]{6}\+", "", name[1].decode("latin-1"))
        out[font] = "".join(sorted(set(out.get(font, "") + chars)))
    return out


def check_fonts(page_url: str, data: bytes, lang: str = "en") -> None:
    """Every glyph of the PDF is from the portal's font (and a translated page's own face);
    else say which characters are not."""
    own = TRANSLATED_FONTS.get(lang, (None, None))[1]
    foreign = {name: chars for name, chars in fonts(data).items() if name not in FONT_NAMES
               and not (own and name.startswith(own))}
    if foreign:
        found = "; ".join(f"{name}: {' '.join(f'{c!r} (U+{ord(c):04X})' for c in chars)}"
                          for name, chars in sorted(foreign.items()))
        raise PortalError(f"{page_url}: the PDF takes glyphs from fonts other than the portal's "
                          f"{FONT_FAMILY} (docs/assets/fonts/), so it would depend on the build "
                          f"machine's fonts: {found}. Write these characters differently, or give "
                          "the portal's font files the glyphs")


CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "pdf"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def _printer_key() -> str:
    """What every print depends on besides its inputs: this module and the browser binary."""
    binary = chromium().resolve()
    stat = binary.stat() if binary.exists() else None
    return _sha(Path(__file__).read_bytes() + f"{binary}:{stat and stat.st_size}:"
                f"{stat and stat.st_mtime_ns}".encode())


def _cached(site: Path, root: str, key: str) -> bytes | None:
    """A PDF printed before from exactly these inputs: the same page, and the same bytes (or
    the same absence) for every URL its print asked for. The print runs without JavaScript and
    with every other request aborted, so nothing else can change it."""
    try:
        entry = json.loads((CACHE_DIR / f"{key}.json").read_text(encoding="utf-8"))
        for rel, sha in entry["served"].items():
            path = site_file(site, root, root + rel)
            if (_sha(path.read_bytes()) if path else None) != sha:
                return None
        return (CACHE_DIR / f"{entry['pdf']}.pdf").read_bytes()
    except (OSError, ValueError, KeyError):
        return None


def _store(key: str, served: dict, data: bytes) -> None:
    digest = _sha(data)
    atomic.write(CACHE_DIR / f"{digest}.pdf", data)
    atomic.write(CACHE_DIR / f"{key}.json", json.dumps({"served": served, "pdf": digest}).encode())


def write(site: Path, lang: str = "en") -> list[Path]:
    """Print every planned page to its PDF; a page that links a PDF always gets it. A page whose
    print inputs are unchanged since an earlier build gets that build's bytes (_cached), so
    Chromium starts only when some briefing changed. A translated build's pages are planned
    by their path from the English build's root (`ko/briefings/…`), whose files they use, and
    `site` is that root."""
    if not PLANNED:
        return []
    when = timestamp()
    written, aborted, todo = [], [], []
    for url, permanent in PLANNED.items():
        root = edition_root(url, permanent)
        key = _sha(f"{_printer_key()}\n{when.isoformat()}\n{permanent}".encode())
        data = _cached(site, root, key)
        if data is None:
            todo.append((url, permanent, root, key))
            continue
        out = site / pdf_path(url)
        out.write_bytes(data)
        written.append(out)
    if todo:
        written += _print(site, todo, when, aborted, lang)
    if aborted:
        log.debug(f"PDF: aborted {len(aborted)} request(s) outside the edition: {aborted[:5]}")
    log.info(f"PDF: {len(written)} briefing(s), {len(todo)} printed with {chromium()} and "
             f"{len(written) - len(todo)} unchanged since an earlier build")
    return written


# Page.printToPDF as Playwright's page.pdf(format="A4", print_background=True) sends it.
PDF_PARAMS = {"landscape": False, "displayHeaderFooter": False, "headerTemplate": "",
              "footerTemplate": "", "printBackground": True, "scale": 1, "paperWidth": 8.27,
              "paperHeight": 11.7, "marginTop": 0, "marginBottom": 0, "marginLeft": 0,
              "marginRight": 0, "pageRanges": "", "preferCSSPageSize": False,
              "generateTaggedPDF": False, "generateDocumentOutline": False}


def _print(site: Path, todo: list, when: datetime.datetime, aborted: list,
           lang: str = "en") -> list[Path]:
    """Print each page with Chromium driven over its DevTools pipe (macros/cdp.py)."""
    from . import cdp
    written = []
    browser = cdp.Browser(chromium(), ARGS)
    try:
        routes: dict[str, object] = {}  # session -> its route handler
        browser.handlers["Fetch.requestPaused"] = lambda params, session: routes[session](
            cdp.Route(browser, params, session))
        for url, permanent, root, key in todo:
            if site_file(site, root, permanent) is None:
                raise PortalError(f"{url}: the built page is missing from {site}")
            served: dict = {}
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.call("Target.attachToTarget", {"targetId": target,
                                                             "flatten": True})["sessionId"]
            routes[session] = _serve(site, root, aborted, served)
            for method, params in (  # the static page (no page script), as printed, 1280 wide
                    ("Page.enable", {}), ("Emulation.setScriptExecutionDisabled", {"value": True}),
                    ("Emulation.setEmulatedMedia", {"media": "print"}),
                    ("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 720,
                                                            "deviceScaleFactor": 1,
                                                            "mobile": False}),
                    ("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})):
                browser.call(method, params, session)
            error = browser.call("Page.navigate", {"url": permanent}, session).get("errorText")
            if error:
                raise PortalError(f"{url}: Chromium could not open the page to print: {error}")
            browser.wait_for("Page.loadEventFired", session)
            result = browser.call("Runtime.evaluate", {
                "expression": f"({PREPARE})({json.dumps(print_css(permanent, lang))})",
                "awaitPromise": True, "returnByValue": True}, session)
            if "exceptionDetails" in result:
                details = result["exceptionDetails"]
                message = details.get("exception", {}).get("description") or details["text"]
                raise PortalError(f"{url}: could not prepare the page to print: "
                                  f"{message.splitlines()[0]}")
            data = base64.b64decode(browser.call("Page.printToPDF", PDF_PARAMS, session)["data"])
            browser.call("Target.closeTarget", {"targetId": target})
            del routes[session]
            if data[:5] != b"%PDF-":
                raise PortalError(f"{url}: Chromium wrote no PDF")
            data = set_dates(data, when)
            check_fonts(url, data, lang)
            _store(key, served, data)
            out = site / pdf_path(url)
            out.write_bytes(data)
            written.append(out)
    finally:
        browser.close()
    return written
