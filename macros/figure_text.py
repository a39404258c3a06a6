"""A figure's words in the reader's language: title, caption, text alternative, sources line, and
the rows of its data table with translated labels. English is the figure's own (macros/figures.py);
other languages come from macros/figure_catalogue.<lang>.yaml (title and caption templates with
`{span}` and `{partial}`, series labels) and the summary functions of
macros/figure_catalogue_<lang>.py, both beside the catalogue they translate.
"""
from __future__ import annotations

import importlib

import pandas as pd

from . import artefacts, datasets, i18n, indicators, periods
from .errors import PortalError
from .figures import Figure


def _coverage(fig: Figure, lang: str) -> dict[str, str]:
    rows = fig.drawn().drop_duplicates("period")
    return {"span": periods.span(rows, lang=lang),
            "partial": periods.partial_note(rows, lang=lang)}


def summary(fig: Figure, lang: str) -> str:
    """The figure's message in `lang`, from the summary registered for its id."""
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
            periods.label(p, f, m, lang=lang) if label == periods.label(p, f, m)
            else i18n.label(fig.id, label, lang) for p, f, m, label in
            zip(frame["period"], frame["frequency"], frame["months"], frame["label"])]
    for column in ("series", "measure"):
        if column in frame.columns:
            frame[column] = [i18n.label(fig.id, s, lang) for s in frame[column]]
    if chart_language.in_eok(fig, lang):  # the chart's unit: 억 달러, not USD bn
        frame["value"] = (frame["value"] * chart_language.LOCALES[lang].EOK_PER_BN).round(9)
    return frame  # `coverage` stays a code here: the data table tests it, then words it
