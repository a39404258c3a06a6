"""schema.org JSON-LD for a page: a briefing is a Report, a dataset page a Dataset with its
distribution, licence and temporal coverage, anything else a WebPage."""
from __future__ import annotations

from . import datasets
from .citations import PORTAL, edition_date

ORGANISATION = {"@type": "Organization", "name": PORTAL}
TEXT_LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def jsonld(*, src: str, title: str, url: str, site_root: str, edition: str, today: str,
           used_datasets: list[str]) -> dict:
    year, month = edition_date(edition, today)
    common = {"@context": "https://schema.org", "name": title, "url": url,
              "publisher": ORGANISATION, "version": edition, "inLanguage": "en",
              "datePublished": f"{year}-{month}"}
    if src.startswith("data/") and src[5:-3] in datasets.ids():
        return {**common, **dataset_jsonld(src[5:-3], url)}
    if src.startswith("briefings/"):
        return {**common, "@type": "Report", "headline": title, "author": ORGANISATION,
                "license": TEXT_LICENCE,
                "isBasedOn": [f"{site_root}data/{d}/" for d in used_datasets]}
    return {**common, "@type": "WebPage"}


def dataset_jsonld(dataset_id: str, url: str) -> dict:
    ds = datasets.get(dataset_id)
    d = ds.descriptor
    coverage = d.get("temporal_coverage", {})
    return {
        "@type": "Dataset", "description": d.get("description", ""),
        "creator": {"@type": "Organization", "name": ds.publisher},
        "license": d["licenses"][0].get("path", d["licenses"][0].get("name")),
        "temporalCoverage": f"{coverage.get('start', '..')}/{coverage.get('end', '..')}",
        "isBasedOn": [s["path"] for s in d["sources"] if s.get("path")],
        "distribution": [{"@type": "DataDownload", "name": r["name"], "encodingFormat": "text/csv",
                          "contentUrl": f"{url}{r['path']}"} for r in ds.resources],
    }
