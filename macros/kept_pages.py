"""Pages kept between builds: a page whose source, and everything else its rendering reads, is
unchanged since the last good build is not rendered again (issue #13: warm builds, and an
edited briefing served within 1.5 s by `mkdocs serve`).

MkDocs renders every page in every build. Here, a build first computes its key (`_build_key`):
the engine's code, the data folder, the config files, the theme overrides, the other files of
docs/ and the names of its pages, the day, the tools' versions, the environment the engine
reads, and the config values a build is given on its command line. When the last good build of
the same project, language and output folder had the same key (kept in memory by a serving
process, on disk in `.cache/pages/` otherwise), a page whose source file is byte for byte what it
was is taken from that build instead of rendered:
- its rendering: content, table of contents and title (the other pages' navigation shows it),
  and what its macros added to the build's registries (`pages.replay`), so the site outputs
  written after the pages (API, downloads, figures, feed, edition record) are a full build's;
- when the navigation (every page's title and URL) is unchanged as well, its finished HTML and
  its search entries.
`PORTAL_KEEP_PAGES=off` renders every page; deleting `.cache/pages/` does so once.
A page is always rendered when its Markdown names anything besides the portal's macros
(`config`, `page`, `now()`, a variable or an included template: jinja2.meta), calls `changes()`
(which reads the previous edition's record), or logged a warning as it rendered (a kept page
would not say it again). tests/test_kept_pages.py checks that a build with kept pages writes the
same site, byte for byte, as a build that renders every page.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import mkdocs.commands.build as _mkdocs
from mkdocs import utils

from . import runtime

# MkDocs' own page steps, kept on its module: the engine (this module too) is imported anew
# whenever macros/ changes, and each import must wrap the originals, not the last wrapper.
_ORIGINAL = _mkdocs.__dict__.setdefault(
    "_portal_original", {"populate": _mkdocs._populate_page, "build": _mkdocs._build_page})
STORE = Path(__file__).resolve().parent.parent / ".cache" / "pages"
ALWAYS_RENDERED = frozenset({"changes"})  # macros that read more than data, code and the page
# What a page's rendering fills besides the registries it replays (pages.replay): memos of pure
# functions (citeproc's templates), which a kept page needs nothing from.
CACHES = frozenset({"macros.citations._TEMPLATES", "macros.citations._CHECKED"})
TOOLS = ("mkdocs", "mkdocs-material", "mkdocs-macros-plugin", "markdown", "pymdown-extensions",
         "jinja2", "mike")


@dataclass
class Kept:
    """What one page's last rendering left: enough to stand in for rendering it again."""

    source: str                     # the hash of its source file
    page: dict                      # the Page attributes its rendering set, links aside:
    links: dict                     # its links to other pages' anchors, by their source path
    registries: dict                # what its macros added (pages.registry_added)
    slots: dict                     # its slots' HTML, for a template rendered again
    html: bytes | None = None       # its finished page, and what that was built with:
    nav: tuple | None = None        # every page's title and URL
    search: list = field(default_factory=list)  # its entries in Material's search index
    hit: bool = False               # taken from the last build in this one


_KEPT: dict[str, Kept] = {}  # page src -> Kept: the last good build's, then this build's
_BUILD: dict = {"on": False, "key": None, "store": None, "nav": None, "search": None}


# The plugins and hooks whose page steps the portal knows (what they read is in the build's
# key): with any other (a plugin adding each page's git dates, say) every page is rendered.
KNOWN_STEPS = ("mkdocs_macros.", "material.plugins.search.", "macros/mkdocs_hooks.py",
               "macros/i18n_hooks.py")
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context",
               "post_page")


def _known_steps(config) -> bool:
    return all(str(getattr(step, "__module__", "")).startswith(KNOWN_STEPS)
               for event in PAGE_EVENTS for step in config.plugins.events[event])


def begin(config) -> None:
    """A build starts: MkDocs' page steps go through this module; the pages of the last good
    build with this build's key are at hand (from memory, else from the store)."""
    _mkdocs._populate_page, _mkdocs._build_page = _populate_page, _build_page
    if os.environ.get("PORTAL_KEEP_PAGES") == "off" or not _known_steps(config):
        _KEPT.clear()
        _BUILD.update(on=False, key=None, store=None)
        return
    key, store = _build_key(config), _store(config)
    if (key, store) != (_BUILD["key"], _BUILD["store"]):
        _KEPT.clear()
        _KEPT.update(_load(store, key))
    for kept in _KEPT.values():
        kept.hit = False
    _BUILD.update(on=True, key=key, store=store, nav=None, search=None)


def end() -> None:
    """The build succeeded: its pages are the ones the next build may keep (compressed, about
    1 MB for the portal's 42 pages; the store keeps the newest STORE_BYTES of them)."""
    if _BUILD["on"] and _BUILD["store"] is not None:
        store = _BUILD["store"]
        tmp = store.with_name(f".{store.name}.{os.getpid()}.tmp")
        try:  # streamed: no copy of the whole store in memory (at 1,000 pages, 100s of MB)
            store.parent.mkdir(parents=True, exist_ok=True)
            with gzip.open(tmp, "wb", compresslevel=1) as out:
                pickle.dump(_BUILD["key"], out)
                pickle.dump(_KEPT, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, store)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
            tmp.unlink(missing_ok=True)
            logging.getLogger("mkdocs.hooks").info("pages not kept for the next build: %s", error)
            store.unlink(missing_ok=True)
        _prune()
    _BUILD["on"] = False


STORE_BYTES = 128 * 2**20  # each project and output folder has a file: test runs make many


def _prune() -> None:
    """The newest stores, STORE_BYTES of them, and this build's; another build may be pruning."""
    stores = []
    for path in STORE.glob("*.pickle"):
        try:
            stat = path.stat()
        except OSError:
            continue
        stores.append((stat.st_mtime, stat.st_size, path))
    total = 0
    for _, size, path in sorted(stores, reverse=True):
        total += size
        if total > STORE_BYTES and path != _BUILD["store"]:
            path.unlink(missing_ok=True)


def forget() -> None:
    """A failed build: the next one renders every page."""
    if _BUILD["store"] is not None:
        _BUILD["store"].unlink(missing_ok=True)
    _KEPT.clear()
    _BUILD.update(on=False, key=None, store=None)


def _store(config) -> Path:
    where = f"{Path(config.config_file_path).resolve()}\n{Path(config.site_dir).resolve()}"
    return STORE / f"{hashlib.sha256(where.encode()).hexdigest()[:16]}.pickle"


def _load(store: Path, key: str) -> dict:
    """The pages kept by the last good build, if its key is `key` (else, or unreadable: none)."""
    try:
        with gzip.open(store, "rb") as stored:
            if pickle.load(stored) != key:
                return {}
            return pickle.load(stored)
    except (OSError, EOFError, pickle.UnpicklingError, ImportError, AttributeError, TypeError,
            ValueError):
        return {}


def _build_key(config) -> str:
    """Everything a page's rendering reads besides its own source (see the module's docstring);
    pymdownx.snippets, which includes other files into a page, keeps no page at all."""
    from importlib.metadata import PackageNotFoundError, version

    from . import citations, datasets
    digest = hashlib.sha256()

    def add(*parts) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8", "surrogateescape") + b"\0")
    if "pymdownx.snippets" in (config.get("markdown_extensions") or []):
        add(os.urandom(16))
    add(type(config).__module__, runtime.engine_key(), citations.build_date().isoformat())
    for tool in TOOLS:
        try:
            add(tool, version(tool))
        except PackageNotFoundError:
            add(tool, None)
    add(*(f"{k}={v}" for k, v in sorted(os.environ.items())
          if k.startswith(("PORTAL_", "MIKE_")) or k == "SOURCE_DATE_EPOCH"))
    add(config.site_url, config.site_dir, config.docs_dir, config.use_directory_urls,
        config.strict, config.theme.get("language"),
        json.dumps(config.get("extra"), sort_keys=True, default=str))
    project = Path(config.config_file_path).resolve().parent
    # the configs (one may INHERIT another) and the browser packages (the Korean font, which
    # sizes the Korean charts a page shows)
    for path in sorted([*project.glob("*.yml"), *project.glob("package*.json")]):
        add(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
    custom = config.theme.custom_dir
    for folder in [*sorted(p for p in project.glob("docs*") if p.is_dir()),
                   *([Path(custom)] if custom else []), Path(datasets.DATA_DIR)]:
        pages = folder.name.startswith("docs")
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            # a page's own source is its own key: of another page only its name counts
            add(path, "" if pages and path.suffix == ".md"
                else hashlib.sha256(path.read_bytes()).hexdigest())
    return digest.hexdigest()


def _source(page) -> bytes | None:
    path = page.file.abs_src_path
    try:
        return Path(path).read_bytes() if path else page.file.content_bytes
    except (OSError, TypeError):
        return None


@functools.lru_cache(maxsize=512)
def _keepable(source: bytes) -> bool:
    """Whether the page's Markdown names only the portal's macros (those of ALWAYS_RENDERED
    aside) and includes no template: its rendering is then a function of its source and of
    what the build's key covers."""
    import jinja2
    from jinja2 import meta

    from .registry import MACROS
    try:
        parsed = jinja2.Environment().parse(source.decode("utf-8"))
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
        return False
    return not list(meta.find_referenced_templates(parsed)) and \
        meta.find_undeclared_variables(parsed) <= (set(MACROS) - ALWAYS_RENDERED)


_UNSET = object()  # a Page attribute its rendering added


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record) -> None:
        self.count += 1


def _populate_page(page, config, files, dirty: bool = False) -> None:
    populate = _ORIGINAL["populate"]
    if not _BUILD["on"]:
        return populate(page, config, files, dirty)
    from . import pages, slots
    src, data = page.file.src_uri, _source(page)
    source = hashlib.sha256(data).hexdigest() if data is not None else None
    kept = _KEPT.pop(src, None)
    if kept is not None and source is not None and kept.source == source:  # it was keepable
        page.__dict__.update(kept.page)
        page.links_to_anchors = {files.get_file_from_path(to): links
                                 for to, links in kept.links.items()}
        pages.replay(kept.registries)
        kept.hit = True
        _KEPT[src] = kept
        return None
    if source is None or not _keepable(data):
        return populate(page, config, files, dirty)
    before_page, before = dict(page.__dict__), pages.registry_state()
    slots_before, warnings = set(slots._HTML), _Warnings()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]  # MkDocs' may not propagate
    for logger in loggers:
        logger.addHandler(warnings)
    try:
        populate(page, config, files, dirty)
    finally:
        for logger in loggers:
            logger.removeHandler(warnings)
    if warnings.count:
        return None
    state = {k: v for k, v in page.__dict__.items() if before_page.get(k, _UNSET) is not v}
    links = state.pop("links_to_anchors", None) or {}
    _KEPT[src] = Kept(
        source=source, page=state, links={to.src_uri: dict(v) for to, v in links.items()},
        registries=pages.registry_added(before),
        slots={k: v for k, v in slots._HTML.items() if k not in slots_before})
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
    output = Path(page.file.abs_dest_path)  # none when the page rendered empty
    kept.html = output.read_bytes() if output.is_file() else None
    kept.nav = _BUILD["nav"]
    kept.search = list(search.entries[entries:]) if search is not None else []
    return None
