"""One switch for everything the engine remembers within a process.

Datasets, indicator tables, figures and citations are cached in memory for the length of a
build. A long-lived process (`mkdocs serve`, a data refresh comparing two data folders) calls
`reset` before it reads again, so it never shows a value computed from files that changed.
"""
from __future__ import annotations


def reset() -> None:
    """Forget every in-memory result; on-disk caches are content-addressed and stay valid."""
    from . import artefacts, citations, datasets, figures, indicators
    for fn in (datasets.get, datasets._read_table, indicators.observations, figures._chart,
               figures._alt_text, figures._coverage, figures.indicator_figure, artefacts.spec,
               artefacts.svg, citations.reports, citations.figures):
        fn.cache_clear()
    from . import authoring
    authoring.FIGURES_USED.clear()
    authoring.NUMBERS_USED.clear()
