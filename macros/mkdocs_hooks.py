"""MkDocs hooks (also run by ProperDocs): a thin wrapper over the engine's build steps in
macros/build.py, plus the checks only MkDocs can make.

Events: `on_config` runs first (priority 100) and, under `mkdocs serve`, starts each rebuild
with a freshly imported engine, so an edit to `data/` or `macros/` (both watched, see
mkdocs.yml) is never answered from a previous build's memory; after an edit to `docs/` alone
(no file of the engine, the data or the config changed since the last good build) it keeps
what the engine computed from data and code (runtime.DATA_CACHES) and forgets the rest. It
then has the pages that did not change taken from the last good build (macros/kept_pages.py),
drops the edition switcher outside `mike deploy` and runs `build.prepare` (validate datasets,
prerender figures, write the generated pages into the build folder under .cache/build/) and
fills the nav sections of indicators and data (in the build's language) from what it wrote;
`on_files` adds each generated page as a file read from that folder, so the macros plugin
renders it like any authored page. The build as a gatekeeper: `on_page_markdown` (before the
macros plugin) makes fenced code blocks literal; `on_env` stops on two pages with one title
(and gives the theme's templates Jinja's compiled-template cache, runtime.compiled_templates);
`on_post_page` puts the macros' heavy HTML into the finished page (macros/slots.py: after
Markdown and search have run); every hook shows a PortalError first and alone (no
traceback unless PORTAL_VERBOSE=1); `on_build_error` empties the output folder (`build.fail`)
so a failed build leaves nothing deployable (`on_startup` tells it whether this is `mkdocs
serve`). The site outputs come from `build.finish`, called by the macros adapter's
on_post_build. Nothing else happens here.
"""
from __future__ import annotations

import functools
import logging
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by path, not as part of the package
    sys.path.insert(0, str(ROOT))

from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402



def _fresh_engine():
    """Forget every imported engine module (code, registries and caches) and import it anew."""
    if str(ROOT) not in sys.path:  # MkDocs restores sys.path after loading this file
        sys.path.insert(0, str(ROOT))
    if "macros.runtime" in sys.modules:  # a rebuild that failed left its worker processes
        sys.modules["macros.runtime"].close_workers()
    for name in [m for m in sys.modules if m == "macros" or m.startswith("macros.")]:
        del sys.modules[name]
    global build
    from macros import build


_COMMAND = {"name": "build"}
_CONFIG: dict = {}  # "config": this build's config; "prepared": what build.prepare wrote


def on_startup(command, **kwargs):
    _COMMAND["name"] = command
    if command == "serve":  # no __pycache__ writes in the watched macros/ folder; a build
        sys.dont_write_bytecode = True  # writes the bytecode of what it imports (pandas, Altair)
    logging.getLogger("mkdocs.commands.build").addFilter(_portal_message_first)


def _portal_message_first(record) -> bool:
    """Drop MkDocs' "Error reading page 'x':" preamble: the portal's message names the page."""
    return not str(record.msg).startswith(("Error reading page", "Error building page"))


def _guarded(event):
    """The hook `event`, with a PortalError it raises shown first and alone (macros.errors.stop),
    so MkDocs prints it as one ERROR line; other errors pass through unchanged."""
    @functools.wraps(event)
    def hook(*args, **kwargs):
        try:
            return event(*args, **kwargs)
        except Exception as exc:
            errors = sys.modules.get("macros.errors")  # the engine as imported now (on_config
            if errors is None or not isinstance(exc, errors.PortalError):  # re-imports it)
                raise
            raise errors.stop(exc) from exc
    return hook


@event_priority(100)  # before the macros plugin imports the engine
@_guarded
def on_config(config, **kwargs):
    _CONFIG["config"] = config
    serving = _COMMAND["name"] == "serve"
    inputs = _CONFIG["inputs"] = _engine_inputs(config) if serving else None
    runtime = sys.modules.get("macros.runtime")
    keep = bool(serving and inputs == _CONFIG.get("built") and runtime)
    if keep:
        # only docs/ (or the theme) changed since the last good build: what the engine computed
        # from data and code stands; everything else is forgotten (runtime.DATA_CACHES)
        runtime.reset(keep=runtime.DATA_CACHES)
        logging.getLogger("mkdocs.hooks").info(
            "data/, macros/ and %s unchanged: the engine's tables and figures are kept",
            Path(config.config_file_path).name)
    else:
        _fresh_engine()
    from macros import kept_pages
    kept_pages.begin(config)  # pages unchanged since the last good build are taken from it
    if not os.environ.get("MIKE_DOCS_VERSION"):
        # Outside `mike deploy` there is no versions.json to list editions from: a local or
        # test build without the switcher, rather than one that requests a missing file.
        config["extra"].pop("version", None)
    from macros import i18n
    prepared = _CONFIG["prepared"] = build.prepare(i18n.language(config))
    config["nav"] = prepared.fill_nav(config["nav"]) if config["nav"] else config["nav"]
    return config


@_guarded
def on_files(files, config, **kwargs):
    prepared = _CONFIG["prepared"]
    for src in prepared.titles:
        files.append(File(src, str(prepared.pages_dir), config["site_dir"],
                          config["use_directory_urls"]))
    return files


@event_priority(100)  # before the macros plugin renders the page
def on_page_markdown(markdown, page, **kwargs):
    """Fenced code blocks show what is written in them (pages.literal_fences)."""
    from macros.pages import literal_fences
    return literal_fences(markdown)


@_guarded
def on_env(env, config, files, **kwargs):
    """Two pages with the same title (first heading) stop the build: a reader, a citation and
    the search index could not tell them apart."""
    from macros.errors import PortalError
    seen: dict[str, str] = {}
    docs = Path(config["docs_dir"]).name  # docs/ or docs-ko/: the folder the author edits
    for file in files.documentation_pages():
        if file.page is None:
            continue
        heading = re.search(r"^# (.+)$", file.page.markdown or "", re.MULTILINE)
        title = heading[1].strip() if heading else file.page.title  # what the page calls itself
        if not title:
            continue
        if title in seen:
            raise PortalError(f"{docs}/{file.src_uri} and {docs}/{seen[title]} have the same title "
                              f"{title!r}; give one of them another first heading")
        seen[title] = file.src_uri
    from macros import runtime
    env.bytecode_cache = runtime.compiled_templates()  # the theme's templates, compiled once
    return env


@event_priority(100)  # first: the finished page, before anything else reads it
def on_post_page(output, page, **kwargs):
    """The macros' heavy HTML enters the page after Markdown and search (macros/slots.py)."""
    from macros import slots
    return slots.fill(output)


def _engine_inputs(config) -> tuple:
    """Each file the engine's results come from besides docs/: its code, the data folder and the
    config, by path, size and modification time."""
    folders = [ROOT / "macros", Path(os.environ.get("PORTAL_DATA_DIR") or ROOT / "data")]
    files = [Path(config.config_file_path)] + sorted(
        p for folder in folders for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts)
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


@event_priority(-100)  # last
def on_post_build(config, **kwargs):
    _CONFIG["built"] = _CONFIG.get("inputs")
    from macros import kept_pages
    kept_pages.end()


def on_build_error(error, **kwargs):
    """A failed build leaves no deployable site: the output folder is emptied, except for a
    BUILD-FAILED note (not under `mkdocs serve`, whose folder is a temporary one); the next
    serve rebuild starts from a freshly imported engine."""
    _CONFIG["built"] = None
    if "macros.kept_pages" in sys.modules:
        sys.modules["macros.kept_pages"].forget()
    config = _CONFIG.get("config")
    if config is None or _COMMAND["name"] == "serve":
        return
    build.fail(config["site_dir"], error)
