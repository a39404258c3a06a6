"""One page's rendering, whatever site generator renders it: the adapters (macros/__init__.py for
mkdocs-macros on MkDocs and ProperDocs, macros/zensical_pages.py for Zensical) describe the page
as a `Rendering` and call these steps, so both builds check and cite a page the same way.

Before the macros run: `literal_fences` (fenced code shows macros literally) and `start` (the
page's context: figure numbers, sources). While they run: each macro bound by `bind` reports a
PortalError with the page, the line and the call. After: `finish_page` checks the Sources and
returns the page's citation and JSON-LD for the template (overrides/main.html reads page.meta).
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field
from typing import Callable

from . import citations, errors, i18n, slots
from .authoring import PageContext
from .build import edition_name
from .errors import PortalError


@dataclass
class Rendering:
    """What a generator tells about the page being rendered."""

    src: str                  # docs-relative path, e.g. "briefings/tariffs.md"
    url: str                  # site-relative URL, e.g. "briefings/tariffs/"
    markdown: str = ""        # the page's Markdown as the macros see it
    path: str | None = None   # the file on disk (front matter included), to count lines in
    title: str = ""           # the generator's title for it (HTML), when there is no heading
    site_url: str = ""
    extra: dict = field(default_factory=dict)
    links_from: str | None = None  # where the page's relative links start, when not its URL
    lang: str = "en"          # the build's language (theme.language), see macros/i18n.py
    local: frozenset | None = None  # a translated build's own site paths (i18n.local_paths)

    def source(self) -> str | None:
        try:
            return open(self.path, encoding="utf-8").read() if self.path else None
        except OSError:
            return None


_contexts: dict[str, PageContext] = {}
_LISTED: dict[str, tuple] = {}  # page src -> (datasets, reports) its sources() call listed


def start(page: Rendering) -> PageContext:
    """A new context for `page` (its heading is its title)."""
    heading = next((line[2:].strip() for line in (page.markdown or "").splitlines()
                    if line.startswith("# ")), html.unescape(page.title or ""))  # titles are HTML
    edition = edition_name(page.extra)
    year, _ = citations.edition_date(edition, citations.build_date().isoformat())
    site_url = page.site_url or ""  # mike appends the edition: <root>/<edition>
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    _contexts[page.src] = PageContext(src=page.src, url=page.url, title=heading,
                                      site_url=site_url, edition=edition, year=year,
                                      links_from=page.links_from, lang=page.lang,
                                      local=page.local)
    return _contexts[page.src]


def context(page: Rendering) -> PageContext:
    return _contexts.get(page.src) or start(page)


def bind(current: Callable[[], Rendering], name: str, fn):
    """The macro `fn` as the page being rendered calls it (`current()` tells which)."""
    @functools.wraps(fn)
    def macro(*args, **kwargs):
        rendering = current()
        page = context(rendering)

        def where() -> str:  # only for an error: the line of the page's template that called
            call = ", ".join([*map(repr, args), *(f"{k}={v!r}" for k, v in kwargs.items())])
            line = errors.line_of(rendering.markdown, name, args, rendering.source(),
                                  called_at=errors.template_line())
            return f"{page.file}{line}: {name}({call})"
        try:
            errors.check_arguments(fn, args, kwargs)
            with slots.deferring():  # the generator fills the page's slots (macros/slots.py)
                result = fn(page, *args, **kwargs)
        except PortalError as exc:
            raise PortalError(f"{where()}: {exc}") from None
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
            raise PortalError(f"{where()}: {type(exc).__name__}: {exc} (an error inside the "
                              f"macro, not in the call as written: report it)") from exc
        if name == "sources":
            _LISTED[page.src] = (set(page.datasets), set(page.reports))
        return result
    return macro


# What a page's rendering adds to the build's registries, each keyed by the page (its source,
# URL or print URL); the figures it shows, which pages share, are in its context
# (PageContext.figure_records). A kept page replays its additions (macros/kept_pages.py);
# tests/test_kept_pages.py checks that nothing else a page's rendering changes goes unkept.
def _page_registries() -> dict:
    from . import authoring, feed, pdf
    return {"pages._contexts": _contexts, "authoring.NUMBERS_USED": authoring.NUMBERS_USED,
            "feed.BRIEFINGS": feed.BRIEFINGS, "pdf.PLANNED": pdf.PLANNED}


def registry_state() -> dict:
    """A copy of each page-keyed registry, before a page renders (registry_added)."""
    return {name: dict(registry) for name, registry in _page_registries().items()}


def registry_added(before: dict) -> dict:
    """What the page rendered since `registry_state()` returned `before` added to each."""
    return {name: {k: v for k, v in registry.items()
                   if k not in before[name] or before[name][k] is not v}
            for name, registry in _page_registries().items()}


def replay(added: dict) -> None:
    """A page's rendering, as far as the build's registries see it, without rendering it: its
    additions (registry_added), its figures and its edition, in the order it made them."""
    from . import authoring
    registries = _page_registries()
    for name, entries in added.items():
        registries[name].update(entries)
    for page in added["pages._contexts"].values():
        citations.current(page.edition, page.site_url)
        for figure_id, record in page.figure_records:
            authoring.use_figure(page.src, figure_id, record)


def check_sources(rendering: Rendering, page: PageContext) -> None:
    """Every dataset a number on the page comes from is in the page's Sources: a briefing ends
    with {{ sources() }}, and no number comes after it."""
    listed = _LISTED.pop(page.src, None)
    if listed is None:
        if page.datasets and page.src.startswith("briefings/"):
            raise PortalError(f"{page.file}: the page shows numbers from "
                              f"{', '.join(page.datasets)} but has no Sources; end it with "
                              "'## Sources' and {{ sources() }}")
        return
    missing = [d for d in page.datasets if d not in listed[0]] + \
        [r for r in page.reports if r not in listed[1]]
    if missing:
        line = errors.line_of(rendering.markdown, "sources", (), rendering.source())
        raise PortalError(
            f"{page.file}{line}: sources() lists what comes before it, but a number after it "
            f"comes from {', '.join(missing)}, which the Sources do not name; move "
            "{{ sources() }} to the end of the page")


def finish_page(rendering: Rendering) -> dict:
    """After the macros: check the Sources, and return what the page template needs in
    page.meta: its citation (Highwire tags, cite block, printed masthead), PDF link and
    structured data, all from the page's one CSL record."""
    from . import cite_html, datasets, feed, pdf, structured_data
    page = context(rendering)
    check_sources(rendering, page)
    ed = citations.current(page.edition, page.site_url)
    # a Korean page's citation is in Korean, and says so (Highwire, RIS, CSL, citeproc's terms)
    record = citations.page_record(ed, title=page.title, path=page.url, lang=page.lang,
                                   publishers=[i18n.dataset(datasets.get(d), "publisher", page.lang)
                                               for d in page.datasets])
    forms = citations.citation_forms(record, ed)
    pdf_url = None
    if page.src.startswith("briefings/"):
        if page.lang == i18n.SOURCE:  # the feed: English
            feed.BRIEFINGS[page.url] = page.title
        if pdf.enabled(page.site_url):  # a translated page printed from the English root
            prefix = "" if page.lang == i18n.SOURCE else f"{page.lang}/"
            pdf.plan(prefix + page.url, record["URL"])
            pdf_url = ed.url + pdf.pdf_path(page.url)
    return {
        "portal_cite": {
            "highwire": citations.highwire(record, pdf_url=pdf_url),
            "block": cite_html.block(forms, ed, summary=page._("Cite this page"),
                                     css_class="portal-cite-page", block_id="cite-this-page",
                                     pdf_href=pdf_url and pdf_url.rsplit("/", 1)[1],
                                     lang=page.lang),
            "masthead": cite_html.masthead(forms, ed, page.lang), "feed": "feed.xml"},
        "portal_jsonld": structured_data.script(structured_data.jsonld(
            src=page.src, record=record, ed=ed, site_root=page.site_url, pdf_url=pdf_url,
            used_datasets=list(page.datasets))),
    }


_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})")


def literal_fences(markdown: str) -> str:
    """Fenced code blocks show what is written in them: each is wrapped in Jinja's raw tags,
    on the fence lines themselves, so no line number moves."""
    lines, open_fence = markdown.split("\n"), None
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if open_fence is None and match:
            open_fence = match["fence"]
            lines[i] = "{% raw %}" + line
        elif open_fence and match and match["fence"].startswith(open_fence) \
                and not line.strip()[len(match["fence"]):].strip():
            lines[i] = line + "{% endraw %}"
            open_fence = None
    if open_fence:
        lines[-1] += "{% endraw %}"
    return "\n".join(lines)
