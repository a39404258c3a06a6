"""Figure artefacts: Vega-Lite spec, SVG and PNG (vl-convert, no browser), CSV of the data drawn,
metadata. Renderings are cached on disk by a hash of (spec, renderer version, scale, fonts), so
an unchanged figure is never re-rendered and a changed input re-renders exactly its figures.
A translated page's figure has its own spec, SVG and PNG in its language (`lang`: the words,
units and font of macros/chart_language.py); the data, CSV and record are the figure's own.
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import pickle
import re
from concurrent.futures import Future
from pathlib import Path

import vl_convert

from . import atomic, citations, datasets, figures, indicators, render, runtime
from .errors import PortalError
from .figures import Figure

CACHE_DIR = datasets.ROOT / ".cache" / "figures"
FONT_DIR = datasets.ROOT / "docs" / "assets" / "fonts"  # the same files the site serves
vl_convert.register_font_directory(str(FONT_DIR))
VL_VERSION = "6.4"
PNG_SCALE = 2


@functools.cache
def spec(figure: Figure, lang: str = "en") -> dict:
    """The figure's Vega-Lite spec with its (already aggregated) data inline, in `lang`: from
    the cache when its inputs are unchanged (`_inputs_key`), which also tells figures.KNOWN the
    rows drawn, the alt text and the coverage, so a warm build builds no chart."""
    if lang != "en":
        from . import chart_language
        return chart_language.translate(figure, spec(figure), lang)
    path = CACHE_DIR / f"{figure.id}-{_inputs_key(figure)}.facts.pickle"
    facts = runtime.cached_pickle(path)
    if facts is None:
        chart = figure.chart().properties(title=figure.title, description=figure.alt_text())
        # Altair's JSON-schema check costs a third of a warm build; the builders are code, so it
        # runs in the tests (test_every_figure_spec_is_valid_vega_lite), not in every build
        facts = {"spec": chart.to_dict(validate=False), "drawn": figure.drawn(),
                 "alt": figure.alt_text(), "coverage": figures._coverage(figure)}
        atomic.write(path, pickle.dumps(facts))
    figures.KNOWN.setdefault(figure, facts)
    return facts["spec"]


def _inputs_key(figure: Figure) -> str:
    """What the figure's spec is made from: its definition, the content of every dataset its
    indicators read, and the engine."""
    name = lambda fn: f"{fn.__module__}.{fn.__qualname__}"  # noqa: E731
    sources = dict.fromkeys(d for i in figure.indicators for d in indicators.get(i).sources())
    payload = json.dumps([figure.id, figure.title_template, figure.caption_template,
                          list(figure.indicators), name(figure.build), name(figure.summary),
                          {d: datasets.get(d).content_hash for d in sources}, runtime.engine_key()])
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


# The narrow layout, for phones: the same spec and data with a few top-level settings changed
# (a JSON merge: objects merged key by key, anything else replaced), so the static narrow SVG and
# the interactive chart on a phone draw the same thing. The whole chart, axes and legend
# included, fits NARROW_WIDTH px ("fit-x"), so at a phone's ~340 px column its 12 px text stays
# about 12 px; the title wraps, the legends stack their entries and crowded axis labels thin out.
NARROW_WIDTH = 340
NARROW_MEDIA = "(max-width: 44.9375em)"  # below this the desktop SVG would shrink its text < 11 px
TITLE_CHARS = 36  # 15 px semibold: about 8 px a character


def _width(text: str) -> int:
    """Display width in Latin characters: a Hangul syllable (East Asian wide) is two."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int) -> list[str]:
    if _width(text) == len(text):
        import textwrap
        return textwrap.wrap(text, width, break_on_hyphens=False) or [text]
    lines = [""]
    for word in text.split():
        if lines[-1] and _width(f"{lines[-1]} {word}") > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return lines if lines[-1] else [text]


@functools.cache
def narrow_patch(figure: Figure, lang: str = "en") -> dict:
    """What the narrow layout changes in `spec(figure, lang)` (figures.js applies the same
    patch)."""
    return {
        "width": NARROW_WIDTH,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "title": _wrap(spec(figure, lang)["title"], TITLE_CHARS),
        "config": {
            "legend": {"direction": "vertical", "labelLimit": 280, "symbolLimit": 0,
                       "layout": {"top": {"direction": "vertical", "anchor": "start"}}},
            "axisX": {"labelOverlap": "greedy", "labelLimit": 110},
            "axisY": {"labelLimit": 110},
        },
    }


def merge(base: dict, patch: dict) -> dict:
    """`base` with `patch` merged in: dicts key by key, any other value replaced."""
    out = dict(base)
    for k, v in patch.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def narrow_spec(figure: Figure, lang: str = "en") -> dict:
    return merge(spec(figure, lang), narrow_patch(figure, lang))


@functools.cache
def _fonts(lang: str) -> Path | None:
    """The chart fonts of `lang` beyond the portal's own, registered with vl-convert: Korean
    charts draw with a cut of Noto Sans KR holding the characters of every figure translated
    into Korean (macros/figure_catalogue.ko.yaml) and of every indicator page's figure, so any
    of them renders from one font set. A figure whose translation is incomplete adds nothing
    here: its words are missing where a page shows it, and the error is that call's (this runs
    before the pages, in prerender_translated).
    Returns its folder, whose name names its characters (part of the rendering's key)."""
    if lang == "en":
        return None
    from . import chart_language, korean_font

    def words(fig: Figure) -> str:
        try:
            return chart_language.text(narrow_spec(fig, lang))
        except PortalError:
            return ""
    text = "".join(words(f) for f in _translated(lang))
    return korean_font.chart_fonts(korean_font.drawn(text))


def _translated(lang: str) -> list[Figure]:
    """The figures a page in `lang` may show: those of its figure catalogue and of every
    indicator page."""
    from . import i18n
    return [*(figures.get(i) for i in i18n.translated_figures(lang)),
            *(f for i in indicators.REGISTRY for f in figures.indicator_figures(i))]


@functools.cache  # once a build: the specs and fonts do not change during one
def _key(figure: Figure, kind: str, scale: int = 1, lang: str = "en") -> str:
    drawn = narrow_spec(figure, lang) if kind.startswith("narrow") else spec(figure, lang)
    payload = json.dumps(drawn, sort_keys=True) + vl_convert.__version__ + kind + str(scale)
    payload += _font_names()
    payload += _fonts(lang).name if lang != "en" else ""
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


# vl-convert holds the GIL while it draws (measured: a Python loop in another thread ran at an
# eighth of its speed), so the build draws in processes of their own, started by the first chart
# to draw (a build that draws nothing starts none): each chart is handed to them as soon as the
# chart is built, and the charts are built and the pages rendered in this process meanwhile; a
# page that shows a chart not yet drawn waits for it (_cached). A PNG is rasterised from the
# chart's SVG, the same bytes as vl-convert's vegalite_to_png, which draws the SVG again first.
_PENDING: dict[Path, Future] = {}  # cache file -> its drawing, queued by draw_later
# Spawned, not from a forkserver: a forked vl-convert would wait for a thread only its parent
# has. A second drawing process is started once a build has queued BACKLOG drawings: with the
# portal's 68 figures (about 200 drawings) it cost 2 s more, its start-up on a core the build is
# using; with bench-scale's 600 distinct figures it took the cold build from 229 to 196 s.
_DRAWERS = (runtime.Workers(1, "spawn"), runtime.Workers(1, "spawn"))
BACKLOG = 300


def _drawer() -> runtime.Workers:
    if len(_PENDING) < BACKLOG or (os.cpu_count() or 1) < 2:
        return _DRAWERS[0]
    return _DRAWERS[len(_PENDING) % 2]


def stop_drawing() -> None:
    """Wait for every drawing queued and end the drawing processes (the build's last drawing
    is done: a `mkdocs serve` rebuild starts new ones)."""
    for drawer in _DRAWERS:
        drawer.close()


_REGISTERED: set[str] = set()  # font folders registered in the drawing process


def _draw(path: Path, kind: str, drawn, fonts: tuple[str, ...]) -> bytes:
    """In the drawing process: `drawn` (a spec, or for a PNG its SVG's cache file) drawn as
    `kind`, written to the cache file `path`."""
    for folder in fonts:
        if folder not in _REGISTERED:
            vl_convert.register_font_directory(folder)
            _REGISTERED.add(folder)
    data = vl_convert.svg_to_png(drawn.read_text(encoding="utf-8"), scale=PNG_SCALE) \
        if kind == "png" else _vl_svg(drawn)
    atomic.write(path, data)
    return data


def _path(figure: Figure, kind: str, scale: int = 1, lang: str = "en") -> Path:
    return CACHE_DIR / f"{figure.id}-{_key(figure, kind, scale, lang)}.{kind}"


@functools.cache
def _font_names() -> str:
    return "".join(sorted(p.name for p in FONT_DIR.glob("*.ttf")))


def _cached(figure: Figure, kind: str, render, scale: int = 1, lang: str = "en") -> bytes:
    path = _path(figure, kind, scale, lang)
    if path in _PENDING:
        return _PENDING[path].result()
    if path.exists():
        return path.read_bytes()
    data = render()
    atomic.write(path, data)
    return data


def draw_later(figure: Figure, lang: str = "en", kinds=("svg", "narrow.svg", "png")) -> None:
    """Queue the renderings `kinds` of `figure` in `lang` that are neither cached nor queued
    (a PNG once its SVG, which it is rasterised from, is drawn)."""
    fonts = (str(_fonts(lang)),) if lang != "en" else ()
    for kind, scale in (("svg", 1), ("narrow.svg", 1), ("png", PNG_SCALE)):
        path = _path(figure, kind, scale, lang)
        if kind in kinds and path not in _PENDING and not path.exists():
            drawn = {"svg": lambda: spec(figure, lang), "narrow.svg": lambda: narrow_spec(
                figure, lang), "png": lambda: _path(figure, "svg", 1, lang)}[kind]()
            if kind == "png" and drawn in _PENDING:  # perhaps in the other drawing process
                _PENDING[path] = _drawer().submit_after(_PENDING[drawn], _draw, path, kind,
                                                        drawn, fonts)
            else:
                _PENDING[path] = _drawer().submit(_draw, path, kind, drawn, fonts)
            if fonts and kind != "png":
                _PENDING[path].add_done_callback(functools.partial(_cut_font_later, lang=lang))


def _cut_font_later(drawing: Future, lang: str) -> None:
    """A translated SVG just drawn (the drawing's callback): its embedded font's cuts started
    in korean_font's workers, while the pages go on rendering (_slim takes them when done)."""
    if not drawing.cancelled() and drawing.exception() is None:
        from . import korean_font
        korean_font.recut_later(_embedded_chars(_inert(drawing.result().decode())), _fonts(lang))


def prerender_translated(lang: str) -> None:
    """Queue every drawing of the figures in `lang` (_translated) before its pages render; a
    figure whose translation is incomplete is left to the page that shows it, whose error it is."""
    _fonts(lang)  # a character its font lacks stops the build here
    for fig in _translated(lang):
        try:
            draw_later(fig, lang)
        except PortalError:
            continue


def prerender(figs, *, wait: bool = True) -> None:
    """Queue the SVGs (wide and narrow) of `figs`, each as soon as its chart is built; with
    `wait`, return when they are drawn."""
    figs = list(figs)
    for fig in figs:  # charts are built here; only the drawing runs in the drawing process
        draw_later(fig, kinds=("svg", "narrow.svg"))
    if wait:
        for fig in figs:
            svg(fig), narrow_svg(fig)


# What vega writes for its interactive scenegraph and nothing draws: per-mark ARIA, roles, class
# names, pointer-events and empty backgrounds. The static SVG is shown as an <img> (one text
# alternative, its alt) and printed; stripped, it is about 40 % smaller in every edition.
_INERT = re.compile(r' (?:class|role|aria-roledescription|aria-hidden|aria-label|pointer-events)'
                    r'="[^"]*"')
_EMPTY = '<path d="M0,0h0v0h0Z"/>'


_TEXT = re.compile(r"<text([^>]*)>(.*?)</text>", re.S)  # a wrapped title's lines are <tspan>s


def _inert(drawn: str) -> str:
    return _INERT.sub("", drawn).replace(_EMPTY, "")


def _slim(figure: Figure, drawn: str, lang: str = "en") -> str:
    slim = _inert(drawn)
    head = slim.index(">") + 1
    title = render.escape(spec(figure, lang)["description"] if lang != "en"
                          else figure.alt_text())
    return f"{slim[:head]}<title>{title}</title>{_embedded_font(slim, lang)}{slim[head:]}"


def _embedded_font(drawn: str, lang: str) -> str:
    """A translated chart's font inside its SVG, cut to the characters it draws in each weight
    (macros/korean_font.py: an <img> of an SVG loads no font, the page's neither)."""
    if lang == "en":
        return ""
    from . import korean_font
    return korean_font.embedded_style(_embedded_chars(drawn), _fonts(lang))


def _embedded_chars(drawn: str) -> dict[int, frozenset[int]]:
    """weight -> the code points a drawn SVG's text elements set in it."""
    import html

    from . import korean_font
    by_weight = {400: "", 700: ""}
    for attributes, text in _TEXT.findall(drawn):
        weight = re.search(r'font-weight="(\d+|bold)"', attributes)
        bold = weight is not None and (weight[1] == "bold" or int(weight[1]) >= 600)
        by_weight[700 if bold else 400] += html.unescape(re.sub(r"<[^>]*>", "", text))
    return {w: korean_font.drawn(t) for w, t in by_weight.items()}


def _vl_svg(drawn: dict) -> bytes:
    return vl_convert.vegalite_to_svg(drawn, vl_version=VL_VERSION).encode()


def _raw_svg(figure: Figure, lang: str = "en") -> bytes:
    """vl-convert's SVG of the figure, as drawn."""
    return _cached(figure, "svg", lambda: _vl_svg(spec(figure, lang)), lang=lang)


@functools.cache
def svg(figure: Figure, lang: str = "en") -> str:
    """The static chart: vl-convert's SVG without its inert attributes, titled with the alt text
    (so a downloaded file still says what it shows)."""
    return _slim(figure, _raw_svg(figure, lang).decode(), lang)


_SIZE = re.compile(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"')


def size(figure: Figure, lang: str = "en", *, narrow: bool = False) -> tuple[str, str]:
    """(width, height) of the static chart (`narrow`: in its narrow layout), as its SVG says:
    read from the drawing, so a page need not wait for a translated chart's embedded font."""
    drawn = (_raw_narrow_svg if narrow else _raw_svg)(figure, lang)
    return _SIZE.search(drawn.decode()).groups()


@functools.cache
def narrow_svg(figure: Figure, lang: str = "en") -> str:
    """The static chart in its narrow layout (`narrow_patch`), shown on phones."""
    return _slim(figure, _raw_narrow_svg(figure, lang).decode(), lang)


def _raw_narrow_svg(figure: Figure, lang: str = "en") -> bytes:
    return _cached(figure, "narrow.svg", lambda: _vl_svg(narrow_spec(figure, lang)), lang=lang)


def png(figure: Figure, lang: str = "en") -> bytes:
    return _cached(figure, "png", lambda: vl_convert.svg_to_png(
        _raw_svg(figure, lang).decode(), scale=PNG_SCALE), PNG_SCALE, lang)


def sources_line(figure: Figure) -> str:
    """'U.S. Census Bureau (dataset title, vintage); …' for the figure's datasets."""
    parts = []
    for dataset_id in dict.fromkeys(d for i in figure.indicators
                                    for d in indicators.get(i).sources()):
        ds = datasets.get(dataset_id)
        parts.append(f"{ds.publisher}: {ds.title} ({ds.vintage})")
    return "; ".join(parts)


CODE_COLUMNS = ("period", "date", "frequency", "coverage", "chapter")  # codes in every language


def csv(figure: Figure, lang: str = "en") -> str:
    """The data drawn, preceded by '#' lines naming the figure, units, sources and how to cite
    it (no edition: the file is the same in every edition that draws the same data).

    In another language (`lang`) the download of the figure on that language's pages: its
    lines in that language, and its rows those of the data table the page shows
    (figure_text.drawn): the same rows and column names as the English file, so a program
    reads both alike; the codes (CODE_COLUMNS) unchanged; period labels, series and measures
    in the language; and money in the chart's unit, so the numbers are the ones the reader saw.
    In Korean that is 억 달러, the English file's USD bn × 10 (chart_language.in_eok), which a
    line of its own says. A line on the columns says what each is in the language."""
    from . import chart_language, figure_text, i18n
    t = lambda msgid, **values: i18n.t(lang, msgid, **values)  # noqa: E731
    words = figure_text.in_language(figure, lang)
    eok = chart_language.in_eok(figure, lang)
    unit = lambda u: u if lang == i18n.SOURCE else t("chart unit: USD bn") if eok \
        else t(f"unit: {u}")  # noqa: E731
    units = ", ".join(f"{i}: {unit(indicators.get(i).unit)}" for i in figure.indicators)
    lines = [words["title"], t("Units: %(units)s", units=units)]
    if eok:
        lines.append(t("%(unit)s: the values of the English download (USD bn) × %(factor)s, as "
                       "the chart draws them", unit=t("chart unit: USD bn"),
                       factor=chart_language.LOCALES[lang].EOK_PER_BN))
    lines.append(t("Sources: %(sources)s", sources=words["sources"]))
    drawn = figure_text.drawn(figure, lang)
    if lang != i18n.SOURCE:  # the column names stay codes: say what they are
        named = ", ".join(  # a label names a period or a category (end use, HS chapter)
            f"{c}={t('column in a download: label' if c == 'label' else f'column: {c}')}"
            for c in drawn.columns)
        codes = ", ".join(c for c in drawn.columns if c in CODE_COLUMNS)
        lines.append(t("Columns: %(columns)s. The values of %(codes)s are codes, as in the "
                       "English download", columns=named, codes=codes))
    lines.append(t("Cite as: %(cite)s", cite=t(
        "%(portal)s, “%(title)s”; with its edition and permanent URL: the citation in "
        "%(record)s", portal=citations.portal_name(lang), title=words["title"],
        record=f"{figure.id}.json")))
    out = io.StringIO()
    out.write("".join(map(render.csv_comment, lines)))
    render.csv_safe(drawn).to_csv(out, index=False, lineterminator="\n")
    return out.getvalue()


def metadata(figure: Figure, *, edition: str, citation: str, lang: str = "en") -> dict:
    """The figure's record (`<id>.json`): its words in `lang`, its data's sources, its edition and
    citation."""
    if lang != "en":
        from . import figure_text, i18n
        words = figure_text.in_language(figure, lang)
        return {
            "id": figure.id, "language": lang, "title": words["title"],
            "caption": words["caption"], "description": words["alt"],
            "indicators": list(figure.indicators),
            "sources": [{"dataset": d, **{f: i18n.dataset(datasets.get(d), f, lang)
                                          for f in ("publisher", "title", "vintage")}}
                        for i in figure.indicators for d in indicators.get(i).sources()],
            "edition": edition, "citation": citation, "rows_drawn": len(figure.drawn()),
        }
    return {
        "id": figure.id, "title": figure.title, "caption": figure.caption,
        "description": figure.alt_text(), "indicators": list(figure.indicators),
        "sources": [{"dataset": d, "publisher": datasets.get(d).publisher,
                     "title": datasets.get(d).title, "vintage": datasets.get(d).vintage}
                    for i in figure.indicators for d in indicators.get(i).sources()],
        "edition": edition, "citation": citation, "rows_drawn": len(figure.drawn()),
    }


def write_drawn(figure: Figure, folder: Path, lang: str = "en") -> None:
    """The chart of one figure in `lang` into `folder` (the site's or a translated build's
    assets/figures/): its spec, SVG, PNG and narrow SVG."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{figure.id}.vl.json").write_text(  # compact: read by figures.js, not by people
        json.dumps(spec(figure, lang), separators=(",", ":"), ensure_ascii=False),
        encoding="utf-8")
    (folder / f"{figure.id}.svg").write_text(svg(figure, lang), encoding="utf-8")
    (folder / f"{figure.id}.png").write_bytes(png(figure, lang))
    (folder / "narrow").mkdir(exist_ok=True)  # apart, so each *.svg above has its .png
    (folder / "narrow" / f"{figure.id}.svg").write_text(narrow_svg(figure, lang),
                                                          encoding="utf-8")


def write_all(figure: Figure, folder: Path, *, edition: str, citation: str) -> None:
    """Every download of one figure into `folder` (the site's assets/figures/)."""
    write_drawn(figure, folder)
    (folder / f"{figure.id}.csv").write_text(csv(figure), encoding="utf-8")
    (folder / f"{figure.id}.json").write_text(
        json.dumps(metadata(figure, edition=edition, citation=citation), indent=1))
