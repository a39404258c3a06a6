"""A figure's words in the reader's language: title, caption, text alternative, sources line, and
the rows of its data table with translated labels. English is the figure's own (macros/figures.py);
other languages come from macros/figure_catalogue.<lang>.yaml (title and caption templates with
`{span}` and `{partial}`, series labels) and the summary functions of
macros/figure_catalogue_<lang>.py, both beside the catalogue they translate.
"""
from __future__ import annotations

import functools
import importlib

import pandas as pd

from . import artefacts, datasets, i18n, indicators, periods
from .errors import PortalError
from .figures import Figure


def _coverage(fig: Figure, lang: str) -> dict[str, str]:
    rows = fig.drawn().drop_duplicates("period")
    return {"span": periods.span(rows, lang=lang),
            "partial": periods.partial_note(rows, lang=lang)}


def _indicator(fig: Figure):
    """The indicator an indicator page's figure draws, and its frequency (None for another)."""
    from .figures import indicator_figure_of
    found = indicator_figure_of(fig)
    return (indicators.get(found[0]), found[1]) if found else None


def label(fig: Figure, english: str, lang: str) -> str:
    """One title of a figure's chart in `lang`: an indicator page's figure words its unit and
    dimension names from the interface catalog (its dimensions' values: i18n.dimension), any
    other figure from its `labels` (i18n.label)."""
    found = _indicator(fig)
    if found is None or lang == i18n.SOURCE:
        return i18n.label(fig.id, english, lang)
    ind, _ = found
    if english == ind.unit:  # an axis: 억 달러 (chart_language.in_eok), 비율(%), …
        return i18n.t(lang, f"chart unit: {english}")
    if english in ind.dimensions:
        return i18n.t(lang, f"column: {english}")
    return i18n.label(fig.id, english, lang)


def word_columns(fig: Figure) -> tuple[str, ...]:
    """The columns of an indicator figure's rows that hold words (its dimensions)."""
    found = _indicator(fig)
    return tuple(found[0].dimensions) if found else ()


@functools.cache  # asked by the page, the spec and the record of each figure
def _indicator_words(fig: Figure, lang: str) -> dict[str, str]:
    """Title, caption and text alternative of an indicator page's figure in `lang`, from the
    indicator's own translation (its title and definition) and the drawn rows (a copy each)."""
    ind, frequency = _indicator(fig)
    _ = i18n.gettext_for(lang)
    rows = fig.drawn().drop_duplicates("period")
    coverage = _coverage(fig, lang)
    title = i18n.indicator(ind, "title", lang)
    several = len(periods.frequencies(indicators.observations(ind.id))) > 1
    data = periods.of_frequency(indicators.observations(ind.id), frequency)
    last = data.iloc[-1]
    from .formatting import format_value
    return {
        "title": ", ".join([title, *([_(f"frequency: {frequency}")] if several else []),
                            coverage["span"]]),
        "caption": " ".join(f"{i18n.indicator(ind, 'definition', lang)} "
                            f"{coverage['partial']}".split()),
        "alt": _("%(title)s, %(frequency)s, %(span)s; the last value shown is %(value)s for "
                 "%(period)s.", title=title, frequency=_(f"frequency: {frequency}"),
                 span=periods.span(data, lang=lang),
                 value=format_value(last["value"], ind.unit, lang=lang),
                 period=periods.words(last["period"], last["frequency"], last["months"],
                                      lang=lang)) if len(rows) else title}


def summary(fig: Figure, lang: str) -> str:
    """The figure's message in `lang`, from the summary registered for its id."""
    if _indicator(fig) is not None:
        return _indicator_words(fig, lang)["alt"]  # a str: the cached dict is not handed out
    try:
        module = importlib.import_module(f"macros.figure_catalogue_{lang}")
    except ModuleNotFoundError:
        module = None
    found = getattr(module, "SUMMARIES", {}).get(fig.id)
    if found is None:
        raise PortalError(f"no {lang} text alternative of figure {fig.id!r}: add a summary for it "
                          f"to SUMMARIES in macros/figure_catalogue_{lang}.py")
    return found(fig.tables())


def sources_line(fig: Figure, lang: str) -> str:
    """'미국 인구조사국: <title> (<vintage>); …' for the figure's datasets."""
    parts = []
    for dataset_id in dict.fromkeys(d for i in fig.indicators
                                    for d in indicators.get(i).sources()):
        ds = datasets.get(dataset_id)
        parts.append(f"{i18n.dataset(ds, 'publisher', lang)}: {i18n.dataset(ds, 'title', lang)} "
                     f"({i18n.dataset(ds, 'vintage', lang)})")
    return "; ".join(parts)


def in_language(fig: Figure, lang: str) -> dict[str, str]:
    """{'title', 'caption', 'alt', 'sources'} of `fig` in `lang`."""
    if lang == i18n.SOURCE:
        return {"title": fig.title, "caption": fig.caption, "alt": fig.alt_text(),
                "sources": artefacts.sources_line(fig)}
    if _indicator(fig) is not None:
        return {**_indicator_words(fig, lang), "sources": sources_line(fig, lang)}
    coverage = _coverage(fig, lang)
    text = lambda field: " ".join(  # noqa: E731
        i18n.figure(fig.id, field, lang).format(**coverage).split())
    return {"title": text("title"), "caption": text("caption"), "alt": summary(fig, lang),
            "sources": sources_line(fig, lang)}


def drawn(fig: Figure, lang: str) -> pd.DataFrame:
    """The rows the figure draws with their words in `lang`: period labels, series names,
    coverage, and money in the chart's unit (the numbers are otherwise the same frame's)."""
    from . import chart_language
    frame = fig.drawn().copy()
    if lang == i18n.SOURCE:
        return frame
    if "label" in frame.columns:  # a period's label, or a category's (end use, HS chapter)
        frame["label"] = [
            periods.label(p, f, m, lang=lang) if word == periods.label(p, f, m)
            else label(fig, word, lang) for p, f, m, word in
            zip(frame["period"], frame["frequency"], frame["months"], frame["label"])]
    for column in ("series", "measure"):
        if column in frame.columns:
            frame[column] = [label(fig, s, lang) for s in frame[column]]
    for column in word_columns(fig):
        frame[column] = [i18n.dimension(column, v, lang) for v in frame[column]]
    if chart_language.in_eok(fig, lang):  # the chart's unit: 억 달러, not USD bn
        frame["value"] = (frame["value"] * chart_language.LOCALES[lang].EOK_PER_BN).round(9)
    return frame  # `coverage` stays a code here: the data table tests it, then words it
