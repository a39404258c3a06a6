"""MkDocs hooks: the generated pages (one per indicator, one per dataset) and their nav entries.

Events: `on_config` runs first (priority 100) and, under `mkdocs serve`, starts each rebuild
with a freshly imported engine, so an edit to `data/` or `macros/` (both watched, see
mkdocs.yml) is never answered from a previous build's memory. It then drops the edition
switcher outside `mike deploy`, validates datasets and
renders figure SVGs in parallel (a cold build's main costs; both land in the content-addressed
caches the macros read), and fills the nav sections "Indicators" and "Data" from the registries;
`on_files` adds each generated page as a virtual file whose content is a single macro call,
so the macros plugin renders it like any authored page. Nothing else happens here.
"""
from __future__ import annotations

import os
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
        title = datasets.get(dataset_id).title
        pages[f"data/{dataset_id}.md"] = (title, f'{{{{ dataset_page("{dataset_id}") }}}}\n')
    return pages


@event_priority(100)  # before the macros plugin imports the engine
def on_config(config, **kwargs):
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


def on_files(files, config, **kwargs):
    for src, (_, content) in _generated().items():
        files.append(File.generated(config, src, content=content))
    return files
