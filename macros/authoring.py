"""The author-facing macros, as plain functions of a page context: what a page may call.

Every macro is declared once in MACROS; the author reference page and the tests read that
declaration. A macro returns Markdown or inline HTML; it never computes an indicator itself.
HTML comes from the templates in macros/templates/ through render.page_fragment, Markdown cells
through render.md: every string from data is escaped on the way (macros/render.py).
"""
from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass, field

import pandas as pd

from . import (artefacts, cite_html, citations, datasets, figure_text, figures, i18n, indicators,
               periods, render, slots)
from .errors import PortalError
from .formatting import decimals_of, format_value
from .periods import note as period_note, of_frequency, pick_frequency, words as period_words


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
    figure_records: list = field(default_factory=list)  # (figure id, the CSL record it cites)
    links_from: str | None = None  # where the generator resolves its relative links from,
    #                                when not the page's URL (see link)
    lang: str = "en"                 # the page's language (the build's theme.language)
    local: frozenset | None = None   # the site paths a translated build has; None: all of them

    def link(self, target: str, *, from_url: bool = False, own: bool = False) -> str:
        """`target` (a site-root path) relative to where the generator reads this page's links
        from: its URL on MkDocs, which leaves links in HTML alone, and its source file's folder
        on Zensical, which rewrites every relative link as if written in the Markdown file
        (`from_url`: from the URL whatever the generator, for data-* attributes no generator
        rewrites). In a translated build, a target it does not have (an indicator page, a
        download) is the English build's, one folder up (/ko/… -> /…), unless it is a file the
        translated build writes itself (`own`: its charts)."""
        base = self.url if self.links_from is None or from_url else self.links_from
        up = "../" * base.count("/")
        if self.local is not None and not own and target.split("#")[0] not in self.local:
            up += "../"
        return up + target

    @property
    def file(self) -> str:
        """The page's source as its author finds it: docs/… (English) or docs-<lang>/…"""
        return f"docs/{self.src}" if self.lang == "en" else f"docs-{self.lang}/{self.src}"

    def _(self, msgid: str, **values) -> str:
        """An interface string in the page's language (macros/locale/<lang>/…/portal.po)."""
        return i18n.t(self.lang, msgid, **values)

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


_SITE_PATH = re.compile(r"(?:[a-z0-9_][a-z0-9_.-]*/)+(?:#[A-Za-z0-9_-]+)?")


def link(page: PageContext, target: str, text: str, *, english: bool = False) -> str:
    """A link to a page of the site by its site path (a page's folder, `#anchor` optional): the
    page in this page's language where there is one (`english=True`: the English page), else
    the English page, written as each site generator reads links (MkDocs from the page's URL,
    Zensical from its source file). For what a Markdown link to a `.md` file cannot reach: a
    Korean page's link to a page only the English build has.
    `{{ link("data/reported_figures/", "Reported figures") }}`"""
    if not isinstance(target, str) or not _SITE_PATH.fullmatch(target):
        raise PortalError(f"link({target!r}): give a page's site path such as "
                          "'about/methodology/' or 'data/reported_figures/#kita_2025', "
                          "relative to the site root, ending in '/' before any '#anchor'")
    if english and page.local is not None:
        page = dataclasses.replace(page, local=frozenset())  # no page here: the English one
    return a(page.link(target), text, where=f"link({target!r})")


def use_figure(src: str, figure_id: str, record: dict) -> None:
    """Page `src` shows the figure, citing it as `record`: its artefacts ship, and its downloads
    cite the first briefing that shows it (else the first page)."""
    FIGURES_USED[figure_id] = figures.get(figure_id)
    cited = FIGURE_CITATIONS.get(figure_id)
    if cited is None or (src.startswith("briefings/") and "/briefings/" not in cited["URL"]):
        FIGURE_CITATIONS[figure_id] = record


def _attr(text: str) -> str:
    """Attribute text on one line, escaped (render.escape)."""
    return render.escape(render.oneline(text))


def dataset_line(dataset_id: str, lang: str = "en") -> str:
    """'U.S. Census Bureau, <title> (<vintage>)' in `lang`."""
    ds = datasets.get(dataset_id)
    return (f"{i18n.dataset(ds, 'publisher', lang)}, {i18n.dataset(ds, 'title', lang)} "
            f"({i18n.dataset(ds, 'vintage', lang)})")


def provenance(ind: indicators.Indicator, obs: pd.Series, lang: str = "en") -> str:
    """The tooltip text: indicator, period, sources with vintage, formula."""
    _ = i18n.gettext_for(lang)
    sources = "; ".join(dataset_line(d, lang) for d in ind.sources())
    period = obs["period"] if lang == "en" else \
        periods.words(obs["period"], obs["frequency"], obs["months"], lang=lang)
    parts = [f"{i18n.indicator(ind, 'title', lang)} ({ind.id}), {period}",
             _("Source: %(sources)s", sources=sources),
             _("Formula: %(formula)s", formula=i18n.indicator(ind, "formula", lang))]
    if obs.get("vintage", ""):
        parts.insert(2, _("Vintage: %(vintage)s",
                          vintage=i18n.row_vintage(ind, obs["vintage"], lang)))
    if periods.is_partial(obs["frequency"], obs["months"]):
        parts.insert(1, _("Note: covers %(period)s only", period=periods.words(
            obs["period"], obs["frequency"], obs["months"], lang=lang)))
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
    text = format_value(obs["value"], ind.unit, digits=digits, magnitude=magnitude,
                        lang=page.lang)
    record, cite = citations.number_citation(
        citations.current(page.edition, page.site_url), indicator_id=ind.id,
        title=i18n.indicator(ind, "title", page.lang),
        period=str(obs["period"]), dims=dims, lang=page.lang,
        publishers=[i18n.dataset(datasets.get(d), "publisher", page.lang) for d in ind.sources()])
    if periods.is_partial(obs["frequency"], obs["months"]):
        text += f" ({periods.month_span(obs['period'], obs['months'], short=True, lang=page.lang)})"
    for rid in str(obs.get("reported_id", "")).split(" ÷ "):
        if rid:
            page.reports[citations.reported_figure(rid)["report"]] = True
    return slots.opening_tag(render.page_fragment(  # its record and tooltip: after Markdown
        "value.html", href=page.link(f"indicators/{ind.id}/") + f"#p-{obs['period']}",
        indicator=ind.id, period=obs["period"], value=repr(float(obs["value"])), dims=dims,
        citation=json.dumps(record, ensure_ascii=False, separators=(",", ":")),
        title=provenance(ind, obs, page.lang) + " · " + page._("Cite as: %(cite)s", cite=cite),
        text=text))


def reported(page: PageContext, figure_id: str, *, digits: int | None = None) -> str:
    """A figure quoted from a report, with its citation. `{{ reported("kita_2025_kr_exports_to_us") }}`"""
    row = citations.reported_figure(figure_id)
    page.reports[row["report"]] = True
    page.datasets[citations.REPORTED] = True
    shown = format_value(row["value"], row["unit"],
                         digits=decimals_of(row["value"]) if digits is None else digits,
                         lang=page.lang)
    note = row["period_note"] if isinstance(row["period_note"], str) else ""
    period = row["period"] if isinstance(row["period"], str) else ""  # some reports give none
    if page.lang == "en":
        title = (f"Reported figure ({row['basis']}): {row['description']} Period: "
                 f"{', '.join(filter(None, [period, note]))}. Quoted from "
                 f"{citations.full_cite(row['report'])}, {row['location']}.")
    else:
        folder = datasets.get(citations.REPORTED).folder
        tr = lambda f, en: i18n.reported(folder, figure_id, f, page.lang, en)  # noqa: E731
        title = page._("Reported figure (%(basis)s): %(description)s Period: %(period)s. "
                       "Quoted from %(cite)s, %(location)s.", basis=page._(row["basis"]),
                       description=tr("description", row["description"]),
                       period=", ".join(filter(None, [period, note and tr("period_note", note)])),
                       cite=citations.full_cite(row["report"], lang=page.lang),
                       location=tr("location", row["location"]))
    return render.page_fragment(
        "reported.html", href=page.link("data/reported_figures/") + f"#{row['id']}",
        id=row["id"], value=repr(float(row["value"])), title=title, text=shown,
        cite=citations.short_cite(row["report"]), lang=page.lang)


def figure(page: PageContext, figure_id: str) -> str:
    """A numbered figure: static SVG, caption, sources, downloads, data table. `{{ figure("us_kor_trade_history") }}`"""
    fig = figures.get(figure_id)
    for i in fig.indicators:
        page.use_indicator(i)
    page.figures.append(fig.id)
    drawn = list(dict.fromkeys(fig.drawn()["period"]))
    used = NUMBERS_USED.setdefault(page.src, [])
    used += [{"indicator": i, "period": str(p), "figure": fig.id}
             for i in fig.indicators for p in drawn]
    number = len(page.figures)
    # The chart and its data in the page's language: a translated build writes its own
    # (chart_language.py; artefacts.csv)
    base = page.link(f"assets/figures/{fig.id}", own=True)
    # The static chart is the figure's shared .svg download, referenced (not inlined): a page
    # names its edition, the .svg does not, so unchanged figures cost nothing in a new edition.
    # On a phone the browser picks the narrow layout (artefacts.narrow_patch), without script.
    artefacts.draw_later(fig, page.lang)  # its PNG too, drawn while the pages go on rendering
    width, height = artefacts.size(fig, page.lang)
    n_width, n_height = artefacts.size(fig, page.lang, narrow=True)
    narrow = page.link(f"assets/figures/narrow/{fig.id}", own=True) + ".svg"
    words = figure_text.in_language(fig, page.lang)  # title, caption, alt text, sources line
    chart = (f'<picture><source media="{artefacts.NARROW_MEDIA}" srcset="{narrow}" '
             f'width="{n_width}" height="{n_height}">'
             f'<img src="{base}.svg" alt="{_attr(words["alt"])}" width="{width}" '
             f'height="{height}" decoding="async"></picture>')
    downloads = [{"name": page._(name), "href": base + ext}
                 for name, ext in (("PNG", ".png"), ("SVG", ".svg"), ("CSV", ".csv"),
                                   ("Vega-Lite spec", ".vl.json"), ("Metadata", ".json"))]
    indicator_links = [{"href": page.link(f"indicators/{i}/"),
                        "title": i18n.indicator(indicators.get(i), "title", page.lang)}
                       for i in fig.indicators]
    ed = citations.current(page.edition, page.site_url)
    record = citations.figure_record(
        ed, figure_id=fig.id, title=words["title"], number=number, page_title=page.title,
        path=page.url, lang=page.lang,
        publishers=[i18n.dataset(datasets.get(d), "publisher", page.lang) for i in fig.indicators
                    for d in indicators.get(i).sources()])
    page.figure_records.append((fig.id, record))
    use_figure(page.src, fig.id, record)
    cite = cite_html.block(citations.citation_forms(record, ed), ed,
                           summary=page._("Cite Figure %(number)s", number=number),
                           css_class="portal-figure__cite",
                           data_line=page._("Data: %(sources)s.", sources=words["sources"]),
                           lang=page.lang)
    return render.page_fragment(
        "figure.html", id=fig.id,  # data-* is no link: no generator rewrites it (see link)
        spec=page.link(f"assets/figures/{fig.id}.vl.json", from_url=True, own=True),
        narrow_media=artefacts.NARROW_MEDIA,
        narrow=json.dumps(artefacts.narrow_patch(fig, page.lang), separators=(",", ":"),
                          ensure_ascii=False),
        chart=render.Markup(chart),  # its one data string, the alt text, escaped by _attr
        number=number, title=words["title"], caption=words["caption"],
        sources=words["sources"], indicators=indicator_links, downloads=downloads,
        csv=base + ".csv", table=slots.element(_figure_table(fig, page.lang)),  # search skips
        cite=slots.element(cite), lang=page.lang)  # both: they enter after Markdown (slots)


@functools.cache
def _figure_table(fig: figures.Figure, lang: str) -> str:
    """The figure's data table, made once per build and language however many pages show it."""
    decimals = 0 if fig.units() <= WHOLE_UNITS else 3  # a rank reads 9, not 9.000
    if lang == "en":
        return _html_table(fig.drawn(), decimals=decimals)
    return _html_table(figure_text.drawn(fig, lang), lang=lang, decimals=decimals)


WHOLE_UNITS = {"rank", "count"}  # units whose values are whole numbers


def _html_table(frame: pd.DataFrame, lang: str = "en", decimals: int = 3) -> str:
    """The rows a figure draws, as a reader reads them: the period in words (as `period`), the
    values and their dimensions; coverage only where some row is partial. The CSV download keeps
    every column (codes, dates, frequency, months), which this table would repeat in every
    edition of every page that shows the figure."""
    if "label" in frame.columns:
        frame = frame.drop(columns=[c for c in ("period", "date", "frequency", "months")
                                    if c in frame.columns]).rename(columns={"label": "period"})
    if "coverage" in frame.columns and (frame["coverage"] == figures.COMPLETE).all():
        frame = frame.drop(columns="coverage")
    if lang != "en":  # codes the table shows as words
        frame = frame.assign(**{c: [i18n.t(lang, f"{c}: {v}") for v in frame[c]]
                                for c in ("coverage", "frequency") if c in frame.columns})
    columns = [str(c) for c in frame.columns] if lang == "en" else \
        [i18n.t(lang, f"column: {c}") for c in frame.columns]
    return render.page_fragment(
        "data_table.html", columns=columns,
        rows=[[f"{v:,.{decimals}f}" if isinstance(v, float) else str(v) for v in row]
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
    ko = page.lang != "en"  # the words in the page's language: headers, periods, dimensions
    header = [page._("Period"), *[page._(f"column: {d}") if ko else d.capitalize()
                                  for d in ind.dimensions],
              page._("Value (%(unit)s)", unit=page._(f"unit: {ind.unit}") if ko else ind.unit),
              page._("Note")]
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---|" * len(ind.dimensions) + "--:|---|"]
    anchored = set()  # value() links to #p-<period>: the first row of each period carries it
    for _, obs in data.iterrows():
        first = obs["period"] not in anchored
        anchored.add(obs["period"])
        anchor = render.md(obs["period"])
        period = render.md(period_words(obs["period"], obs["frequency"], obs["months"],
                                        lang=page.lang)) if ko else anchor
        cells = [f'<span id="p-{anchor}"></span>{period}' if first else period,
                 *[render.md(i18n.dimension(d, obs[d], page.lang)) for d in ind.dimensions],
                 format_value(obs["value"], ind.unit, digits=2 if ind.unit != "rank" else 0,
                              lang=page.lang),
                 render.md(period_note(obs["frequency"], obs["months"], obs["period"],
                                       lang=page.lang))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def sources(page: PageContext) -> str:
    """The datasets and reports this page's numbers come from. `{{ sources() }}`"""
    items = []
    for d in page.datasets:
        ds = datasets.get(d)
        name = lambda f: i18n.dataset(ds, f, page.lang)  # noqa: E731
        items.append(f"- {render.md(name('publisher'))}: {a(page.link(f'data/{d}/'), name('title'))}"
                     f" — {render.md(page._('vintage: %(vintage)s.', vintage=name('vintage')))}")
    for r in page.reports:
        items.append(f"- {citations.full_cite_html(r, lang=page.lang)}")
    if not items:
        raise PortalError("sources() found no value, figure, table or reported figure before it "
                          "on this page; put it at the end of the page, after the numbers")
    return "\n".join(items) + "\n"
