"""The macros adapter: registers the author macros and nothing else of substance.

mkdocs-macros (MkDocs, ProperDocs) loads this package as its module and uses its events:
`define_env` registers MACROS, each bound to the page being rendered; `on_pre_page_macros`
starts that page's context (figure numbers, source list); `on_post_page_macros` puts the page's
citation and JSON-LD into page.meta for the template; `on_post_build` runs the engine's last
build step (build.finish: API, downloads, edition record). Zensical's macros extension calls
only `define_env`, once per page: that goes to macros/zensical_pages.py. What a page's rendering
does is in macros/pages.py; generated pages and their nav come from macros/build.py (called by
macros/mkdocs_hooks.py). Importing this package imports no site generator.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

if str(Path(__file__).resolve().parent.parent) not in sys.path:
    # Zensical's macros shim executes this file outside its package: make `macros` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import build, errors, i18n, pages  # noqa: E402  (absolute: see above)
from macros.errors import PortalError  # noqa: E402
from macros.registry import MACROS  # noqa: E402


@functools.cache
def _error_formats() -> None:
    """How mkdocs-macros shows an error raised while it renders a page (registered once)."""
    import jinja2
    from mkdocs_macros.errors import format_error

    @format_error.register(PortalError)  # by class: the annotations are strings here
    def _portal_error(error: PortalError, markdown: str, page) -> str:
        """A PortalError already names the page, the call and the fix: stop the build with it,
        first and alone (errors.stop: MkDocs prints a BuildError's message without a traceback,
        which PORTAL_VERBOSE=1 adds)."""
        raise errors.stop(error)

    @format_error.register(jinja2.TemplateSyntaxError)
    def _syntax_error(error: jinja2.TemplateSyntaxError, markdown: str, page) -> str:
        """An unclosed or malformed macro: the page, the line and the line's text."""
        lines = markdown.splitlines() or [""]
        lineno = min(max(error.lineno, 1), len(lines))
        upto = "\n".join(lines[:lineno])
        opened = max(upto.rfind("{{"), upto.rfind("{%"))  # an unclosed opener: report where it is
        if opened >= 0 and ("}}" if upto[opened + 1] == "{" else "%}") not in upto[opened:]:
            lineno = upto[:opened].count("\n") + 1
        line = lines[lineno - 1]
        path = getattr(page.file, "abs_src_path", None)
        lineno += errors.line_offset(markdown, open(path, encoding="utf-8").read() if path else None)
        raise errors.stop(PortalError(
            f"{_source(page)} line {lineno}: the macro is not well formed "
            f"({error.message}): {line.strip()[:120]!r}; close every {{{{ with }}}} and every "
            f"{{% with %}}, and write a literal {{{{ as {{{{ \"{{{{\" }}}}"), error)

    @format_error.register(Exception)
    def _other_error(error: Exception, markdown: str, page) -> str:
        """Anything else a page's rendering raises: the page, the error, and where to look."""
        message = f"{_source(page)}: {type(error).__name__}: {error}"
        if isinstance(error, jinja2.UndefinedError):
            message += ("; a name in {{ … }} is not a macro or variable: check its spelling "
                        "against About → Writing a briefing")
        raise errors.stop(PortalError(message), error)


def _source(page) -> str:
    """The page's file as its author finds it: docs/… or docs-ko/…"""
    path = getattr(page.file, "abs_src_path", None) or ""
    folder = os.path.basename(os.path.dirname(path[:-len(page.file.src_uri)]))
    return f"{folder if folder.startswith('docs-') else 'docs'}/{page.file.src_uri}"


def _rendering(env) -> pages.Rendering:
    """The page mkdocs-macros is rendering now, as the engine's pages module sees it."""
    page = env.page
    return pages.Rendering(src=page.file.src_uri, url=page.url, markdown=env.markdown or "",
                           path=getattr(page.file, "abs_src_path", None), title=page.title or "",
                           site_url=env.conf.get("site_url") or "",
                           extra=env.conf.get("extra") or {},
                           lang=i18n.language(env.conf), local=i18n.local_paths(env.conf))


def _context(env):
    return pages.context(_rendering(env))


def _bind(env, name, fn):
    return pages.bind(lambda: _rendering(env), name, fn)


def _check_sources(env, page) -> None:
    pages.check_sources(_rendering(env), page)


def define_env(env):
    if type(env).__module__.startswith("zensical"):
        from macros import zensical_pages
        return zensical_pages.define_env(env)
    _error_formats()
    for name, fn in MACROS.items():
        env.macro(_bind(env, name, fn), name)


def on_pre_page_macros(env):
    _error_formats()
    pages.start(_rendering(env))


def on_post_page_macros(env):
    """Hand the page template its citation, PDF link and structured data (overrides/main.html)."""
    env.page.meta.update(errors.guard(lambda: pages.finish_page(_rendering(env))))


def on_post_build(env):
    errors.guard(lambda: build.finish(env.conf["site_dir"],
                                      edition=build.edition_name(env.conf.get("extra")),
                                      lang=i18n.language(env.conf)))
