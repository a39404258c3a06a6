"""MkDocs hooks: the generated pages (one per indicator, one per dataset) and their nav entries.

Events: `on_config` runs first (priority 100) and, under `mkdocs serve`, starts each rebuild
with a freshly imported engine, so an edit to `data/` or `macros/` (both watched, see
mkdocs.yml) is never answered from a previous build's memory. It then drops the edition
switcher outside `mike deploy`, validates datasets and
renders figure SVGs in parallel (a cold build's main costs; both land in the content-addressed
caches the macros read), and fills the nav sections "Indicators" and "Data" from the registries;
`on_files` adds each generated page as a virtual file whose content is a single macro call,
so the macros plugin renders it like any authored page. The build as a gatekeeper:
`on_page_markdown` (before the macros plugin) makes fenced code blocks literal; `on_env` stops
on two pages with one title; every hook shows a PortalError first and alone (no traceback unless
PORTAL_VERBOSE=1); `on_build_error` empties the output folder so a failed build leaves nothing
deployable (`on_startup` tells it whether this is `mkdocs serve`). Nothing else happens here.
"""
from __future__ import annotations

import html
import functools
import logging
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # MkDocs loads hooks by path, not as part of the package
    sys.path.insert(0, str(ROOT))

from mkdocs.plugins import event_priority  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ writes in the watched macros/ folder


def _fresh_engine():
    """Forget every imported engine module (code, registries and caches) and import it anew."""
    if str(ROOT) not in sys.path:  # MkDocs restores sys.path after loading this file
        sys.path.insert(0, str(ROOT))
    for name in [m for m in sys.modules if m == "macros" or m.startswith("macros.")]:
        del sys.modules[name]
    global artefacts, datasets, figures, indicators
    from macros import artefacts, datasets, figures, indicators


def _generated() -> dict[str, tuple[str, str]]:
    """src path -> (nav title, page source)."""
    pages = {}
    for ind in indicators.REGISTRY.values():
        pages[f"indicators/{ind.id}.md"] = (ind.title, f'{{{{ indicator_page("{ind.id}") }}}}\n')
    for dataset_id in datasets.ids():
        title = html.escape(datasets.get(dataset_id).title, quote=False)  # nav titles are HTML
        pages[f"data/{dataset_id}.md"] = (title, f'{{{{ dataset_page("{dataset_id}") }}}}\n')
    return pages


_COMMAND = {"name": "build"}
_CONFIG: dict = {}


def on_startup(command, **kwargs):
    _COMMAND["name"] = command
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
    _fresh_engine()
    if not os.environ.get("MIKE_DOCS_VERSION"):
        # Outside `mike deploy` there is no versions.json to list editions from: a local or
        # test build without the switcher, rather than one that requests a missing file.
        config["extra"].pop("version", None)
    datasets.prevalidate()  # cold builds: validate all datasets in parallel, once
    artefacts.prerender([*figures.REGISTRY.values(),  # every figure some page shows
                         *(f for i in indicators.REGISTRY for f in figures.indicator_figures(i))])
    generated = _generated()
    for section in config["nav"] or []:
        for name, folder in (("Indicators", "indicators/"), ("Data", "data/")):
            if isinstance(section, dict) and name in section:
                overview = section[name]
                section[name] = [{"Overview": overview}] + [
                    {title: src} for src, (title, _) in generated.items() if src.startswith(folder)]
    return config


@_guarded
def on_files(files, config, **kwargs):
    for src, (_, content) in _generated().items():
        files.append(File.generated(config, src, content=content))
    return files


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")


@event_priority(100)  # before the macros plugin renders the page
def on_page_markdown(markdown, page, **kwargs):
    """Fenced code blocks show what is written in them: each is wrapped in Jinja's raw tags,
    on the fence lines themselves, so no line number moves."""
    lines, open_fence = markdown.split("\n"), None
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if open_fence is None and match:
            open_fence = match["fence"]
            lines[i] = "{% raw %}" + line
        elif open_fence and match and match["fence"].startswith(open_fence) \
                and not line.strip()[len(match["fence"]):].strip():
            lines[i] = line + "{% endraw %}"
            open_fence = None
    if open_fence:
        lines[-1] += "{% endraw %}"
    return "\n".join(lines)


@_guarded
def on_env(env, config, files, **kwargs):
    """Two pages with the same title (first heading) stop the build: a reader, a citation and
    the search index could not tell them apart."""
    from macros.errors import PortalError
    seen: dict[str, str] = {}
    for file in files.documentation_pages():
        if file.page is None:
            continue
        heading = re.search(r"^# (.+)$", file.page.markdown or "", re.MULTILINE)
        title = heading[1].strip() if heading else file.page.title  # what the page calls itself
        if not title:
            continue
        if title in seen:
            raise PortalError(f"docs/{file.src_uri} and docs/{seen[title]} have the same title "
                              f"{title!r}; give one of them another first heading")
        seen[title] = file.src_uri
    return env


def on_post_page(output, page, config, **kwargs):
    """Each built page without its template indentation (macros/compact.py)."""
    from macros import compact
    return compact.html(output)


def on_build_error(error, **kwargs):
    """A failed build leaves no deployable site: the output folder is emptied, except for a
    BUILD-FAILED note (not under `mkdocs serve`, whose folder is a temporary one)."""
    config = _CONFIG.get("config")
    if config is None or _COMMAND["name"] == "serve":
        return
    site = Path(config["site_dir"])
    if site.is_dir():
        for child in site.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        (site / "BUILD-FAILED").write_text(
            "The last build of this site failed; nothing here is deployable.\n"
            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}\n",
            encoding="utf-8")
