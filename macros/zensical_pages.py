"""Zensical adapter: the page steps that MkDocs gets from hooks and mkdocs-macros events.

Zensical (0.0.x) runs no hooks and calls only `define_env`, once per page, from its macros
extension (a Markdown preprocessor at priority 35). So this module is also a Markdown extension
(listed in the Zensical config that `python -m macros.build zensical` writes) with one
preprocessor before the macros (36: fenced code made literal, the page's context started) and
one after them (34: Sources checked, one title per page, citation and JSON-LD into page.meta,
which Zensical hands to the template), and a postprocessor that puts the macros' heavy HTML
into the page's HTML (macros/slots.py). `define_env` only binds the macros to the page: it is
called for every page, so it must stay cheap.
"""
from __future__ import annotations

import posixpath
import re
import threading
from pathlib import Path

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from . import i18n, pages, slots
from .errors import PortalError
from .registry import MACROS

_RENDERINGS: dict[str, pages.Rendering] = {}  # page path -> the page being rendered
_TITLES: dict[str, str] = {}  # page title -> the page that has it
_LOCK = threading.Lock()


def _context(md):
    from zensical.extensions.context import ContextPreprocessor
    return ContextPreprocessor.from_markdown(md)


def define_env(env) -> None:
    rendering = _RENDERINGS[env.page.path]
    for name, fn in MACROS.items():
        env.macro(pages.bind(lambda: rendering, name, fn), name)


class _Before(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        context = _context(self.md)
        page, config = context.page, context.config
        markdown = pages.literal_fences("\n".join(lines))
        docs = Path(config.get("root_dir", ".")) / config["docs_dir"]
        lang = i18n.language(config)
        rendering = pages.Rendering(
            src=page.path, url=page.url, markdown=markdown,
            links_from=posixpath.dirname(page.path) + "/" if "/" in page.path else "",
            path=str(docs / page.path), title=page.title or "",
            site_url=config.get("site_url") or "", extra=config.get("extra") or {},
            lang=lang, local=None if lang == i18n.SOURCE else i18n.local_paths_of(str(docs)))
        _RENDERINGS[page.path] = rendering
        pages.start(rendering)
        return markdown.split("\n")


class _After(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        page = _context(self.md).page
        rendering = _RENDERINGS.pop(page.path)
        heading = re.search(r"^# (.+)$", "\n".join(lines), re.MULTILINE)
        title = heading[1].strip() if heading else page.title
        with _LOCK:
            if title and _TITLES.setdefault(title, page.path) != page.path:
                docs = "docs" if rendering.lang == i18n.SOURCE else f"docs-{rendering.lang}"
                raise PortalError(f"{docs}/{page.path} and {docs}/{_TITLES[title]} have the "
                                  f"same title {title!r}; give one of them another first heading")
        meta = pages.finish_page(rendering)
        cite = meta["portal_cite"]
        cite["highwire"] = [list(pair) for pair in cite["highwire"]]  # JSON for Zensical's Rust
        page.meta.update(meta)
        return lines


class _Fill(Postprocessor):
    def run(self, text: str) -> str:
        return slots.fill(text)


class PortalPages(Extension):
    def extendMarkdown(self, md) -> None:
        md.preprocessors.register(_Before(md), "portal_before_macros", 36)
        md.preprocessors.register(_After(md), "portal_after_macros", 34)
        md.postprocessors.register(_Fill(md), "portal_slots", 0)  # after the raw-HTML stash


def makeExtension(**kwargs) -> PortalPages:
    return PortalPages(**kwargs)
