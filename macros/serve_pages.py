"""`mkdocs serve` after an edit to docs/ alone: the pages that did not change are not rendered
again (issue #13: an edited briefing served within 1.5 s).

MkDocs renders every page on every rebuild. Under `serve`, when the hooks keep the engine's data
caches (nothing of macros/, the data folder or the config changed since the last good build,
macros/mkdocs_hooks.py), a page whose source file is byte for byte what it was, in a build of
the same day with the same pages, is taken from the last build instead:
- its rendering: content, table of contents and title (the other pages' navigation shows it),
  and what its macros added to the build's registries (`pages.replay`), so the site outputs
  written after the pages (API, downloads, figures) are those of a full build;
- when the navigation (every page's title and URL) is unchanged as well, its finished HTML and
  its search entries.
A page whose Markdown names anything besides the portal's macros (`config`, `page`, `now()`, a
variable of mkdocs.yml: jinja2.meta), or calls `changes()` (which reads the previous edition's
record), is rendered every time. `mkdocs build`, and so every published site, renders every
page: tests/test_serve.py checks that a rebuild with kept pages writes the same site, byte for
byte, as a fresh build of the edited project.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import mkdocs.commands.build as _mkdocs
from mkdocs import utils

# MkDocs' own page steps, kept on its module: the engine (this module too) is imported anew
# whenever macros/ changes, and each import must wrap the originals, not the last wrapper.
_ORIGINAL = _mkdocs.__dict__.setdefault(
    "_portal_original", {"populate": _mkdocs._populate_page, "build": _mkdocs._build_page})
ALWAYS_RENDERED = frozenset({"changes"})  # macros that read more than data, code and the page
# What a page's rendering fills besides the registries it replays (pages.replay): memos of pure
# functions (citeproc's templates), which a kept page needs nothing from.
CACHES = frozenset({"macros.citations._TEMPLATES", "macros.citations._CHECKED"})


@dataclass
class Kept:
    """What one page's last rendering left: enough to stand in for rendering it again."""

    key: tuple                      # its source and the build's (_page_key)
    page: dict                      # the Page attributes its rendering set
    registries: dict                # what its macros added (pages.registry_state)
    slots: dict                     # its slots' HTML, for a template rendered again
    html: bytes | None = None       # its finished page, and what that was built with:
    nav: tuple | None = None        # every page's title and URL
    search: list = field(default_factory=list)  # its entries in Material's search index
    hit: bool = False               # taken from the last build in this one


_KEPT: dict[str, Kept] = {}  # page src -> Kept, for the next build of this serve session
_BUILD: dict = {"on": False, "reuse": False, "key": None, "nav": None, "search": None}


def install() -> None:
    """Route MkDocs' page steps through this module (under `mkdocs serve` only)."""
    _mkdocs._populate_page = _populate_page
    _mkdocs._build_page = _build_page


def begin(config, *, reuse: bool) -> None:
    """A serve build starts: it records every page it renders, and with `reuse` (the engine's
    inputs are unchanged) takes unchanged pages from the last build."""
    from . import citations
    install()
    if not reuse:
        _KEPT.clear()
    for kept in _KEPT.values():
        kept.hit = False
    project = Path(config.config_file_path).resolve().parent
    listing = tuple(sorted(str(p.relative_to(project)) for folder in project.glob("docs*")
                           if folder.is_dir() for p in folder.rglob("*.md")))
    _BUILD.update(on=True, reuse=reuse, nav=None, search=None,
                  key=(citations.build_date().isoformat(), config["docs_dir"], listing))


def forget() -> None:
    """A failed build: the next one renders every page."""
    _KEPT.clear()
    _BUILD.update(on=False, reuse=False)


def _source(page) -> bytes | None:
    path = page.file.abs_src_path
    try:
        return Path(path).read_bytes() if path else page.file.content_bytes
    except (OSError, TypeError):
        return None


@functools.lru_cache(maxsize=512)
def _keepable(source: bytes) -> bool:
    """Whether the page's Markdown names only the portal's macros (those of ALWAYS_RENDERED
    aside): its rendering is then a function of its source, the data, the code and the config."""
    import jinja2
    from jinja2 import meta

    from .registry import MACROS
    try:
        names = meta.find_undeclared_variables(jinja2.Environment().parse(source.decode()))
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
        return False
    return names <= (set(MACROS) - ALWAYS_RENDERED)


def _populate_page(page, config, files, dirty: bool = False) -> None:
    populate = _ORIGINAL["populate"]
    if not _BUILD["on"]:
        return populate(page, config, files, dirty)
    from . import pages
    src, source = page.file.src_uri, _source(page)
    kept = _KEPT.get(src)
    key = (source, _BUILD["key"])
    if _BUILD["reuse"] and kept is not None and kept.key == key:
        page.__dict__.update(kept.page)
        # its links to other pages' anchors, checked against this build's pages
        page.links_to_anchors = {files.get_file_from_path(to.src_uri) or to: links
                                 for to, links in (kept.page.get("links_to_anchors") or {}).items()}
        pages.replay(kept.registries)
        kept.hit = True
        return None
    _KEPT.pop(src, None)
    if source is None or not _keepable(source):
        return populate(page, config, files, dirty)
    before_page, before = dict(page.__dict__), pages.registry_state()
    from . import slots
    slots_before = set(slots._HTML)
    populate(page, config, files, dirty)
    _KEPT[src] = Kept(
        key=key, page={k: v for k, v in page.__dict__.items() if before_page.get(k, _KEPT) is not v},
        registries=pages.registry_added(before), slots={
            k: v for k, v in slots._HTML.items() if k not in slots_before})
    return None


def _nav_key(doc_files) -> tuple:
    return tuple((f.src_uri, f.page.url, f.page.title) for f in doc_files if f.page is not None)


def _search_index(config):
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(plugin, "search_index", None)


def _build_page(page, config, doc_files, nav, env, dirty: bool = False, excluded: bool = False):
    build = _ORIGINAL["build"]
    kept = _KEPT.get(page.file.src_uri) if _BUILD["on"] else None
    if kept is None:
        return build(page, config, doc_files, nav, env, dirty, excluded)
    if _BUILD["nav"] is None:  # every page has its title now
        _BUILD["nav"] = _nav_key(doc_files)
        _BUILD["search"] = _search_index(config)
    search = _BUILD["search"]
    if kept.hit and kept.html is not None and kept.nav == _BUILD["nav"]:
        utils.write_file(kept.html, page.file.abs_dest_path)
        if search is not None:
            search.entries.extend(kept.search)
        return None
    if kept.hit:  # its rendering stands, its template runs again: its slots are filled again
        from . import slots
        slots._HTML.update(kept.slots)
    entries = len(search.entries) if search is not None else 0
    build(page, config, doc_files, nav, env, dirty, excluded)
    kept.html = Path(page.file.abs_dest_path).read_bytes()
    kept.nav = _BUILD["nav"]
    kept.search = list(search.entries[entries:]) if search is not None else []
    return None
