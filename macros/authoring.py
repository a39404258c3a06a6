"""The author-facing macros, as plain functions of a page context: what a page may call.

Every macro is declared once in MACROS; the author reference page and the tests read that
declaration. A macro returns Markdown or inline HTML; it never computes an indicator itself.
HTML comes from the templates in macros/templates/ through render.page_fragment, Markdown cells
through render.md: every string from data is escaped on the way (macros/render.py).
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

import pandas as pd

from . import artefacts, cite_html, citations, datasets, figures, indicators, periods, render
from .errors import PortalError
from .formatting import decimals_of, format_value
from .periods import note as period_note, of_frequency, pick_frequency


@dataclass
class PageContext:
    """What one page has used so far: for its source list and its figure numbers."""

    src: str
    url: str
    title: str = ""
    site_url: str = ""
    edition: str = "dev"
    year: str = ""
    datasets: dict = field(default_factory=dict)   # ordered set of dataset ids
    reports: dict = field(default_factory=dict)    # ordered set of report ids
    figures: list = field(default_factory=list)
    links_from: str | None = None  # where the generator resolves its relative links from,
    #                                when not the page's URL (see link)

    def link(self, target: str) -> str:
        """`target` (a site-root path) relative to where the generator reads this page's links
        from: its URL on MkDocs, which leaves links in HTML alone, and its source file's folder
        on Zensical, which rewrites every relative link as if written in the Markdown file."""
        base = self.url if self.links_from is None else self.links_from
        return "../" * base.count("/") + target

    def use_indicator(self, indicator_id: str) -> indicators.Indicator:
        ind = indicators.get(indicator_id)
        for d in ind.sources():
            self.datasets[d] = True
        return ind


FIGURES_USED: dict[str, figures.Figure] = {}  # every figure some page shows: its artefacts ship
FIGURE_CITATIONS: dict[str, dict] = {}  # figure id -> the CSL record its downloads cite
NUMBERS_USED: dict[str, list] = {}  # page src -> the observations its text shows, for reviews


def shows(page: PageContext, indicator_id: str, obs: pd.Series, dims: dict) -> None:
    """Note that `page` shows this observation (a refresh review lists the pages a move reaches)."""
    entry = {"indicator": indicator_id, "period": str(obs["period"]),
             **{k: str(v) for k, v in dims.items()}}
    used = NUMBERS_USED.setdefault(page.src, [])
    if entry not in used:
        used.append(entry)


def a(href: str, text: str, *, where: str = "link") -> str:
    """An HTML link (MkDocs checks Markdown links against docs/, and these point at build
    output); `href` must be http(s) or site-relative, else a build error naming `where`."""
    return render.link(href, text, where=where)


def _attr(text: str) -> str:
    """Attribute text on one line, escaped (render.escape)."""
    return render.escape(render.oneline(text))


def provenance(ind: indicators.Indicator, obs: pd.Series) -> str:
    """The tooltip text: indicator, period, sources with vintage, formula."""
    sources = "; ".join(f"{datasets.get(d).publisher}, {datasets.get(d).title} "
                        f"({datasets.get(d).vintage})" for d in ind.sources())
    parts = [f"{ind.title} ({ind.id}), {obs['period']}", f"Source: {sources}",
             f"Formula: {ind.formula}"]
    if obs.get("vintage", ""):
        parts.insert(2, f"Vintage: {obs['vintage']}")
    if periods.is_partial(obs["frequency"], obs["months"]):
        parts.insert(1, f"Note: covers {periods.words(obs['period'], obs['frequency'], obs['months'])}"
                        " only")
    return " · ".join(parts)


def value(page: PageContext, indicator_id: str, period, *, digits: int | None = None,
          magnitude: bool = False, frequency: str | None = None, partial: bool = True,
          **dims) -> str:
    """A number from an indicator, with unit and provenance; `period="latest"` (with
    `frequency=` when the indicator has several, `partial=False` for the latest complete
    period) rolls forward with the data. `{{ value("us_kor_balance", 2024) }}`"""
    ind = page.use_indicator(indicator_id)
    obs = indicators.observation(indicator_id, period, frequency=frequency, partial=partial,
                                 **dims)
    shows(page, indicator_id, obs, dims)
    text = format_value(obs["value"], ind.unit, digits=digits, magnitude=magnitude)
    record, cite = citations.number_citation(
        citations.current(page.edition, page.site_url), indicator_id=ind.id, title=ind.title,
        period=str(obs["period"]), dims=dims,
        publishers=[datasets.get(d).publisher for d in ind.sources()])
    if periods.is_partial(obs["frequency"], obs["months"]):
        text += f" ({periods.month_span(obs['period'], obs['months'], short=True)})"
    for rid in str(obs.get("reported_id", "")).split(" ÷ "):
        if rid:
            page.reports[citations.reported_figure(rid)["report"]] = True
    return render.page_fragment(
        "value.html", href=page.link(f"indicators/{ind.id}/") + f"#p-{obs['period']}",
        indicator=ind.id, period=obs["period"], value=repr(float(obs["value"])), dims=dims,
        citation=json.dumps(record, ensure_ascii=False, separators=(",", ":")),
        title=provenance(ind, obs) + " · Cite as: " + cite, text=text)


def reported(page: PageContext, figure_id: str, *, digits: int | None = None) -> str:
    """A figure quoted from a report, with its citation. `{{ reported("kita_2025_kr_exports_to_us") }}`"""
    row = citations.reported_figure(figure_id)
    page.reports[row["report"]] = True
    page.datasets[citations.REPORTED] = True
    shown = format_value(row["value"], row["unit"],
                         digits=decimals_of(row["value"]) if digits is None else digits)
    note = row["period_note"] if isinstance(row["period_note"], str) else ""
    title = (f"Reported figure ({row['basis']}): {row['description']} Period: {row['period']}"
             f"{', ' + note if note else ''}. Quoted from {citations.full_cite(row['report'])}, "
             f"{row['location']}.")
    return render.page_fragment(
        "reported.html", href=page.link("data/reported_figures/") + f"#{row['id']}",
        id=row["id"], value=repr(float(row["value"])), title=title, text=shown,
        cite=citations.short_cite(row["report"]))


def figure(page: PageContext, figure_id: str) -> str:
    """A numbered figure: static SVG, caption, sources, downloads, data table. `{{ figure("us_kor_trade_history") }}`"""
    fig = figures.get(figure_id)
    for i in fig.indicators:
        page.use_indicator(i)
    page.figures.append(fig.id)
    FIGURES_USED[fig.id] = fig
    drawn = list(dict.fromkeys(fig.drawn()["period"]))
    used = NUMBERS_USED.setdefault(page.src, [])
    used += [{"indicator": i, "period": str(p), "figure": fig.id}
             for i in fig.indicators for p in drawn]
    number = len(page.figures)
    base = page.link(f"assets/figures/{fig.id}")
    # The static chart is the figure's shared .svg download, referenced (not inlined): a page
    # names its edition, the .svg does not, so unchanged figures cost nothing in a new edition.
    # On a phone the browser picks the narrow layout (artefacts.narrow_patch), without script.
    size = re.compile(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)"')
    width, height = size.search(artefacts.svg(fig)).groups()
    n_width, n_height = size.search(artefacts.narrow_svg(fig)).groups()
    narrow = page.link(f"assets/figures/narrow/{fig.id}") + ".svg"
    chart = (f'<picture><source media="{artefacts.NARROW_MEDIA}" srcset="{narrow}" '
             f'width="{n_width}" height="{n_height}">'
             f'<img src="{base}.svg" alt="{_attr(fig.alt_text())}" width="{width}" '
             f'height="{height}" decoding="async"></picture>')
    downloads = [{"name": name, "href": base + ext} for name, ext in
                 (("PNG", ".png"), ("SVG", ".svg"), ("CSV", ".csv"),
                  ("Vega-Lite spec", ".vl.json"), ("Metadata", ".json"))]
    indicator_links = [{"href": page.link(f"indicators/{i}/"), "title": indicators.get(i).title}
                       for i in fig.indicators]
    ed = citations.current(page.edition, page.site_url)
    record = citations.figure_record(
        ed, figure_id=fig.id, title=fig.title, number=number, page_title=page.title,
        path=page.url, publishers=[datasets.get(d).publisher for i in fig.indicators
                                   for d in indicators.get(i).sources()])
    cited = FIGURE_CITATIONS.get(fig.id)
    if cited is None or (page.src.startswith("briefings/") and "/briefings/" not in cited["URL"]):
        FIGURE_CITATIONS[fig.id] = record  # the downloads cite the first briefing showing it
    cite = cite_html.block(citations.citation_forms(record, ed), ed,
                           summary=f"Cite Figure {number}", css_class="portal-figure__cite",
                           data_line=f"Data: {artefacts.sources_line(fig)}.")
    return render.page_fragment(
        "figure.html", id=fig.id,  # data-* is no link: no generator rewrites it (see link)
        spec="../" * page.url.count("/") + f"assets/figures/{fig.id}.vl.json",
        narrow_media=artefacts.NARROW_MEDIA,
        narrow=json.dumps(artefacts.narrow_patch(fig), separators=(",", ":"), ensure_ascii=False),
        chart=render.Markup(chart),  # its one data string, the alt text, escaped by _attr
        number=number, title=fig.title, caption=fig.caption,
        sources=artefacts.sources_line(fig), indicators=indicator_links, downloads=downloads,
        csv=base + ".csv",
        table=_figure_table(fig), cite=cite)


@functools.cache
def _figure_table(fig: figures.Figure) -> str:
    """The figure's data table, made once per build however many pages show the figure."""
    return _html_table(fig.drawn())


def _html_table(frame: pd.DataFrame) -> str:
    """The rows a figure draws, as a reader reads them: the period in words (as `period`), the
    values and their dimensions; coverage only where some row is partial. The CSV download keeps
    every column (codes, dates, frequency, months), which this table would repeat in every
    edition of every page that shows the figure."""
    if "label" in frame.columns:
        frame = frame.drop(columns=[c for c in ("period", "date", "frequency", "months")
                                    if c in frame.columns]).rename(columns={"label": "period"})
    if "coverage" in frame.columns and (frame["coverage"] == figures.COMPLETE).all():
        frame = frame.drop(columns="coverage")
    return render.page_fragment(
        "data_table.html", columns=[str(c) for c in frame.columns],
        rows=[[f"{v:,.3f}" if isinstance(v, float) else str(v) for v in row]
              for row in frame.itertuples(index=False)])


def table(page: PageContext, indicator_id: str, *, periods: list | None = None,
          last: int | None = None, frequency: str | None = None) -> str:
    """An indicator's observations of one frequency as a table (`frequency=` when it has
    several). `{{ table("us_kor_import_enduse_share") }}`"""
    ind = page.use_indicator(indicator_id)
    data = indicators.observations(indicator_id)
    data = of_frequency(data, pick_frequency(data, frequency, f"indicator {indicator_id!r}"))
    if periods is not None:
        wanted = [str(p) for p in periods]
        missing = [p for p in wanted if p not in set(data["period"])]
        if missing:
            raise PortalError(f"indicator {indicator_id!r} has no period {missing[0]!r}; it has "
                              f"{data['period'].iloc[0]} … {data['period'].iloc[-1]}")
        data = data[data["period"].isin(wanted)]
    if last is not None:
        keep = list(dict.fromkeys(data["period"]))[-last:]
        data = data[data["period"].isin(keep)]
    header = ["Period", *[d.capitalize() for d in ind.dimensions], f"Value ({ind.unit})", "Note"]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---|" * len(ind.dimensions) + "--:|---|"]
    anchored = set()  # value() links to #p-<period>: the first row of each period carries it
    for _, obs in data.iterrows():
        first = obs["period"] not in anchored
        anchored.add(obs["period"])
        period = render.md(obs["period"])
        cells = [f'<span id="p-{period}"></span>{period}' if first else period,
                 *[render.md(obs[d]) for d in ind.dimensions],
                 format_value(obs["value"], ind.unit, digits=2 if ind.unit != "rank" else 0),
                 render.md(period_note(obs["frequency"], obs["months"], obs["period"]))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def sources(page: PageContext) -> str:
    """The datasets and reports this page's numbers come from. `{{ sources() }}`"""
    items = []
    for d in page.datasets:
        ds = datasets.get(d)
        items.append(f"- {render.md(ds.publisher)}: {a(page.link(f'data/{d}/'), ds.title)} — "
                     f"vintage: {render.md(ds.vintage)}.")
    for r in page.reports:
        items.append(f"- {citations.full_cite_html(r)}")
    if not items:
        raise PortalError("sources() found no value, figure, table or reported figure before it "
                          "on this page; put it at the end of the page, after the numbers")
    return "\n".join(items) + "\n"
