"""A changed data file re-renders exactly the figures that draw from it: a figure's spec is
cached by its inputs (definition, datasets, engine) and its renderings by the spec, so an
unchanged figure is neither built nor rendered again and a changed one always is (README:
"Produce only what a page uses; cache by content")."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from macros import artefacts, datasets, figures, indicators, runtime

sys.path.insert(0, str(ROOT / "scripts"))
from bench_build import DATASET as CHANGED, change_dataset  # noqa: E402  (`make bench`'s change)


def _all_figures() -> list[figures.Figure]:
    return [*figures.REGISTRY.values(),
            *(f for i in indicators.REGISTRY for f in figures.indicator_figures(i))]


def test_a_changed_data_file_rerenders_exactly_the_figures_that_draw_from_it(tmp_path,
                                                                              monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(datasets.DATA_DIR, data)
    monkeypatch.setattr(datasets, "DATA_DIR", data)
    monkeypatch.setattr(datasets, "CACHE_DIR", tmp_path / "validation")
    monkeypatch.setattr(artefacts, "CACHE_DIR", tmp_path / "figures")
    runtime.reset()
    try:
        artefacts.prerender(_all_figures())  # as build.prepare does
        before = {f.id: artefacts.spec(f) for f in _all_figures()}
        rendered = set(artefacts.CACHE_DIR.iterdir())
        change_dataset(data, 1)  # the first tariff event one point higher
        runtime.reset()
        artefacts.prerender(_all_figures())
        after = {f.id: artefacts.spec(f) for f in _all_figures()}
        new = {p.name for p in set(artefacts.CACHE_DIR.iterdir()) - rendered}
        reading = {f.id for f in _all_figures()
                   if any(CHANGED in indicators.get(i).sources() for i in f.indicators)}
    finally:  # last: nothing read from the copy may outlive the test in a cache
        runtime.reset()
    changed = {fid for fid in after if after[fid] != before[fid]}
    assert changed and changed <= reading, (changed, reading)
    svgs = {name for name in new if name.endswith(".svg")}
    facts = {name for name in new if name.endswith(".facts.pickle")}
    assert new == svgs | facts
    # each changed figure: its wide and narrow SVG, and nothing else is rendered
    assert {name.rsplit("-", 1)[0] for name in svgs} == changed and len(svgs) == 2 * len(changed)
    # the spec is rebuilt for each figure that reads the data file (its inputs changed), only
    assert {name.rsplit("-", 1)[0] for name in facts} == reading



def test_a_png_waits_for_its_svg_though_another_drawing_process_is_free(tmp_path):
    """With two drawing processes, a job queued after another (a PNG after the SVG file it is
    rasterised from) starts only once that one is done, takes its error, and is waited for by
    close."""
    def write_later(path: Path, seconds: float):  # a job in a process that imports little
        return subprocess.check_call, ["sh", "-c", f"sleep {seconds}; echo drawn > '{path}'"]

    drawers = runtime.Workers(2, "spawn")
    svg, last = tmp_path / "chart.svg", tmp_path / "last.svg"
    try:
        first = drawers.submit(*write_later(svg, 1.0))
        png = drawers.submit_after(first, Path.read_text, svg)  # not yet in the idle process
        assert png.result(timeout=120) == "drawn\n"
        failed = drawers.submit(subprocess.check_call, ["false"])
        with pytest.raises(subprocess.CalledProcessError):
            drawers.submit_after(failed, Path.read_text, svg).result(timeout=120)
        waiting = drawers.submit_after(drawers.submit(*write_later(last, 0.5)), Path.read_text,
                                       last)
    finally:
        drawers.close()
    assert waiting.done() and waiting.result() == "drawn\n"


def test_a_cached_spec_this_environment_cannot_unpickle_is_built_again(tmp_path, monkeypatch):
    """A facts file that names a module this environment lacks (made where pyarrow, say, was
    installed) is a cache miss, not a failed build."""
    monkeypatch.setattr(artefacts, "CACHE_DIR", tmp_path)
    figure = next(iter(figures.REGISTRY.values()))
    runtime.reset()
    try:
        path = tmp_path / f"{figure.id}-{artefacts._inputs_key(figure)}.facts.pickle"
        path.write_bytes(b"cno_such_module_for_a_test\nTable\n)R.")  # pickle protocol 0
        drawn = artefacts.spec(figure)
    finally:
        runtime.reset()
    assert drawn["datasets"] and b"no_such_module" not in path.read_bytes()


def test_an_indicator_table_is_kept_between_builds_until_its_data_change(tmp_path, monkeypatch):
    """An indicator's table is read back from the build that computed it, from the same data
    and engine (indicators._cache_path), and computed again as soon as a data file changes."""
    import dataclasses
    data = tmp_path / "data"
    shutil.copytree(datasets.DATA_DIR, data)
    monkeypatch.setattr(datasets, "DATA_DIR", data)
    monkeypatch.setattr(datasets, "CACHE_DIR", tmp_path / "validation")
    monkeypatch.setattr(indicators, "CACHE_DIR", tmp_path / "indicators")
    ind = next(i for i in indicators.REGISTRY.values() if i.sources() == [CHANGED])
    runtime.reset()
    try:
        computed = indicators.observations(ind.id)
        runtime.reset()  # a later build: nothing in memory

        def fails(inputs):
            raise AssertionError("computed again")
        monkeypatch.setitem(indicators.REGISTRY, ind.id, dataclasses.replace(ind, compute=fails))
        assert indicators.observations(ind.id).equals(computed)  # from the first build's file
        change_dataset(data, 1)
        runtime.reset()
        with pytest.raises(AssertionError, match="computed again"):
            indicators.observations(ind.id)
    finally:
        runtime.reset()
