"""Builds a copy of the portal with kept pages (macros/kept_pages.py), for tests/test_kept_pages.py.

    python tests/kept_builds.py PROJECT PREFIX build STEP
        one `mkdocs build` of PROJECT into PREFIX-site, copied to PREFIX-STEP; prints a JSON
        line: the pages rendered and the pages kept from the last build
    python tests/kept_builds.py PROJECT PREFIX serve-once STEP
        the same, as `mkdocs serve` builds (its site_url, a serve process's first build)
    python tests/kept_builds.py PROJECT PREFIX serve
        the builds of one `mkdocs serve` process: a first build, whose page steps are watched
        (which of the engine's containers a page's rendering changes), then nothing changed, a
        briefing's body edited, another briefing's title edited: a JSON line and a copy of the
        site (PREFIX-<step>) each
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import mkdocs.commands.build as mkdocs_build
from mkdocs.config import load_config

URL = "http://127.0.0.1:8000/korea-us-briefings/"
CHANGED: set[str] = set()  # module-level containers of the engine a page's rendering changed


def _containers() -> dict:
    found = {}
    for name, module in list(sys.modules.items()):
        if (name == "macros" or name.startswith("macros.")) and name != "macros.kept_pages":
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
    if COMMAND == "serve":
        config.site_url = URL
    start = time.time()
    mkdocs_build.build(config, serve_url=URL if COMMAND == "serve" else None)
    seconds = time.time() - start
    shutil.copytree(f"{PREFIX}-site", f"{PREFIX}-{step}")
    kept = sys.modules["macros.kept_pages"]._KEPT
    return {"step": step, "seconds": round(seconds, 2), "rendered": sorted(kept),
            "kept": sorted(src for src, k in kept.items() if k.hit)}


def edit(src: str, change) -> None:
    path = PROJECT / "docs" / src
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _value(name: str):
    module, attr = name.rsplit(".", 1)
    return getattr(sys.modules[module], attr)


if __name__ == "__main__":  # not in the drawing process, which imports this file again
    PROJECT, PREFIX, MODE = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.chdir(PROJECT)
    sys.path.insert(0, str(PROJECT))
    COMMAND = "serve" if MODE.startswith("serve") else "build"
    load_config(str(PROJECT / "mkdocs.yml")).plugins.on_startup(command=COMMAND, dirty=False)
    if MODE in ("build", "serve-once"):
        print(json.dumps(build(sys.argv[4])))
    else:
        # MkDocs' own page step, watched in the first build (kept_pages wraps what it finds here)
        mkdocs_build._portal_original = {"populate": _scanning(mkdocs_build._populate_page),
                                         "build": mkdocs_build._build_page}
        first = build("first")
        from macros import authoring, citations, kept_pages, pages, slots  # the engine now
        replayed = {id(r) for r in pages._page_registries().values()} | {
            id(authoring.FIGURES_USED), id(authoring.FIGURE_CITATIONS), id(citations._BUILDING),
            id(slots._HTML)}
        first["changed"] = sorted(CHANGED)
        first["unkept"] = sorted(name for name in CHANGED - kept_pages.CACHES
                                 if id(_value(name)) not in replayed)
        print(json.dumps(first))
        print(json.dumps(build("unchanged")))
        edit("briefings/trade-balance.md", lambda text: text + "\n\nAn added sentence.\n")
        print(json.dumps(build("body")))
        edit("briefings/tariffs.md", lambda text: text.replace("# ", "# Edited: ", 1))
        print(json.dumps(build("title")))
