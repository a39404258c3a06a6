"""The built site in headless Chromium: every page loads without console errors or requests
leaving the machine, figures turn interactive, and instant navigation keeps them working.

Debian's chromium is required (`make test` installs it): a missing browser fails, never skips.
"""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import vl_convert

from conftest import Watch, serve
from macros import artefacts

SHOTS = Path(__file__).resolve().parent.parent / "test-results"


@pytest.fixture(scope="module")
def server(site):
    with serve(site) as url:
        yield url


def pages(site: Path) -> list[str]:
    return sorted(str(p.parent.relative_to(site)).replace(".", "") for p in site.rglob("index.html"))


def wait_for_figures(page):
    figures = page.locator("figure.portal-figure")
    for i in range(figures.count()):
        figures.nth(i).scroll_into_view_if_needed()
        figures.nth(i).locator(".portal-figure__chart").hover()  # charts load on a reader's reach
        page.wait_for_function(
            "f => f.dataset.state === 'interactive' || f.dataset.state === 'static'",
            arg=figures.nth(i).element_handle(), timeout=30000)  # 2 cores, 2 test workers
    return [figures.nth(i).get_attribute("data-state") for i in range(figures.count())]


def test_every_page_loads_clean_and_figures_turn_interactive(site, server, browser):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch(page, server)
    checked = 0
    for path in pages(site):
        url = server + (path + "/" if path else "")
        page.goto(url, wait_until="load")
        states = wait_for_figures(page)
        assert all(s == "interactive" for s in states), f"{url}: {states} {watch.errors}"
        if path.startswith("briefings/"):
            assert states, f"{url} has no figure"
            assert page.locator(".portal-figure__interactive svg").count() == len(states)
        checked += 1
    assert checked >= 30
    assert watch.errors == [], watch.errors
    assert watch.outside == [], watch.outside
    context.close()


def test_screenshots_home_and_briefing(server, browser):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for name, path in (("home", ""), ("briefing-trade-balance", "briefings/trade-balance/")):
        page.goto(server + path, wait_until="load")
        wait_for_figures(page)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        assert (SHOTS / f"{name}.png").stat().st_size > 20_000
    context.close()


def test_figures_work_after_instant_navigation(server, browser):
    page = browser.new_page()
    watch = Watch(page, server)
    page.goto(server + "about/methodology/", wait_until="load")
    page.locator("a[href$='briefings/tariffs/']").first.click()
    page.wait_for_url("**/briefings/tariffs/")
    states = wait_for_figures(page)
    assert states and all(s == "interactive" for s in states), states
    assert watch.errors == [] and watch.outside == []
    page.close()


def test_static_figure_shows_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "briefings/tariffs/", wait_until="load")
    charts = page.locator("figure.portal-figure .portal-figure__chart img")
    assert charts.count() >= 2
    for i in range(charts.count()):  # every figure's shared .svg loaded, at its own size
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        assert chart.evaluate("img => img.complete && img.naturalWidth") > 300
        assert chart.bounding_box()["width"] > 300
        assert len(chart.get_attribute("alt")) > 40  # the text alternative
    context.close()


def test_figure_data_table_enters_the_page_when_its_details_open(server, browser):
    """A figure's data table is not in the DOM until a reader opens "Data behind Figure N" (it
    ships in a <template>): the page then has the table, wrapped as Material wraps tables.
    Without JavaScript the details still offer the CSV."""
    page = browser.new_page()
    page.goto(server + "briefings/tariffs/", wait_until="load")
    data = page.locator("details.portal-figure__data")
    assert data.count() >= 2 and page.locator("details.portal-figure__data td").count() == 0
    rows = page.evaluate("d => d.querySelector('template').content.querySelectorAll('tbody tr')"
                         ".length", data.first.element_handle())
    data.first.locator("summary").click()
    page.wait_for_function("d => d.querySelector('table')", arg=data.first.element_handle())
    assert data.first.locator(".md-typeset__scrollwrap > .md-typeset__table > table tbody tr"
                              ).count() == rows > 5
    assert data.nth(1).locator("td").count() == 0  # the others stay out until opened
    page.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "briefings/tariffs/", wait_until="load")
    page.locator("details.portal-figure__data summary").first.click()
    csv = page.locator("details.portal-figure__data a[download]").first
    assert csv.is_visible() and csv.get_attribute("href").endswith(".csv")
    context.close()


def test_interactive_figure_keeps_the_text_alternative(server, browser):
    page = browser.new_page()
    page.goto(server + "briefings/tariffs/", wait_until="load")
    alt = page.locator(".portal-figure__chart img").first.get_attribute("alt")
    assert wait_for_figures(page)[0] == "interactive"
    chart = page.locator(".portal-figure__chart").first
    assert chart.get_attribute("role") == "img" and chart.get_attribute("aria-label") == alt
    page.close()


def test_png_downloads_decode_to_exactly_what_vl_convert_drew(site, browser):
    """The PNGs are re-encoded (macros/png.py): Chromium decodes them to vl-convert's pixels."""
    page = browser.new_page()
    same = """async ([a, b]) => {
        const pixels = async src => { const i = new Image();
            i.src = 'data:image/png;base64,' + src; await i.decode();
            const c = document.createElement('canvas');
            [c.width, c.height] = [i.naturalWidth, i.naturalHeight];
            const g = c.getContext('2d'); g.drawImage(i, 0, 0);
            return g.getImageData(0, 0, c.width, c.height).data; };
        const [p, q] = [await pixels(a), await pixels(b)];
        return p.length === q.length && p.every((v, k) => v === q[k]); }"""
    for name in ("us_kor_trade_history", "us_partner_duty_rates"):
        folder = site / "assets/figures"
        spec = json.loads((folder / f"{name}.vl.json").read_text())
        drawn = vl_convert.vegalite_to_png(spec, vl_version=artefacts.VL_VERSION,
                                           scale=artefacts.PNG_SCALE)
        shipped = (folder / f"{name}.png").read_bytes()
        assert len(shipped) < len(drawn) / 2, name
        assert page.evaluate(same, [base64.b64encode(shipped).decode(),
                                    base64.b64encode(drawn).decode()]), name
    page.close()


def test_value_tooltip_carries_provenance(server, browser):
    page = browser.new_page()
    page.goto(server, wait_until="load")
    link = page.locator("a.portal-value[data-indicator='us_kor_balance']").first
    assert "Census" in link.get_attribute("title")
    link.click()
    page.wait_for_url("**/indicators/us_kor_balance/**")
    assert "US goods trade balance with Korea" in page.title()
    page.close()


AXE = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2 A/AA and best-practice violations on the loaded page, with targets."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target).join(' ')))")
BRIEFINGS = ["briefings/trade-balance/", "briefings/what-korea-sells/", "briefings/tariffs/",
             "briefings/investment/", "briefings/deficit-partners/", ""]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_no_violations_on_briefings_in_both_palettes(server, browser, scheme):
    # The palettes follow prefers-color-scheme (mkdocs.yml), as for a first-time reader.
    # bypass_csp: axe is injected as an inline script, which the pages' own CSP refuses
    page = browser.new_page(color_scheme="dark" if scheme == "slate" else "light",
                            bypass_csp=True)
    found = {}
    for path in BRIEFINGS:
        page.goto(server + path, wait_until="load")
        wait_for_figures(page)
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
        violations = axe_violations(page)
        if violations:
            found[path] = violations
    assert found == {}
    page.close()


def test_print_preview_keeps_static_figures(server, browser, tmp_path):
    page = browser.new_page()
    page.goto(server + "briefings/tariffs/", wait_until="load")
    page.emulate_media(media="print")
    assert page.locator(".portal-figure__downloads").first.is_hidden()
    assert page.locator("figure.portal-figure .portal-figure__chart :is(img, svg)").first.is_visible()
    pdf = page.pdf(path=str(SHOTS / "briefing-tariffs-print.pdf"))
    assert pdf[:4] == b"%PDF" and len(pdf) > 50_000
    page.close()


def test_cite_block_copy_button_copies_the_citation(server, browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    page.goto(server + "briefings/investment/", wait_until="load")
    page.locator("#cite-this-page summary").click()
    page.locator("#cite-this-page [data-portal-copy]").first.click()
    page.wait_for_function("document.querySelector('#cite-this-page [data-portal-copy]')"
                           ".textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Korea–US Trade Briefings. (") and "(Edition Dev)" in copied
    context.close()


# The smallest text of each chart in CSS px as a reader sees it: for the static chart, the SVG's
# own font-size × the width the <img> renders at ÷ the SVG's width; for the interactive chart,
# the computed font size × the rendered ÷ the drawn width of its <svg>.
STATIC_TEXT_PX = """async () => Promise.all([...document.querySelectorAll('.portal-figure__chart img')]
  .map(async img => {
    await img.decode();
    const doc = new DOMParser().parseFromString(
      await (await fetch(img.currentSrc)).text(), 'image/svg+xml');
    const sizes = [...doc.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')));
    const scale = img.getBoundingClientRect().width / parseFloat(doc.documentElement.getAttribute('width'));
    return {src: img.currentSrc, px: Math.min(...sizes) * scale};
  }))"""
INTERACTIVE_TEXT_PX = """() => [...document.querySelectorAll('.portal-figure__interactive svg')].map(svg => {
  const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.getBoundingClientRect().height)
    .map(t => parseFloat(getComputedStyle(t).fontSize));
  return {src: svg.closest('figure').id, px: Math.min(...sizes) * scale};
})"""


@pytest.mark.parametrize("javascript", [False, True], ids=["static", "interactive"])
def test_chart_text_is_legible_on_a_phone(server, browser, javascript):
    """At 390 px wide the browser picks each figure's narrow layout (a <picture> source; the
    interactive chart applies the same patch), so axis labels and legends stay ≥ 11 CSS px."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in ("briefings/tariffs/", "briefings/trade-balance/"):
        page.goto(server + path, wait_until="load")
        if javascript:
            assert set(wait_for_figures(page)) == {"interactive"}
            charts = page.evaluate(INTERACTIVE_TEXT_PX)
        else:
            for img in page.locator(".portal-figure__chart img").all():
                img.scroll_into_view_if_needed()
            charts = page.evaluate(STATIC_TEXT_PX)
            assert all("/narrow/" in c["src"] for c in charts), charts
        assert len(charts) >= 2
        for chart in charts:
            assert chart["px"] >= 11, f"{path}: {chart['src']}: chart text at {chart['px']:.1f} px"
    context.close()


def test_chart_libraries_load_only_when_a_reader_reaches_for_a_chart(server, browser):
    """A chart page costs what a page without charts costs until a reader points at, touches or
    tabs into a chart: no vega, no chart font; then that chart turns interactive in place, at the
    static chart's size."""
    page = browser.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + "briefings/trade-balance/", wait_until="networkidle")
    page.wait_for_timeout(500)
    assert not [u for u in requested if "/vendor/" in u or "/fonts/" in u], requested
    figure = page.locator("figure.portal-figure").first
    static = figure.locator(".portal-figure__chart").bounding_box()
    figure.locator(".portal-figure__chart").hover()
    page.wait_for_function("f => f.dataset.state === 'interactive'", arg=figure.element_handle(),
                           timeout=15000)
    assert any(u.endswith("/vendor/vega.min.js") for u in requested)
    interactive = figure.locator(".portal-figure__chart").bounding_box()
    assert abs(interactive["height"] - static["height"]) <= 2, (static, interactive)
    page.close()
