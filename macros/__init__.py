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
import json
import os

from mkdocs_macros.errors import format_error

from . import citations
from .authoring import PageContext
from .errors import PortalError
from .registry import MACROS


@format_error.register
def _portal_error(error: PortalError, markdown: str, page) -> str:
    """A PortalError already names the page, the call and the fix: print it as it is (the
    plugin's default %-formats it, so a '%' in a value would garble the message)."""
    return f"Build stopped: {error}"

_contexts: dict[str, PageContext] = {}


def _new_context(env) -> PageContext:
    page = env.page
    heading = next((line[2:].strip() for line in (env.markdown or "").splitlines()
                    if line.startswith("# ")), page.title or "")
    edition = _edition(env)
    year, _ = citations.edition_date(edition, datetime.date.today().isoformat())
    site_url = env.conf.get("site_url") or ""  # mike appends the edition: <root>/<edition>
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    return PageContext(src=page.file.src_uri, url=page.url, title=heading,
                       site_url=site_url, edition=edition, year=year)


def _edition(env) -> str:
    """The edition being built, as text: YAML would read `2026.10` from !ENV as the number 2026.1."""
    return os.environ.get("MIKE_DOCS_VERSION") or str(env.conf.get("extra", {}).get("edition", "dev"))


def _context(env) -> PageContext:
    key = env.page.file.src_uri
    if key not in _contexts:
        _contexts[key] = _new_context(env)
    return _contexts[key]


def _bind(env, name, fn):
    @functools.wraps(fn)
    def macro(*args, **kwargs):
        page = _context(env)
        try:
            return fn(page, *args, **kwargs)
        except PortalError as exc:
            call = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
            raise PortalError(f"docs/{page.src}: {name}({call}): {exc}") from None
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
    ed = citations.current(page.edition, page.site_url)
    record = citations.page_record(ed, title=page.title, path=page.url,
                                   publishers=[datasets.get(d).publisher for d in page.datasets])
    forms = citations.citation_forms(record, ed)
    pdf_url = None
    if page.src.startswith("briefings/"):
        feed.BRIEFINGS[page.url] = page.title
        if pdf.enabled(page.site_url):
            pdf_url = ed.url + pdf.plan(page.url, record["URL"])
    env.page.meta["portal_cite"] = {
        "highwire": citations.highwire(record, pdf_url=pdf_url),
        "block": cite_html.block(forms, ed, summary="Cite this page", css_class="portal-cite-page",
                                 block_id="cite-this-page",
                                 pdf_href=pdf_url and pdf_url.rsplit("/", 1)[1]),
        "masthead": cite_html.masthead(forms, ed), "feed": "feed.xml"}
    env.page.meta["portal_jsonld"] = json.dumps(structured_data.jsonld(
        src=page.src, record=record, ed=ed, site_root=page.site_url, pdf_url=pdf_url,
        used_datasets=list(page.datasets)), ensure_ascii=False).replace("</", "<\\/")


def on_post_build(env):
    from . import site_output
    site_output.write(env.conf["site_dir"], edition=_edition(env))
