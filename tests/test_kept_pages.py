"""Kept pages (macros/kept_pages.py): a build takes the pages that did not change from the last
good build, and what it writes is, byte for byte, what a build rendering every page writes:
pages, search index, API, downloads, figures, feed and edition record."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, differing_files, portal_copy

sys.path.insert(0, str(ROOT / "scripts"))
import bench_build  # noqa: E402  (the dataset change the benchmark makes)

DRIVER = str(ROOT / "tests" / "kept_builds.py")


@pytest.fixture
def project(tmp_path) -> Path:
    return portal_copy(tmp_path)  # figures and tables from the portal's cache


def _run(project: Path, prefix: Path, *args: str) -> list[dict]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_LANGUAGES": "en", "PORTAL_PDF": "off"}
    env.pop("PORTAL_DATA_DIR", None)
    done = subprocess.run([sys.executable, DRIVER, str(project), str(prefix), *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_a_build_renders_only_the_pages_that_changed_and_writes_what_a_full_build_writes(
        project, tmp_path):
    """Each build is a process of its own, as `make build` runs: the pages are kept on disk.
    A changed page is rendered, and so is every page after a change to the data; after a title
    changed, every page's template (its navigation) runs again."""
    build = tmp_path / "build"
    (first,) = _run(project, build, "build", "first")
    pages = first["rendered"]
    assert len(pages) > 30 and first["kept"] == []
    (unchanged,) = _run(project, build, "build", "unchanged")
    assert unchanged["kept"] == pages
    assert differing_files(tmp_path / "build-unchanged", tmp_path / "build-first") == []

    _edit(project / "docs/briefings/trade-balance.md", "\n## ", "\nAn added paragraph.\n\n## ")
    (body,) = _run(project, build, "build", "body")
    assert body["kept"] == [p for p in pages if p != "briefings/trade-balance.md"]
    (fresh,) = _run(project, tmp_path / "fresh", "build", "body")  # another site: no kept pages
    assert fresh["kept"] == []
    assert differing_files(tmp_path / "build-body", tmp_path / "fresh-body") == []

    # a dataset's value changed: every page is rendered again, with the new value
    bench_build.change_dataset(project / "data", 1.5)
    (data,) = _run(project, build, "build", "data")
    assert data["kept"] == [] and data["rendered"] == pages
    moved = differing_files(tmp_path / "build-data", tmp_path / "build-body")
    assert {"api/indicators.json", "indicators/us_announced_tariff_rate/index.html"} <= set(moved)

    _run(project, build, "build", "warm")
    _edit(project / "docs/briefings/tariffs.md", "# ", "# Edited: ")
    (title,) = _run(project, build, "build", "title")
    assert title["kept"] == [p for p in pages if p != "briefings/tariffs.md"]
    (fresh,) = _run(project, tmp_path / "fresh", "build", "title")
    assert "Edited: US tariffs" in (tmp_path / "build-title/briefings/investment/index.html"
                                    ).read_text(encoding="utf-8")  # another page's navigation
    assert differing_files(tmp_path / "build-title", tmp_path / "fresh-title") == []


def test_serve_keeps_unchanged_pages_in_memory_and_replays_all_that_a_page_changes(
        project, tmp_path):
    """`mkdocs serve`'s rebuilds after a body edit and a title edit write what a fresh build of
    the edited project writes; and every container of the engine a page's rendering changes is
    one a kept page replays (pages._page_registries) or a cache (kept_pages.CACHES)."""
    steps = {s["step"]: s for s in _run(project, tmp_path / "serve", "serve")}
    pages = steps["first"]["rendered"]
    assert len(pages) > 30 and steps["first"]["kept"] == []
    assert "macros.pages._contexts" in steps["first"]["changed"]  # the watch saw the renderings
    assert steps["first"]["unkept"] == []
    assert steps["unchanged"]["kept"] == pages
    assert steps["body"]["kept"] == [p for p in pages if p != "briefings/trade-balance.md"]
    assert steps["title"]["kept"] == [p for p in pages if p != "briefings/tariffs.md"]
    assert "Edited: US tariffs" in (tmp_path / "serve-title/briefings/investment/index.html"
                                    ).read_text(encoding="utf-8")
    # the project as it was after the body edit, built afresh by a serve process
    edited = project / "docs/briefings/tariffs.md"
    title_edit = edited.read_text(encoding="utf-8")
    edited.write_text(title_edit.replace("# Edited: ", "# ", 1), encoding="utf-8")
    (fresh,) = _run(project, tmp_path / "fresh", "serve-once", "body")
    assert fresh["kept"] == []
    assert differing_files(tmp_path / "serve-body", tmp_path / "fresh-body") == []


def test_a_page_naming_more_than_the_portal_macros_is_rendered_in_every_build():
    from macros import kept_pages
    assert kept_pages._keepable(
        b'# T\n\n{{ value("us_kor_balance", 2025) }} {% set x = 1 %}{{ x }}')
    assert not kept_pages._keepable(b"# T\n\n{{ config.site_name }}")
    assert not kept_pages._keepable(b"# T\n\n{{ now() }}")
    assert not kept_pages._keepable(b"# T\n\n{{ changes() }}")  # reads the previous edition
    assert not kept_pages._keepable(b'# T\n\n{% include "other.md" %}')
    assert not kept_pages._keepable(b"# T\n\n{{ value( }}")  # an error: shown by a render


def test_the_build_key_moves_with_what_pages_read_and_not_with_one_page_s_own_source(
        project, monkeypatch):
    """What a kept page is checked against besides its own source (kept_pages._build_key)."""
    from mkdocs.config import load_config

    from macros import datasets, kept_pages
    monkeypatch.setattr(datasets, "DATA_DIR", project / "data")

    def key() -> str:
        return kept_pages._build_key(load_config(str(project / "mkdocs.yml")))
    first = key()
    assert key() == first
    _edit(project / "docs/briefings/tariffs.md", "# ", "# Edited: ")  # the page's own key
    assert key() == first
    for path, old, new in ((project / "mkdocs.yml", "site_name:", "site_name: X"),
                           (project / "overrides/main.html", "{%", "{#x#}{%"),
                           (project / "docs/assets/stylesheets/portal.css", "{", "{ ", ),
                           (project / "data" / bench_build.DATASET / "events.csv", "\n", "\n\n")):
        _edit(path, old, new)
        assert key() != first, path
        first = key()
    (project / "docs/about/new.md").write_text("# New\n", encoding="utf-8")  # a new page
    assert key() != first
    first = key()
    monkeypatch.setenv("PORTAL_PDF", "off-and-on")
    assert key() != first


def test_a_store_that_is_torn_or_of_another_key_keeps_no_page(tmp_path):
    import gzip
    import pickle

    from macros import kept_pages
    store = tmp_path / "store.pickle"
    with gzip.open(store, "wb") as out:
        pickle.dump("key", out)
        pickle.dump({"index.md": "a kept page"}, out)
    assert kept_pages._load(store, "key") == {"index.md": "a kept page"}
    assert kept_pages._load(store, "another key") == {}
    store.write_bytes(store.read_bytes()[:-20])  # a write cut short
    assert kept_pages._load(store, "key") == {}
    store.write_bytes(b"not a store")
    assert kept_pages._load(store, "key") == {}
    assert kept_pages._load(tmp_path / "none.pickle", "key") == {}
