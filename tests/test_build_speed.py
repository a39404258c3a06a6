"""What the build does to be fast must not change what it outputs: citations filled from a
template are citeproc-py's own output (macros/citations.py), and the HTML a macro keeps out of
Markdown (macros/slots.py) reaches the page as Markdown would have left it, and only there."""
from __future__ import annotations

import json

import pytest

from macros import citations, datasets, indicators, slots

EDITIONS = [("2026.11", "https://portal.test/korea-us-briefings/2026.11/"),
            ("dev", "http://127.0.0.1:8000/korea-us-briefings/")]
TITLES = ["US goods trade with Korea, 1991–2026", "tariffs: what changed?", "a title",
          "Korea's “exports” & <b>imports</b>", "한국의 대미 수출, 2025", "Ends with a period.",
          "(paren) first", "of stop words first", "Title: with a colon", "x"]


def _direct(record: dict, style: str) -> str:
    escaped = json.dumps(citations._escaped(record), sort_keys=True, ensure_ascii=False)
    return citations._render(escaped, style)


def _records() -> list[dict]:
    records = []
    for name, site in EDITIONS:
        ed = citations.current(name, site)
        for ind in indicators.REGISTRY.values():
            publishers = [datasets.get(d).publisher for d in ind.sources()]
            for row in list(indicators.observations(ind.id).itertuples())[:2]:
                records.append(citations.number_record(
                    ed, indicator_id=ind.id, title=ind.title, period=row.period,
                    publishers=publishers, dims={d: getattr(row, d) for d in ind.dimensions}))
        for title in TITLES:
            page = citations.page_record(ed, title=title, path="briefings/x/",
                                         publishers=["U.S. Census Bureau"])
            figure = citations.figure_record(ed, figure_id="f", title=title, number=2,
                                             page_title=title, path="briefings/x/",
                                             publishers=["UN"])
            records += [page, figure, {**page, "language": "ko"}]
            records += [r for r in (citations.latest_record(page, ed),
                                    citations.latest_record(figure, ed)) if r]
    return records


@pytest.mark.parametrize("style", sorted(citations.STYLES))
def test_a_citation_filled_from_its_template_is_citeprocs_own_output(style, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setattr(citations, "CACHE_DIR", tmp_path)
    citations._formatted.cache_clear()
    citations._TEMPLATES.clear()
    citations._CHECKED.clear()
    for record in _records():
        shown = _direct(record, style)
        assert citations.formatted(record, style, html=True) == shown, record
        assert citations.formatted(record, style) == citations._text(shown), record
    assert any(v is not None for v in citations._TEMPLATES.values())  # templates were used


def test_a_slot_is_filled_with_the_html_as_markdown_would_have_left_it():
    html = '<div data-search-exclude>\n\tauthor = {x},\n   \n</div>'
    assert slots.element(html) == html  # called outside a page's rendering: the HTML itself
    with slots.deferring():
        slot = slots.element(html)
        number = slots.opening_tag('<a class="portal-value" title="long">5.5%</a>')
        tabbed = slots.element("\tfirst line with a tab")
    assert "author" not in slot
    page = f"<p>before</p>{slot}<p>after</p>"
    kept = slots.fill(page, keep=True)
    assert kept == slots.fill(page) and "portal-slot" not in kept
    assert kept.count("\n    author = {x},\n\n") == 1  # tabs as spaces, blank lines emptied
    assert number.endswith(">5.5%</a>") and "long" not in number
    assert slots.fill(f"<p>{number}</p>") == '<p><a class="portal-value" title="long">5.5%</a></p>'
    assert tabbed == "\tfirst line with a tab"  # its tab's column is the page's: it stays


def test_no_slot_is_left_in_any_page_or_the_search_index(site):
    for path in [*site.rglob("*.html"), site / "search" / "search_index.json"]:
        assert "portal-slot" not in path.read_text(encoding="utf-8"), path


def test_the_build_left_its_templates_compiled_and_a_build_loads_them_so(site, monkeypatch):
    """Jinja's templates are compiled once, not in every build (runtime.compiled_templates): the
    session's build left the theme's and the engine's in the cache, and a template found there
    is loaded without compiling it."""
    import jinja2

    from macros import render, runtime
    cache = runtime.compiled_templates()
    for name in ("main.html", "partials/nav.html", "figure.html", "cite_block.html"):
        entry = runtime.TEMPLATE_CACHE / (cache.pattern % cache.get_cache_key(name))
        assert entry.is_file(), name
    render.ENV.cache.clear()  # the templates this process compiled, in memory
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda *args, **kwargs: pytest.fail(f"compiled again: {args[2:3]}"))
    link = render.page_fragment("link.html", href="a/", text="t", attrs={})
    assert link == '<a href="a/">t</a>'
    render.ENV.get_template("figure.html")
