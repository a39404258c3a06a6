"""The Korean edition's font, self-hosted and cut to the glyphs it uses: Noto Sans KR (SIL OFL
1.1, npm @fontsource/noto-sans-kr, pinned in package.json), regular and bold.

Fontsource ships the font as ~120 woff2 chunks per weight, split by unicode-range. The build
takes the chunks that hold a used character, cuts each to those characters (fontTools'
subsetter) and merges them into one font per weight named "KUB Portal Noto Sans KR", the family
the Korean pages' stylesheet and the Korean charts (macros/theme.py) name: a name no installed
font has, so vl-convert takes every glyph from these files and never from a Noto Sans KR the
build machine may have (as KUB Portal Sans for the Latin charts; the OFL of Noto Sans KR
reserves no font name). One set of glyphs, three uses:
- WOFF2 under `ko/assets/fonts/noto-sans-kr/`, for the pages and the interactive chart (every
  character of the Korean pages and charts: one file per weight, cached by the browser);
- TTF in `.cache/fonts/`, registered with vl-convert, which draws the SVG and PNG with it (the
  characters of the Korean charts);
- WOFF2 inside each Korean chart's SVG, as a data: URL (that chart's characters, cut from the
  TTF): the page shows the SVG as an <img>, and an image loads nothing, not the page's fonts
  either, so without it a reader's browser would draw the static chart's Hangul with whatever
  font the system has, or as empty boxes. (The Latin charts need none: their fallback, Arial or
  Helvetica, has Liberation Sans's metrics.)
Each subset is cached by its characters, the package version and fontTools' version; its
timestamps are the source font's, so the same characters give the same bytes on any machine.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import re
import shutil
import unicodedata
from concurrent.futures import Future
from pathlib import Path

from . import runtime, theme

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "node_modules" / "@fontsource" / "noto-sans-kr"
CACHE = ROOT / ".cache" / "fonts"
FAMILY = theme.FAMILY_KO
POSTSCRIPT = FAMILY.replace(" ", "")
WEIGHTS = {400: "Regular", 700: "Bold"}
FONTS = "assets/fonts/noto-sans-kr"
STYLESHEET = "assets/stylesheets/noto-sans-kr.css"
_BLOCK = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}")


def _package() -> dict:
    if not (PACKAGE / "400.css").exists():
        from .errors import PortalError
        raise PortalError(f"{PACKAGE.relative_to(ROOT)} is missing: run `make vendor` (fetches the "
                          "pinned packages of package-lock.json) before building")
    return json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))


def _ranges(body: str) -> list[tuple[int, int]]:
    text = re.search(r"unicode-range:\s*([^;]+);", body)[1]
    spans = []
    for part in text.split(","):
        first, _, last = part.strip()[2:].partition("-")
        spans.append((int(first, 16), int(last or first, 16)))
    return spans


@functools.cache
def _chunks(weight: int) -> list[tuple[str, list[tuple[int, int]]]]:
    """(file, unicode ranges) of each Fontsource chunk of `weight`, in its stylesheet's order."""
    _package()
    css = (PACKAGE / f"{weight}.css").read_text(encoding="utf-8")
    return [(re.search(r"url\(\./files/([^)]+\.woff2)\)", m["body"])[1], _ranges(m["body"]))
            for m in _BLOCK.finditer(css)]


@functools.cache
def _chunk_points(weight: int) -> list[tuple[str, frozenset[int]]]:
    """(file, code points of its unicode ranges) of each chunk of `weight` (_chunks)."""
    return [(file, frozenset(c for a, b in spans for c in range(a, b + 1)))
            for file, spans in _chunks(weight)]


def drawn(text: str) -> frozenset[int]:
    """The code points of `text` a font must draw: its characters, the space (whose advance
    spaces the words) and the ellipsis (vega's, ending a label it shortens to its labelLimit),
    not line breaks, tabs or other controls."""
    return frozenset(ord(c) for c in {*text, " ", "\u2026"} if c in " \u00a0" or not
                     c.isspace() and unicodedata.category(c) not in ("Cc", "Cf"))


def _key(used: frozenset[int], weight: int, flavor: str) -> str:
    from fontTools import version
    payload = f"{FAMILY} {_package()['version']} {version} {weight} {flavor} " + \
        ",".join(map(str, sorted(used)))
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _subset_path(used: frozenset[int], weight: int, flavor: str = "woff2") -> Path:
    return CACHE / f"noto-sans-kr-{weight}-{_key(used, weight, flavor)}.{flavor}"


def subset(used: frozenset[int], weight: int, flavor: str = "woff2") -> bytes:
    """Noto Sans KR `weight` holding exactly the characters of `used` it has, as `flavor`
    ('woff2' or 'ttf'), cached on disk."""
    path = _subset_path(used, weight, flavor)
    if path.exists():
        return path.read_bytes()
    data = _build(used, weight, flavor)
    from . import atomic
    atomic.write(path, data)
    return data


def _build(used: frozenset[int], weight: int, flavor: str) -> bytes:
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    parts, stamps = [], None
    for file, points in _chunk_points(weight):
        wanted = used & points
        if not wanted:  # most chunks: not opened at all
            continue
        font = TTFont(PACKAGE / "files" / file, recalcTimestamp=False)
        wanted &= set(font.getBestCmap())
        if not wanted:
            continue
        stamps = stamps or (font["head"].created, font["head"].modified)
        parts.append(io.BytesIO(_cut(font, wanted, None)))
    if not parts:  # nothing to draw: the .notdef-only cut of the first chunk
        parts.append(PACKAGE / "files" / _chunks(weight)[0][0])
    font = Merger().merge(parts) if len(parts) > 1 else TTFont(parts[0])
    _name(font, weight, stamps)
    font.flavor = None if flavor == "ttf" else flavor
    buffer = io.BytesIO()
    font.recalcTimestamp = False
    font.save(buffer)
    return buffer.getvalue()


def _cut(font, wanted: set[int], flavor: str | None) -> bytes:
    """`font` (a TTFont, changed in place) cut to the characters `wanted`, saved as `flavor`."""
    from fontTools import subset as cut
    options = cut.Options(layout_features=["*"], notdef_outline=True, name_IDs=["*"],
                          drop_tables=[*cut.Options().drop_tables,
                                       "BASE", "STAT", "vhea", "vmtx"])  # Merger lacks them
    cutter = cut.Subsetter(options)
    cutter.populate(unicodes=wanted)
    cutter.subset(font)
    font.flavor = flavor
    font.recalcTimestamp = False
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _name(font, weight: int, stamps) -> None:
    """One family, FAMILY, with `weight` as its style (Fontsource's static cuts of the variable
    font keep the names of its default instance, 'Noto Sans KR Thin')."""
    style = WEIGHTS[weight]
    names = font["name"]
    names.names = [n for n in names.names if n.nameID not in (1, 2, 3, 4, 6, 16, 17)]
    for name_id, text in ((1, FAMILY), (2, style), (3, f"{FAMILY} {style} portal subset"),
                          (4, f"{FAMILY} {style}"), (6, f"{POSTSCRIPT}-{style}")):
        names.setName(text, name_id, 3, 1, 0x409)
        names.setName(text, name_id, 1, 0, 0)
    font["OS/2"].usWeightClass = weight
    bold = weight >= 700
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b1100001) | (0b100000 if bold
                                                                          else 0b1000000)
    font["head"].macStyle = 1 if bold else 0
    if stamps:
        font["head"].created, font["head"].modified = stamps


# fontTools is pure Python and so one core a process: cuts run side by side in worker
# processes (the two weights of a font; each drawn chart's font while the pages render).
_CUTTERS = runtime.Workers(2, preload=(__name__,))
_CUTTING: dict[Path, Future] = {}  # cache file -> its cut in _CUTTERS (this build's)


def warm() -> None:
    """Start the cutters' forkserver now (a Korean build's first step), so that it has imported
    the engine by the first cut."""
    _CUTTERS.warm()


def _cut_later(cuts: list[tuple]) -> list[Future]:
    """Start (cache file, function, *args) of each cut whose cache file is missing (the function
    writes it) in _CUTTERS, unless started before; returns the cuts of `cuts` under way."""
    for path, *call in cuts:
        if path not in _CUTTING and not path.exists():
            _CUTTING[path] = _CUTTERS.submit(*call)
    return [_CUTTING[path] for path, *_ in cuts if path in _CUTTING]


def _cut_missing(cuts: list[tuple]) -> None:
    """Run each cut of `cuts` whose cache file is missing (_cut_later), in-process when it is
    the only one."""
    todo = [cut for cut in cuts if not cut[0].exists()]
    if len(todo) == 1:
        fn, *args = todo[0][1:]
        fn(*args)
        return
    for job in _cut_later(todo):
        job.result()


_REGISTERED: set[Path] = set()


def chart_fonts(used: frozenset[int]) -> Path:
    """The folder of TTF subsets (both weights) holding `used`, registered with vl-convert."""
    import vl_convert
    folder = CACHE / f"noto-sans-kr-ttf-{_key(used, 0, 'ttf')}"
    paths = {weight: folder / f"NotoSansKR-{style}.ttf" for weight, style in WEIGHTS.items()}
    todo = [weight for weight, path in paths.items() if not path.exists()]
    _cut_missing([(_subset_path(used, w, "ttf"), subset, used, w, "ttf") for w in todo])
    from . import atomic
    for weight in todo:
        atomic.write(paths[weight], subset(used, weight, "ttf"))
    from fontTools.ttLib import TTFont
    lacking = "".join(chr(c) for c in sorted(used - set(TTFont(
        folder / "NotoSansKR-Regular.ttf").getBestCmap())))
    if lacking:
        from .errors import PortalError
        raise PortalError(f"{FAMILY} has no glyph for {lacking!r}, which a Korean chart draws: "
                          "reword its translation (macros/figure_catalogue.ko.yaml)")
    if folder not in _REGISTERED:
        vl_convert.register_font_directory(str(folder))
        _REGISTERED.add(folder)
    return folder


def embedded_style(used: dict[int, frozenset[int]], fonts: Path) -> str:
    """A <style> of @font-face rules with the cuts of `used` (weight -> characters) inline as
    data: URLs, for an SVG; cut from the chart fonts in `fonts` (chart_fonts), which hold every
    character a chart draws, so no chunk is read again."""
    rules = []
    for weight, chars in sorted(used.items()):
        if chars:
            data = _recut(fonts / f"NotoSansKR-{WEIGHTS[weight]}.ttf", chars)
            rules.append(f"@font-face{{font-family:'{FAMILY}';font-weight:{weight};src:url("
                         f"data:font/woff2;base64,{base64.b64encode(data).decode()}) "
                         "format('woff2')}")
    return f"<style>{''.join(rules)}</style>"


def _recut_path(data: bytes, used: frozenset[int]) -> Path:
    key = hashlib.sha256(data + ",".join(map(str, sorted(used))).encode()).hexdigest()[:16]
    return CACHE / f"noto-sans-kr-chart-{key}.woff2"


def _write_recut(path: Path, source: Path, used: frozenset[int]) -> None:
    from fontTools.ttLib import TTFont

    from . import atomic
    font = TTFont(io.BytesIO(source.read_bytes()), recalcTimestamp=False)
    atomic.write(path, _cut(font, used, "woff2"))


def _recut(source: Path, used: frozenset[int]) -> bytes:
    """The cut `source` cut further to `used`, as WOFF2, cached on disk (started by
    recut_later, or cut here)."""
    path = _recut_path(source.read_bytes(), used)
    if path in _CUTTING:
        _CUTTING[path].result()
    if not path.exists():
        _write_recut(path, source, used)
    return path.read_bytes()


def recut_later(used: dict[int, frozenset[int]], fonts: Path) -> None:
    """Start the cuts embedded_style will ask for (same arguments) in the workers."""
    cuts = []
    for weight, chars in used.items():
        if chars:
            source = fonts / f"NotoSansKR-{WEIGHTS[weight]}.ttf"
            path = _recut_path(source.read_bytes(), chars)
            cuts.append((path, _write_recut, path, source, chars))
    _cut_later(cuts)


def page_characters(site_dir: str | Path, chart_text: str = "") -> frozenset[int]:
    """What the page fonts hold: the characters of the pages in `site_dir` and of the charts
    whose text is `chart_text`."""
    pages = sorted(Path(site_dir).rglob("*.html"))
    return drawn("".join(page.read_text(encoding="utf-8") for page in pages) + chart_text)


def cut_later(used: frozenset[int]) -> list[Future]:
    """Start the page fonts' cuts of `used` (page_characters) in the workers, for `write`."""
    return _cut_later([(_subset_path(used, weight), subset, used, weight) for weight in WEIGHTS])


def write(site_dir: str | Path, used: frozenset[int]) -> list[str]:
    """The stylesheet, the font files and the licence of the pages in `site_dir`, holding the
    characters `used` (page_characters, cut_later); returns the font files written."""
    site = Path(site_dir)
    (site / FONTS).mkdir(parents=True, exist_ok=True)
    rules, files = [], []
    for job in cut_later(used):  # started by cut_later before, or now
        job.result()
    for weight, style in WEIGHTS.items():
        file = f"NotoSansKR-{style}.woff2"  # published content-addressed (shared_assets.py)
        (site / FONTS / file).write_bytes(subset(used, weight))
        files.append(file)
        rules.append(f"@font-face{{font-family:'{FAMILY}';font-style:normal;font-display:swap;"
                     f"font-weight:{weight};src:url(../fonts/noto-sans-kr/{file}) "
                     "format('woff2')}")
    shutil.copyfile(PACKAGE / "LICENSE", site / FONTS / "LICENSE")
    (site / STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
    (site / STYLESHEET).write_text(
        f"/* {FAMILY} is Noto Sans KR (SIL OFL 1.1, fonts/noto-sans-kr/LICENSE) cut to the "
        "characters of these pages and their charts, and renamed so that no installed font has "
        "its name (macros/korean_font.py). */\n" + "\n".join(rules) +
        f"\n:root{{--md-text-font:'{FAMILY}'}}\n"
        "/* Code (a cite block's BibTeX with its Korean title) in Material's monospace fonts (set\n"
        "   on body), and Hangul, which they lack, in this one. */\n"
        "body{--md-code-font-family:var(--md-code-font, _),SFMono-Regular,Consolas,Menlo,"
        f"monospace,'{FAMILY}'}}\n"
        "/* The interactive chart's tooltip, an element of the page (vega-tooltip styles it after\n"
        "   this sheet has loaded, in sans-serif, which may have no Hangul). */\n"
        f"body #vg-tooltip-element{{font-family:'{FAMILY}',sans-serif}}\n"
        "/* Hangul is not set in italic (the font has none; a browser would slant it): nor are\n"
        "   the titles citeproc puts in <i>. */\n"
        ".md-typeset em,.md-typeset i,.md-typeset figcaption{font-style:normal}\n",
        encoding="utf-8")
    return files
