"""The engine's build steps before and after the site generator, so that any generator builds the
same site: MkDocs and ProperDocs call them from macros/mkdocs_hooks.py, a Zensical build from
`python -m macros.build zensical` (it runs no hooks).

`prepare` runs first: it validates the datasets and renders the figure SVGs (a cold build's main
costs, into the content-addressed caches the macros read), then writes one Markdown page per
indicator and per dataset, and the nav entries for them, into a build folder under `.cache/build/`
(gitignored, never `docs/`), which the generator reads together with `docs/`. `finish` runs
last: the API, the downloads, the figure files, the edition record, citations and PDFs, from
what the pages used as they rendered (site_output). `fail` empties the output folder of a failed
build. Nothing here imports a site generator.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import artefacts, datasets, figures, indicators

ROOT = datasets.ROOT
# Where the generated pages go: one folder per project and data folder (a refresh builds the
# same project on staged data; scratch projects in tests share this .cache), so concurrent
# builds never read each other's pages.
BUILD_ROOT = ROOT / ".cache" / "build"
SECTIONS = (("Indicators", "indicators/"), ("Data", "data/"))  # nav section -> generated folder


def build_dir() -> Path:
    key = hashlib.sha256(f"{ROOT}\n{datasets.DATA_DIR}".encode()).hexdigest()[:10]
    return BUILD_ROOT / f"{ROOT.name}-{key}"


@dataclass(frozen=True)
class Prepared:
    """What `prepare` wrote: the folder of generated pages and, per page, its nav title."""

    pages_dir: Path
    titles: dict  # src path (docs-relative, e.g. "indicators/us_kor_balance.md") -> nav title

    def fill_nav(self, nav: list | None) -> list:
        """`nav` with the sections "Indicators" and "Data" expanded: their overview page first,
        then one entry per generated page (same order as the registries)."""
        out = []
        for section in nav or []:
            if isinstance(section, dict):
                section = dict(section)
                for name, folder in SECTIONS:
                    if name in section and not isinstance(section[name], list):
                        section[name] = [{"Overview": section[name]}] + [
                            {title: src} for src, title in self.titles.items()
                            if src.startswith(folder)]
            out.append(section)
        return out


def generated_pages() -> dict[str, tuple[str, str]]:
    """src path -> (nav title, page source): each page is one macro call, rendered by the
    macros like any authored page."""
    pages = {}
    for ind in indicators.REGISTRY.values():
        pages[f"indicators/{ind.id}.md"] = (ind.title, f'{{{{ indicator_page("{ind.id}") }}}}\n')
    for dataset_id in datasets.ids():
        title = html.escape(datasets.get(dataset_id).title, quote=False)  # nav titles are HTML
        pages[f"data/{dataset_id}.md"] = (title, f'{{{{ dataset_page("{dataset_id}") }}}}\n')
    return pages


def prepare() -> Prepared:
    """Before the site generator: validate, prerender, and write the generated pages and their
    nav (`nav.json`) into the build folder; a page is rewritten only when it changed, so a
    watching server sees no edit, and a page no longer generated is removed."""
    datasets.prevalidate()  # cold builds: validate all datasets in parallel, once
    artefacts.prerender([*figures.REGISTRY.values(),  # every figure some page shows
                         *(f for i in indicators.REGISTRY for f in figures.indicator_figures(i))])
    pages = generated_pages()
    folder = build_dir() / "pages"
    for src, (_, content) in pages.items():
        _write_if_changed(folder / src, content)
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        if path.relative_to(folder).as_posix() not in pages:
            path.unlink()
    prepared = Prepared(folder, {src: title for src, (title, _) in pages.items()})
    _write_if_changed(build_dir() / "nav.json",
                      json.dumps(prepared.titles, ensure_ascii=False, indent=1) + "\n")
    return prepared


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def finish(site_dir: str | Path, *, edition: str) -> None:
    """After the site generator: the files the site ships besides pages (site_output.write)."""
    from . import site_output
    site_output.write(str(site_dir), edition=edition)


def edition_name(extra: dict | None = None) -> str:
    """The edition being built, as text (YAML would read `2026.10` from !ENV as 2026.1)."""
    return os.environ.get("MIKE_DOCS_VERSION") or str((extra or {}).get("edition", "dev"))


def fail(site_dir: str | Path, error: BaseException) -> None:
    """A failed build leaves no deployable site: the output folder is emptied, except for a
    BUILD-FAILED note."""
    site = Path(site_dir)
    if site.is_dir():
        for child in site.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        (site / "BUILD-FAILED").write_text(
            "The last build of this site failed; nothing here is deployable.\n"
            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}\n",
            encoding="utf-8")
