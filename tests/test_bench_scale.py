"""The scale benchmark's generator (scripts/bench_scale.py) writes a portal MkDocs accepts: a
config beside mkdocs.yml that INHERITs it, pages in nav, and macro calls that resolve. The
1,000-page build itself is `make bench-scale`, not a test."""
from __future__ import annotations

import re
import sys
import uuid
from pathlib import Path

from mkdocs.config import load_config

from macros import figures, indicators

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import bench_scale  # noqa: E402


def _nav_sources(nav) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [s for v in nav.values() for s in _nav_sources(v)]
    return [s for item in nav for s in _nav_sources(item)]


def test_scale_generator_writes_a_loadable_config_and_pages_whose_macros_resolve(tmp_path):
    name = f"tmp-scale-test-{uuid.uuid4().hex[:8]}-mkdocs.yml"
    portal = bench_scale.generate(tmp_path, pages=20, sections=2, config_name=name)
    try:
        config = load_config(str(portal.config))
        nav = _nav_sources(config["nav"])
    finally:
        portal.config.unlink()
    assert Path(config["docs_dir"]) == portal.docs and not portal.docs.is_relative_to(ROOT)
    assert config["theme"].name == "material" and "macros" in config["plugins"]
    assert set(portal.pages) <= set(nav) and len(portal.pages) == 20
    assert all((portal.docs / src).is_file() for src in nav)
    assert {src.split("/")[1] for src in portal.pages} == {"section-01", "section-02"}
    call = {"value": lambda i, p, **dims: indicators.observation(i, p, **dims),
            "figure": figures.get}
    for src, text in portal.pages.items():
        macros = re.findall(r"\{\{ (.*?) \}\}", text)
        assert [m.split("(")[0] for m in macros].count("value") == 10, src
        assert [m.split("(")[0] for m in macros].count("figure") == 3, src
        assert text.rstrip().endswith("## Sources\n\n{{ sources() }}"), src
        for m in macros:
            if not m.startswith("sources"):
                eval(m, call)  # noqa: S307  (our own generated text): raises if it does not resolve


def test_scale_generator_gives_each_page_its_own_figures_when_asked(tmp_path):
    name = f"tmp-scale-test-{uuid.uuid4().hex[:8]}-mkdocs.yml"
    portal = bench_scale.generate(tmp_path, pages=4, sections=2, figures=12, config_name=name)
    portal.config.unlink()
    shown = [f for text in portal.pages.values() for f in re.findall(r'figure\("(.*?)"\)', text)]
    assert sorted(shown) == [f"scale-{k:04d}" for k in range(12)]
    hook = Path(portal.hooks[-1]).read_text()
    compile(hook, "scale_figures_hook.py", "exec")
    assert "range(12)" in hook and "artefacts.prerender" in hook
