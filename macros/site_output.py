"""Files the built site ships besides pages: the indicator API, figure downloads, dataset
downloads and the self-hosted browser libraries. One producer per artefact."""
from __future__ import annotations

import hashlib
import json
import os
import math
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import artefacts, citations, datasets, download_parts, editions, feed, indicators, pdf
from . import atomic, compact, i18n, render, toolchain, web_fonts
from . import png as png_file
from .authoring import FIGURE_CITATIONS, FIGURES_USED, NUMBERS_USED
from .errors import PortalError

NODE_MODULES = datasets.ROOT / "node_modules"
VENDOR_FILES = {  # npm package file -> site file; versions pinned in package.json/package-lock.json
    "vega/build/vega.min.js": "vega.min.js",
    "vega-lite/build/vega-lite.min.js": "vega-lite.min.js",
    "vega-embed/build/vega-embed.min.js": "vega-embed.min.js",
}


def indicators_api() -> dict:
    """`api/indicators.json`: every indicator with metadata and observations in its unit."""
    out = {}
    for ind in indicators.REGISTRY.values():
        obs = []
        for row in indicators.observations(ind.id).to_dict("records"):
            row = {k: (round(v, 9) if isinstance(v, float) else v) for k, v in row.items()
                   if v != ""}
            if isinstance(row["value"], float) and not math.isfinite(row["value"]):
                raise PortalError(f"indicator {ind.id!r}: non-finite value for {row['period']}")
            obs.append(row)
        out[ind.id] = {"title": ind.title, "unit": ind.unit, "definition": ind.definition,
                       "formula": ind.formula, "basis": ind.basis, "sources": ind.sources(),
                       "dimensions": list(ind.dimensions), "observations": obs,
                       "translations": {  # a new key: the fields above keep their English
                           lang: {f: i18n.indicator(ind, f, lang)
                                  for f in ("title", "definition", "formula")}
                           for lang in i18n.LANGUAGES if lang != i18n.SOURCE}}
    return {"indicators": out}


def write_api(site: Path) -> None:
    folder = site / "api" / "indicators"
    folder.mkdir(parents=True, exist_ok=True)
    # Compact: programs read it, and every edition publishes it anew (a third smaller).
    api = json.dumps(indicators_api(), ensure_ascii=False, separators=(",", ":"))
    (site / "api" / "indicators.json").write_text(api, encoding="utf-8")
    for ind in indicators.REGISTRY.values():  # every text cell spreadsheet-safe (render.csv_safe)
        render.csv_safe(indicators.observations(ind.id).round({"value": 9})).to_csv(
            folder / f"{ind.id}.csv", index=False, lineterminator="\n")


def write_dataset_downloads(site: Path) -> None:
    """`data/<id>/`: the descriptor and every resource file; a large file spanning several years
    also as one part per year (macros/download_parts.py), which the site's descriptor lists as
    the resource's path (a Frictionless multipart resource)."""
    for dataset_id in datasets.ids():
        ds = datasets.get(dataset_id)
        target = site / "data" / dataset_id
        target.mkdir(parents=True, exist_ok=True)
        descriptor = json.loads((ds.folder / "datapackage.json").read_text(encoding="utf-8"))
        split = False
        for res in descriptor.get("resources", []):
            path = ds.folder / res["path"]
            parts = download_parts.of_file(path)
            if parts is None:
                shutil.copyfile(path, target / path.name)
                continue
            folder = target / download_parts.folder(res["path"])
            folder.mkdir(parents=True, exist_ok=True)
            for year, data in parts.items():
                (folder / f"{year}.csv").write_bytes(data)
            (target / path.name).write_bytes(download_parts.whole(parts))
            res["path"] = [f"{download_parts.folder(res['path'])}/{year}.csv" for year in parts]
            split = True
        if split:
            (target / "datapackage.json").write_text(
                json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            shutil.copyfile(ds.folder / "datapackage.json", target / "datapackage.json")


def write_vendor(site: Path) -> None:
    target = site / "assets" / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    for source, name in VENDOR_FILES.items():
        path = NODE_MODULES / source
        if not path.exists():
            raise PortalError(f"{path} is missing: run `make vendor` (fetches the pinned "
                              "packages of package-lock.json) before building")
        shutil.copyfile(path, target / name)


def write_figures(site: Path, edition: str) -> None:
    for fig in FIGURES_USED.values():  # the APA text of the record the figure's cite block shows
        citation = citations.formatted(FIGURE_CITATIONS[fig.id], "apa")
        artefacts.write_all(fig, site / "assets" / "figures", edition=edition, citation=citation)
    pngs = [site / "assets" / "figures" / f"{fig.id}.png" for fig in FIGURES_USED.values()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # zlib frees the GIL
        list(pool.map(optimise_png, pngs))


def optimise_png(path: Path) -> None:
    """Re-encode one PNG download losslessly (macros/png.py), cached by the input's hash."""
    data = path.read_bytes()
    cached = artefacts.CACHE_DIR / f"optimised-{hashlib.sha256(data).hexdigest()[:20]}.png"
    if not cached.exists():
        atomic.write(cached, png_file.optimise(data))
    path.write_bytes(cached.read_bytes())


def write_edition_record(site: Path, edition: str) -> None:
    """`edition.json`: the values and data vintages this edition published."""
    record = {**editions.record(edition, NUMBERS_USED), "built_with": toolchain.record()}
    (site / "edition.json").write_text(  # compact: a machine record, republished every edition
        json.dumps(record, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")


def write_translation(site: Path, lang: str, edition: str) -> None:
    """A translated build's own files: its pages compacted, its pages' charts in its language
    (spec, SVG, PNG: macros/chart_language.py), their data (CSV: artefacts.csv) and records,
    and its font (Korean: Noto Sans KR cut to the characters of its pages and charts,
    macros/korean_font.py); every other file is the English build's."""
    from . import chart_language, korean_font
    compact.pages(site)
    if lang == "ko":  # its page fonts cut in the workers while the figure files are written
        used = korean_font.page_characters(site, "".join(
            chart_language.text(artefacts.spec(fig, lang)) for fig in FIGURES_USED.values()))
        korean_font.cut_later(used)
    folder = site / "assets" / "figures"
    for fig in FIGURES_USED.values():
        artefacts.write_drawn(fig, folder, lang)
        (folder / f"{fig.id}.csv").write_text(artefacts.csv(fig, lang), encoding="utf-8")
        record = artefacts.metadata(fig, edition=edition, lang=lang, citation=citations.formatted(
            FIGURE_CITATIONS[fig.id], "apa"))
        (folder / f"{fig.id}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False),
                                               encoding="utf-8")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(optimise_png, [folder / f"{fig.id}.png" for fig in FIGURES_USED.values()]))
    if lang == "ko":
        korean_font.write(site, used)


def write(site_dir: str, *, edition: str) -> None:
    site = Path(site_dir)
    compact.pages(site)  # first: the PDFs print the pages as published
    write_edition_record(site, edition)
    write_api(site)
    write_dataset_downloads(site)
    write_vendor(site)
    write_figures(site, edition)
    artefacts.stop_drawing()  # every chart is drawn
    web_fonts.write(site)  # after the charts (their text is in the subset), before the PDFs
    write_citations(site)


def write_citations(site: Path) -> None:
    """The edition's own citation (citation.json, .bib, .ris), its feed, and the briefing PDFs
    the pages link (printed last, from the finished pages)."""
    ed = citations.built()
    if ed is None:
        return
    forms = citations.forms(citations.edition_record(ed))
    for name, key in (("citation.json", "csl"), ("citation.bib", "bibtex"),
                      ("citation.ris", "ris")):
        (site / name).write_text(forms[key], encoding="utf-8")
    feed.write(site, ed)
    pdf.write(site)
