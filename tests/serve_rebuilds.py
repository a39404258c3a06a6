"""Builds a copy of the portal as `mkdocs serve` rebuilds it, in one process (tests/test_serve.py).

    python tests/serve_rebuilds.py PROJECT SITE_PREFIX fresh   one build, as serve's first
    python tests/serve_rebuilds.py PROJECT SITE_PREFIX edits   a build, then: nothing changed,
        a briefing's body edited, another briefing's title edited; each site kept as
        SITE_PREFIX-<step>, and a JSON line per step on stdout (pages kept, registries changed)
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

PROJECT, PREFIX, MODE = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
URL = "http://127.0.0.1:8000/korea-us-briefings/"
os.chdir(PROJECT)
sys.path.insert(0, str(PROJECT))

import mkdocs.commands.build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

load_config(str(PROJECT / "mkdocs.yml")).plugins.on_startup(command="serve", dirty=False)
CHANGED: set[str] = set()  # module-level containers of the engine a page's rendering changed


def _containers() -> dict:
    found = {}
    for name, module in list(sys.modules.items()):
        if (name == "macros" or name.startswith("macros.")) and name != "macros.serve_pages":
            for attr, value in list(vars(module).items()):
                if isinstance(value, (dict, list, set)) and attr != "MACROS":
                    found[id(value)] = (f"{name}.{attr}", repr(value))
    return found


def _scanning(step):
    def populate(page, *args, **kwargs):
        before = _containers()
        result = step(page, *args, **kwargs)
        CHANGED.update(name for key, (name, text) in _containers().items()
                       if key in before and before[key][1] != text)
        return result
    return populate


def build(step: str) -> dict:
    config = load_config(str(PROJECT / "mkdocs.yml"), site_dir=f"{PREFIX}-site")
    config.site_url = URL
    start = time.time()
    mkdocs_build.build(config, serve_url=URL)
    seconds = time.time() - start
    shutil.copytree(f"{PREFIX}-site", f"{PREFIX}-{step}")
    kept = sys.modules.get("macros.serve_pages")
    return {"step": step, "seconds": round(seconds, 2),
            "kept": sorted(src for src, k in kept._KEPT.items() if k.hit) if kept else [],
            "rendered": sorted(kept._KEPT) if kept else []}


def edit(src: str, change) -> None:
    path = PROJECT / "docs" / src
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _value(name: str):
    module, attr = name.rsplit(".", 1)
    return getattr(sys.modules[module], attr)


if MODE == "fresh":
    print(json.dumps(build("fresh")))
else:
    # MkDocs' own page step, watched in the first build: which containers of the engine does a
    # page's rendering change (serve_pages wraps whatever it finds here)
    mkdocs_build._portal_original = {"populate": _scanning(mkdocs_build._populate_page),
                                     "build": mkdocs_build._build_page}
    first = build("first")
    from macros import authoring, citations, pages, slots  # the engine that build imported
    kept = {id(r) for r in pages._page_registries().values()} | {
        id(authoring.FIGURES_USED), id(authoring.FIGURE_CITATIONS), id(citations._BUILDING),
        id(slots._HTML)}
    first["changed"] = sorted(CHANGED)
    first["unkept"] = sorted(name for name in CHANGED - sys.modules["macros.serve_pages"].CACHES
                             if id(_value(name)) not in kept)
    print(json.dumps(first))
    print(json.dumps(build("unchanged")))
    edit("briefings/trade-balance.md", lambda text: text + "\n\nAn added sentence.\n")
    print(json.dumps(build("body")))
    edit("briefings/tariffs.md", lambda text: text.replace("# ", "# Edited: ", 1))
    print(json.dumps(build("title")))
