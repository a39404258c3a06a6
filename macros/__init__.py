"""mkdocs-macros adapter: registers the author macros and nothing else of substance.

Events used (mkdocs-macros module hooks): `define_env` registers MACROS, each bound to the page
being rendered; `on_pre_page_macros` starts that page's context (figure numbers, source list);
`on_post_page_macros` puts the page's citation and JSON-LD into page.meta for the template;
`on_post_build` asks site_output to write the machine-readable files and figure downloads.
Generated pages and their nav entries come from macros/mkdocs_hooks.py (MkDocs hooks).
"""
from __future__ import annotations

import datetime
import functools
import html
import os

import jinja2
from mkdocs_macros.errors import format_error

from . import citations, errors, i18n
from .authoring import PageContext
from .errors import PortalError
from .registry import MACROS


@format_error.register
def _portal_error(error: PortalError, markdown: str, page) -> str:
    """A PortalError already names the page, the call and the fix: stop the build with it,
    first and alone (errors.stop: MkDocs prints a BuildError's message without a traceback,
    which PORTAL_VERBOSE=1 adds)."""
    raise errors.stop(error)


@format_error.register
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
        f"docs/{page.file.src_uri} line {lineno}: the macro is not well formed "
        f"({error.message}): {line.strip()[:120]!r}; close every {{{{ with }}}} and every "
        f"{{% with %}}, and write a literal {{{{ as {{{{ \"{{{{\" }}}}"), error)


@format_error.register
def _other_error(error: Exception, markdown: str, page) -> str:
    """Anything else a page's rendering raises: the page, the error, and where to look."""
    message = f"docs/{page.file.src_uri}: {type(error).__name__}: {error}"
    if isinstance(error, jinja2.UndefinedError):
        message += ("; a name in {{ … }} is not a macro or variable: check its spelling "
                    "against About → Writing a briefing")
    raise errors.stop(PortalError(message), error)

_contexts: dict[str, PageContext] = {}


def _new_context(env) -> PageContext:
    page = env.page
    heading = next((line[2:].strip() for line in (env.markdown or "").splitlines()
                    if line.startswith("# ")), html.unescape(page.title or ""))  # titles are HTML
    edition = _edition(env)
    year, _ = citations.edition_date(edition, datetime.date.today().isoformat())
    site_url = env.conf.get("site_url") or ""  # mike appends the edition: <root>/<edition>
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    return PageContext(src=page.file.src_uri, url=page.url, title=heading,
                       site_url=site_url, edition=edition, year=year,
                       lang=_lang(env), local=i18n.local_paths(env.conf))  # i18n (issue 14)


def _lang(env) -> str:
    """The build's language, Material's theme.language (issue 14: one build per language)."""
    return i18n.language(env.conf)


def _edition(env) -> str:
    """The edition being built, as text: YAML would read `2026.10` from !ENV as the number 2026.1."""
    return os.environ.get("MIKE_DOCS_VERSION") or str(env.conf.get("extra", {}).get("edition", "dev"))


def _context(env) -> PageContext:
    key = env.page.file.src_uri
    if key not in _contexts:
        _contexts[key] = _new_context(env)
    return _contexts[key]


_LISTED: dict[str, tuple] = {}  # page src -> (datasets, reports) its sources() call listed


def _source(env) -> str | None:
    """The page's file as written (front matter included), to count lines in."""
    path = getattr(env.page.file, "abs_src_path", None)
    try:
        return open(path, encoding="utf-8").read() if path else None
    except OSError:
        return None


def _bind(env, name, fn):
    @functools.wraps(fn)
    def macro(*args, **kwargs):
        page = _context(env)
        call = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
        where = f"docs/{page.src}{errors.line_of(env.markdown, name, args, _source(env))}: " \
                f"{name}({call})"
        try:
            errors.check_arguments(fn, args, kwargs)
            result = fn(page, *args, **kwargs)
        except PortalError as exc:
            raise PortalError(f"{where}: {exc}") from None
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
            raise PortalError(f"{where}: {type(exc).__name__}: {exc} (an error inside the "
                              f"macro, not in the call as written: report it)") from exc
        if name == "sources":
            _LISTED[page.src] = (set(page.datasets), set(page.reports))
        return result
    return macro


def define_env(env):
    for name, fn in MACROS.items():
        env.macro(_bind(env, name, fn), name)


def on_pre_page_macros(env):
    _contexts[env.page.file.src_uri] = _new_context(env)


def on_post_page_macros(env):
    """Hand the page template its citation (Highwire tags, cite block, printed masthead), PDF
    link and structured data (overrides/main.html), all from the page's one CSL record."""
    from . import cite_html, datasets, feed, pdf, structured_data
    page = _context(env)
    errors.guard(lambda: _check_sources(env, page))
    ed = citations.current(page.edition, page.site_url)
    record = citations.page_record(ed, title=page.title, path=page.url,
                                   publishers=[datasets.get(d).publisher for d in page.datasets])
    forms = citations.citation_forms(record, ed)
    pdf_url = None
    if page.src.startswith("briefings/") and page.lang == i18n.SOURCE:  # i18n: PDF, feed: English
        feed.BRIEFINGS[page.url] = page.title
        if pdf.enabled(page.site_url):
            pdf_url = ed.url + pdf.plan(page.url, record["URL"])
    env.page.meta["portal_cite"] = {
        "highwire": citations.highwire(record, pdf_url=pdf_url),
        "block": cite_html.block(forms, ed, summary=page._("Cite this page"),  # i18n: page._, lang
                                 css_class="portal-cite-page", block_id="cite-this-page",
                                 pdf_href=pdf_url and pdf_url.rsplit("/", 1)[1], lang=page.lang),
        "masthead": cite_html.masthead(forms, ed, page.lang), "feed": "feed.xml"}
    env.page.meta["portal_jsonld"] = structured_data.script(structured_data.jsonld(
        src=page.src, record=record, ed=ed, site_root=page.site_url, pdf_url=pdf_url,
        used_datasets=list(page.datasets)))


def _check_sources(env, page) -> None:
    """Every dataset a number on the page comes from is in the page's Sources: a briefing ends
    with {{ sources() }}, and no number comes after it."""
    listed = _LISTED.pop(page.src, None)
    if listed is None:
        if page.datasets and page.src.startswith("briefings/"):
            raise PortalError(f"docs/{page.src}: the page shows numbers from "
                              f"{', '.join(page.datasets)} but has no Sources; end it with "
                              "'## Sources' and {{ sources() }}")
        return
    missing = [d for d in page.datasets if d not in listed[0]] + \
        [r for r in page.reports if r not in listed[1]]
    if missing:
        line = errors.line_of(env.markdown, "sources", (), _source(env))
        raise PortalError(
            f"docs/{page.src}{line}: sources() lists what comes before it, but a number after it "
            f"comes from {', '.join(missing)}, which the Sources do not name; move "
            "{{ sources() }} to the end of the page")


def on_post_build(env):
    from . import site_output
    if _lang(env) != i18n.SOURCE:  # i18n: a translated build links the English build's outputs
        return
    errors.guard(lambda: site_output.write(env.conf["site_dir"], edition=_edition(env)))
