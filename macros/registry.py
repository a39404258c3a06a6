"""The one list of author macros: the adapter registers these, the reference page documents them."""
from __future__ import annotations

from . import authoring, claims, reference_pages

MACROS = {
    "value": authoring.value,
    "reported": authoring.reported,
    "figure": authoring.figure,
    "table": authoring.table,
    "sources": authoring.sources,
    "link": authoring.link,
    "span": claims.span,
    "coverage": claims.coverage,
    "peak": claims.peak,
    "trough": claims.trough,
    "record": claims.record,
    "streak": claims.streak,
    "rank": claims.rank,
    "change": claims.change,
    "compare": claims.compare,
    "indicator_page": reference_pages.indicator_page,
    "indicator_index": reference_pages.indicator_index,
    "dataset_page": reference_pages.dataset_page,
    "dataset_index": reference_pages.dataset_index,
    "reported_figures_list": reference_pages.reported_figures_list,
    "macro_reference": reference_pages.macro_reference,
    "changes": reference_pages.changes,
}
