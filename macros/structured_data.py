"""schema.org JSON-LD for a page: a briefing is a Report, a dataset page a Dataset with its
distribution, licence and temporal coverage, anything else a WebPage. In the page's language
(its record's): a Korean page names the portal and a dataset's publisher in Korean."""
from __future__ import annotations

from . import datasets, i18n, render
from .citations import PORTAL, Edition

TEXT_LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def organisation(record: dict) -> dict:
    """The portal as publisher and author, by its name in the record (in the page's language);
    in another language also by its English name (alternateName): one organisation."""
    name = record["publisher"]
    return {"@type": "Organization", "name": name,
            **({"alternateName": PORTAL} if name != PORTAL else {})}


def jsonld(*, src: str, record: dict, ed: Edition, site_root: str, used_datasets: list[str],
           pdf_url: str | None = None) -> dict:
    """The page's JSON-LD, from the same CSL record as its other citation forms."""
    lang = record.get("language", "en")
    common = {"@context": "https://schema.org", "name": record["title"], "url": record["URL"],
              "publisher": organisation(record), "version": ed.name, "inLanguage": lang,
              "datePublished": "-".join(f"{p:02d}" for p in record["issued"]["date-parts"][0])}
    if src.startswith("data/") and src[5:-3] in datasets.ids():
        return {**common, **dataset_jsonld(src[5:-3], record["URL"], lang)}
    if src.startswith("briefings/") or src == "index.md":
        out = {**common, "@type": "Report", "headline": record["title"],
               "author": common["publisher"],
               "license": TEXT_LICENCE, "reportNumber": record.get("number", ""),
               "isBasedOn": [f"{site_root}data/{d}/" for d in used_datasets]}
        if pdf_url:
            out["encoding"] = {"@type": "MediaObject", "encodingFormat": "application/pdf",
                               "contentUrl": pdf_url}
        return out
    return {**common, "@type": "WebPage"}


def script(data: dict):
    """The JSON-LD as the text of its <script> element: no string can close it (render.py)."""
    return render.script_json(data)


def dataset_jsonld(dataset_id: str, url: str, lang: str = "en") -> dict:
    ds = datasets.get(dataset_id)
    d = ds.descriptor
    coverage = d.get("temporal_coverage", {})
    where = f"data/{dataset_id}/datapackage.json: "
    licence = d["licenses"][0]
    return {
        "@type": "Dataset", "description": i18n.dataset(ds, "description", lang),
        "creator": {"@type": "Organization", "name": i18n.dataset(ds, "publisher", lang)},
        "license": render.href(licence["path"], where=where + "licenses[0].path")
        if licence.get("path") else licence.get("name"),
        "temporalCoverage": f"{coverage.get('start', '..')}/{coverage.get('end', '..')}",
        "isBasedOn": [render.href(s["path"], where=f"{where}sources[{i}].path")
                      for i, s in enumerate(d["sources"]) if s.get("path")],
        "distribution": [{"@type": "DataDownload", "name": r["name"], "encodingFormat": "text/csv",
                          "contentUrl": f"{url}{r['path']}"} for r in ds.resources],
    }
