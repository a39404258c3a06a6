"""One switch for everything the engine remembers within a process.

Datasets, indicator tables, figures and citations are cached in memory for the length of a
build, and each build collects what its pages used (figures, numbers, citations, PDFs to print,
briefings for the feed). A long-lived process (a data refresh comparing two data folders) calls
`reset` before it reads again, so it never shows a value computed from files that changed.
"""
from __future__ import annotations

import sys

# What one build collects as its pages render: (module, name) of each dict.
PER_BUILD = (("authoring", "FIGURES_USED"), ("authoring", "NUMBERS_USED"),
             ("authoring", "FIGURE_CITATIONS"), ("pdf", "PLANNED"), ("feed", "BRIEFINGS"),
             ("citations", "_BUILDING"), ("figures", "KNOWN"), ("artefacts", "_PENDING"))


def reset() -> None:
    """Forget every in-memory result; on-disk caches are content-addressed and stay valid."""
    from . import artefacts, authoring, citations, feed, figures, pdf  # noqa: F401  (PER_BUILD's modules)
    engine = [m for name, m in list(sys.modules.items())
              if m is not None and (name == "macros" or name.startswith("macros."))]
    for module in engine:
        for obj in list(vars(module).values()):
            if callable(getattr(obj, "cache_clear", None)) and \
                    getattr(obj, "__module__", "").startswith("macros"):
                obj.cache_clear()
    for module, name in PER_BUILD:
        getattr(sys.modules[f"macros.{module}"], name).clear()
