"""Words in the reader's language: metadata translations beside what they translate, and the
interface strings of the portal's own templates from a gettext catalog (Babel).

Layout (translations sit next to the thing they translate, one `<name>.ko.yaml` per file):
- an indicator's title, definition and formula: `macros/indicators/<module>.ko.yaml` beside the
  module that registers it, keyed by indicator id;
- a briefing figure's title, caption, series and axis labels, and its text alternative (a
  template filled with the summary's numbers): `macros/figure_catalogue.ko.yaml`, by figure id;
- a dataset's title, description, publisher and vintage, and the words of its dataset page
  (its sources' and licences' titles, each resource's title, description and fields):
  `data/<id>/datapackage.ko.yaml`;
- a reported figure's description: `data/reported_figures/reported_figures.ko.yaml`, by id; a
  report's publisher, title and medium: `data/reported_figures/reports.ko.yaml`, by report id;
- interface strings (`_("Figure %(number)s")` in macros/templates/ and the engine):
  `macros/locale/<lang>/LC_MESSAGES/portal.po`, compiled in memory by Babel at each build.

English is the source language: `text(..., lang="en")` returns the English the caller already
has. In any other language a missing translation is a PortalError naming the key and the file
to add it to, so a Korean page never falls back to English silently.
"""
from __future__ import annotations

import functools
import gettext
import io
import os
from pathlib import Path

import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .errors import PortalError

SOURCE = "en"
LANGUAGES = ("en", "ko")
MACROS = Path(__file__).resolve().parent
CATALOGS = MACROS / "locale"
DOMAIN = "portal"


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(MACROS.parent))
    except ValueError:
        return str(path)


@functools.cache
def _yaml(path: Path) -> dict:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise PortalError(f"{_rel(path)}: a translation file maps keys to fields; found "
                          f"{type(data).__name__}")
    return data


def _lookup(path: Path, key: str | None, field: str, what: str, lang: str) -> str:
    entry = _yaml(path)
    if key is not None:
        entry = entry.get(key)
    value = entry.get(field) if isinstance(entry, dict) else None
    if not isinstance(value, str) or not value.strip():
        where = f"{key}.{field}" if key is not None else field
        raise PortalError(f"no {lang} translation of {what}: add '{where}' to {_rel(path)}")
    return value.strip()


def _file_beside(path: Path, lang: str) -> Path:
    """`x.py` -> `x.ko.yaml`, `datapackage.json` -> `datapackage.ko.yaml`."""
    return path.with_name(f"{path.stem}.{lang}.yaml")


def indicator(ind, field: str, lang: str) -> str:
    """An indicator's `title`, `definition` or `formula` in `lang`."""
    if lang == SOURCE:
        return getattr(ind, field)
    import sys
    module = Path(sys.modules[ind.compute.__module__].__file__)
    return _lookup(_file_beside(module, lang), ind.id, field,
                   f"indicator {ind.id!r} ({field})", lang)


def figure(fig_id: str, field: str, lang: str, english: str | None = None) -> str:
    """A figure's `title`, `caption`, `summary` (templates) in `lang`."""
    if lang == SOURCE:
        return english
    return _lookup(_file_beside(MACROS / "figure_catalogue.py", lang), fig_id, field,
                   f"figure {fig_id!r} ({field})", lang)


def figure_labels(fig_id: str, lang: str) -> dict:
    """A figure's series and column labels in `lang` (English -> translation), {} in English."""
    if lang == SOURCE:
        return {}
    entry = _yaml(_file_beside(MACROS / "figure_catalogue.py", lang)).get(fig_id) or {}
    return dict(entry.get("labels") or {})


def translated_figures(lang: str) -> list[str]:
    """The ids of the figures translated into `lang` (an entry in its figure catalogue)."""
    return list(_yaml(_file_beside(MACROS / "figure_catalogue.py", lang)))


def label(fig_id: str, english: str, lang: str) -> str:
    """One series, column or axis label of a figure in `lang`; missing is an error."""
    if lang == SOURCE:
        return english
    labels = figure_labels(fig_id, lang)
    if english not in labels:
        raise PortalError(f"no {lang} translation of figure {fig_id!r} label {english!r}: add it "
                          f"under '{fig_id}.labels' in "
                          f"{_rel(_file_beside(MACROS / 'figure_catalogue.py', lang))}")
    return str(labels[english])


def dimension(name: str, value: str, lang: str) -> str:
    """A dimension's value in `lang` ('enduse: intermediate' in the interface catalog); a code
    (an HS chapter or subheading: digits) stays as it is."""
    if lang == SOURCE or str(value).isdigit():
        return str(value)
    return t(lang, f"{name}: {value}")


def dataset(ds, field: str, lang: str) -> str:
    """A dataset's `title`, `description`, `publisher` or `vintage` in `lang`."""
    if lang == SOURCE:
        return getattr(ds, field) if field != "description" else ds.descriptor.get(field, "")
    path = _file_beside(ds.folder / "datapackage.json", lang)
    text = _lookup(path, None, field, f"dataset {ds.id!r} ({field})", lang)
    if field == "vintage":  # refreshed with the data (make data): the translation must follow
        said = _yaml(path).get("vintage_translated")
        if said != ds.vintage:
            raise PortalError(f"the {lang} vintage of dataset {ds.id!r} in {_rel(path)} "
                              f"translates {said!r}, but datapackage.json now says "
                              f"{ds.vintage!r}: translate it and set vintage_translated")
    return text


def descriptor(ds, path: str, lang: str, english: str) -> str:
    """A part of a dataset's descriptor in `lang`, by its dotted path in
    datapackage.<lang>.yaml: 'sources.0', 'licenses.0', 'resources.annual.title',
    'resources.annual.description', 'resources.annual.fields.year' (a field's description).
    Nothing in English needs nothing translated."""
    if lang == SOURCE or not str(english or "").strip():
        return english
    file = _file_beside(ds.folder / "datapackage.json", lang)
    node = _yaml(file)
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit():
            node = node[int(part)] if int(part) < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, str) or not node.strip():
        raise PortalError(f"no {lang} translation of dataset {ds.id!r} ({path}): add '{path}' "
                          f"to {_rel(file)}")
    return node.strip()


def earlier_vintage(ds, english: str, lang: str, *, edition: str | None = None) -> str:
    """A vintage of `ds` an earlier edition published (`english`, from its record) in `lang`:
    the translation while it is still the vintage, else its entry in `earlier_vintages`
    (English: translation) of the dataset's `<lang>.yaml`, where a translator keeps the vintage
    a refresh replaced; missing is an error naming the file and the key."""
    if lang == SOURCE:
        return english
    if english == ds.vintage:
        return dataset(ds, "vintage", lang)
    path = _file_beside(ds.folder / "datapackage.json", lang)
    earlier = (_yaml(path).get("earlier_vintages") or {}).get(english)
    if isinstance(earlier, str) and earlier.strip():
        return earlier.strip()
    raise PortalError(f"no {lang} translation of the vintage {english!r} of dataset {ds.id!r} "
                      f"that edition {edition or '(previous)'} published: add it under "
                      f"'earlier_vintages' ({english!r}: …) in {_rel(path)}")


def row_vintage(ind, text: str, lang: str) -> str:
    """An observation's vintage ('Census release 2026') in `lang`, by the `row_vintages`
    patterns ([regex, replacement]) in the ko.yaml of the indicator's datasets."""
    if lang == SOURCE:
        return text
    import re

    from . import datasets
    paths = [_file_beside(datasets.get(d).folder / "datapackage.json", lang) for d in ind.sources()]
    for path in paths:
        for pattern, replacement in _yaml(path).get("row_vintages") or []:
            if re.fullmatch(pattern, text):
                return re.sub(pattern, replacement, text)
    raise PortalError(f"no {lang} translation of the vintage {text!r} of indicator {ind.id!r}: "
                      f"add a [pattern, replacement] to row_vintages in {_rel(paths[0])}")


def reported(folder: Path, figure_id: str, field: str, lang: str, english: str) -> str:
    """A reported figure's `description` (or another field) in `lang`."""
    if lang == SOURCE:
        return english
    return _lookup(folder / f"reported_figures.{lang}.yaml", figure_id, field,
                   f"reported figure {figure_id!r} ({field})", lang)


def report(folder: Path, report_id: str, field: str, lang: str, english: str) -> str:
    """A report's `publisher`, `title` or `medium` in `lang`."""
    if lang == SOURCE:
        return english
    return _lookup(folder / f"reports.{lang}.yaml", report_id, field,
                   f"report {report_id!r} ({field})", lang)


# --- interface strings: gettext catalogs ------------------------------------------------------

def catalog_path(lang: str) -> Path:
    return CATALOGS / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def _translations(lang: str) -> gettext.GNUTranslations:
    """The language's .po compiled to .mo in memory (Babel), as gettext reads it."""
    path = catalog_path(lang)
    if not path.exists():
        raise PortalError(f"no interface catalog for language {lang!r}: create {_rel(path)}")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str):
    """`_(msgid, **values)` for `lang`: the translation, %-formatted with `values`; English is
    the msgid itself; a msgid the catalog lacks (or leaves empty or fuzzy) is a PortalError."""
    if lang == SOURCE:
        def english(msgid: str, **values) -> str:
            return msgid % values if values else msgid
        return english
    translations = _translations(lang)

    def translate(msgid: str, **values) -> str:
        found = translations._catalog.get(msgid)  # noqa: SLF001  (the compiled catalog)
        if not found:
            raise PortalError(f"no {lang} translation of the interface string {msgid!r}: add "
                              f"it to {_rel(catalog_path(lang))}")
        return found % values if values else found
    return translate


def t(lang: str, msgid: str, **values) -> str:
    """One interface string in `lang`. `t("ko", "Sources")` -> '출처'"""
    return gettext_for(lang)(msgid, **values)


# --- one build per language ---------------------------------------------------------------

def page_path(src: str) -> str:
    """A page's site path from its source path: 'index.md' -> '', 'a/b.md' -> 'a/b/'."""
    stem = src[:-3] if src.endswith(".md") else src
    if stem == "index" or stem.endswith("/index"):
        stem = stem[:-5]
    return stem if not stem or stem.endswith("/") else stem + "/"


def pages_of(docs_dir) -> list[str]:
    """The source paths of the Markdown pages under `docs_dir`, sorted."""
    root = Path(docs_dir)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))


def offered(alternates: list, project: Path) -> list:
    """The entries of `extra.alternate` a build links to: English and each language this
    project builds (it has docs-<lang>/ and mkdocs.<lang>.yml; every generator builds them),
    less any that PORTAL_LANGUAGES (e.g. `en`: a site published alone) leaves out. [] when only
    one remains: no switcher to a build that is not there."""
    wanted = os.environ.get("PORTAL_LANGUAGES")
    found = [alt for alt in alternates or []
             if (alt.get("lang") == SOURCE or (
                 (project / f"docs-{alt.get('lang')}").is_dir()
                 and (project / f"mkdocs.{alt.get('lang')}.yml").exists()))
             and (not wanted or alt.get("lang") in wanted.split(","))]
    return found if len(found) > 1 else []


def language(conf) -> str:
    """The build's language: Material's theme.language ('en' where the config has none)."""
    try:
        return str(conf["theme"]["language"] or SOURCE)
    except (KeyError, TypeError):
        return SOURCE


def local_paths(conf) -> frozenset | None:
    """The site paths a translated build has (its own pages and the generated ones); None for
    the English build, which has every page and output. PageContext.link sends any other
    target (a download, the API) to English."""
    if language(conf) == SOURCE:
        return None
    return local_paths_of(str(conf["docs_dir"]))


@functools.cache  # asked at every macro call; `mkdocs serve` re-imports the engine per build
def local_paths_of(docs_dir) -> frozenset:
    """The site paths of the pages under `docs_dir` (docs-ko/, or the Zensical build's copy of
    it) and of the generated indicator and dataset pages, which every build has."""
    from . import build
    return frozenset(page_path(src) for src in [*pages_of(docs_dir), *build.generated_sources()])
