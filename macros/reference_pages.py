"""Macros behind the generated pages: one page per indicator and per dataset, their indexes,
the list of reported figures and the macro reference. Each returns Markdown: strings from data
go through render.md (cells, headings, items), links through authoring.a (checked URLs), HTML
through templates (macros/render.py)."""
from __future__ import annotations

import inspect

from . import (citations, datasets, download_parts, editions, figures, i18n, indicators, periods,
               render)
from .authoring import PageContext, a, figure, table
from .formatting import decimals_of, format_value


def indicator_page(page: PageContext, indicator_id: str) -> str:
    """Definition, unit, sources, chart, table and downloads of one indicator. `{{ indicator_page("us_kor_balance") }}`"""
    ind = page.use_indicator(indicator_id)
    sources = ", ".join(a(page.link(f"data/{d}/"), datasets.get(d).title) for d in ind.sources())
    uses = ", ".join(a(page.link(f"indicators/{i}/"), indicators.get(i).title)
                     for i in ind.indicators)
    rows = [("Id", f"`{ind.id}`"), ("Unit", ind.unit), ("Basis", ind.basis),
            ("Formula", render.md(ind.formula)), ("Datasets", sources)]
    if uses:
        rows.append(("Computed from", uses))
    if ind.dimensions:
        rows.append(("Dimensions", ", ".join(f"`{d}`" for d in ind.dimensions)))
    data = indicators.observations(ind.id)
    frequencies = periods.frequencies(data)
    rows.append(("Coverage", "; ".join(
        f"{f}: {periods.span(periods.of_frequency(data, f))}"
        + (f" ({periods.partial_note(periods.of_frequency(data, f))})"
           if periods.partial_note(periods.of_frequency(data, f)) else "")
        for f in frequencies)))
    rows.append(("Download", a(page.link(f"api/indicators/{ind.id}.csv"), "CSV") + " · " +
                 a(page.link("api/indicators.json"), "all indicators, JSON")))
    facts = "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)
    parts = [f"# {ind.title}", render.md(ind.definition), facts]
    for f in frequencies:
        if len(frequencies) > 1:
            parts.append(f"## {f.capitalize()} observations")
        parts.append(figure(page, figures.indicator_figure_id(ind.id, f)))
        if len(frequencies) == 1:
            parts.append("## Observations")
        parts.append(table(page, ind.id, frequency=f))
    return "\n\n".join(parts)


def indicator_index(page: PageContext) -> str:
    """A table of every registered indicator. `{{ indicator_index() }}`"""
    _, lang = page._, page.lang
    header = [_("Indicator"), _("Id"), _("Unit"), _("Basis"), _("Formula")]
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|---|---|"]
    for ind in indicators.REGISTRY.values():
        unit, basis = (ind.unit, ind.basis) if lang == "en" else \
            (_(f"unit: {ind.unit}"), _(f"basis: {ind.basis}"))
        formula = i18n.indicator(ind, "formula", lang).replace("|", "/")
        lines.append(f"| {a(page.link(f'indicators/{ind.id}/'), i18n.indicator(ind, 'title', lang))}"
                     f" | `{ind.id}` | {unit} | {basis} | {render.md(formula)} |")
    return "\n".join(lines) + "\n"


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    return ", ".join(f"{k}: {v}" for k, v in c.items()) or "—"


def _descriptor_link(dataset_id: str, entry: dict, where: str, fallback: str) -> str:
    """A source or licence: a link when it has a path (http(s) only), else its title."""
    title = entry.get("title", entry.get(fallback, ""))
    if not entry.get("path"):
        return render.md(title)
    return a(entry["path"], title or entry["path"],
             where=f"data/{dataset_id}/datapackage.json: {where}.path")


def dataset_page(page: PageContext, dataset_id: str) -> str:
    """The rendered descriptor of one dataset: source, licence, vintage, schema, downloads. `{{ dataset_page("us_korea_goods_trade") }}`"""
    ds = datasets.get(dataset_id)
    page.datasets[dataset_id] = True
    d = ds.descriptor
    coverage = d.get("temporal_coverage", {})
    srcs = "<br>".join(_descriptor_link(dataset_id, s, f"sources[{i}]", "path")
                       for i, s in enumerate(d["sources"]))
    lic = "<br>".join(_descriptor_link(dataset_id, x, f"licenses[{i}]", "name")
                      for i, x in enumerate(d["licenses"]))
    facts = [("Id", f"`{ds.id}`"), ("Publisher", render.md(ds.publisher)),
             ("Vintage", render.md(ds.vintage)), ("Accessed", render.md(d.get("accessed", "—"))),
             ("Coverage", render.md(f"{coverage.get('start', '?')} – {coverage.get('end', '?')}")),
             ("Sources", srcs), ("Licence", lic),
             ("Descriptor", a(page.link(f"data/{dataset_id}/datapackage.json"),
                              "datapackage.json"))]
    parts = [f"# {render.md(ds.title)}", render.md(d.get("description", "")),
             "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in facts)]
    for res in ds.resources:
        n = len(ds.table(res["name"]))
        parts.append(f"## {render.md(res.get('title', res['name']))}")
        parts.append(f"{render.md(res.get('description', ''))}\n\n"
                     f"{_downloads(page.link(f'data/{dataset_id}/'), ds, res['path'])} "
                     f"· {n:,} rows · primary key: "
                     f"<code>{render.md(', '.join(res['schema'].get('primaryKey', []) or ['—']))}"
                     "</code>")
        lines = ["| Field | Type | Unit | Description | Constraints |", "|---|---|---|---|---|"]
        for f in res["schema"]["fields"]:
            desc = str(f.get("description", f.get("title", ""))).replace("|", "/")
            lines.append(f"| <code>{render.md(f['name'])}</code> | "
                         f"{render.md(f.get('type', 'string'))} | {render.md(f.get('unit', ''))} | "
                         f"{render.md(desc)} | {render.md(_constraints(f).replace('|', '/'))} |")
        parts.append("\n".join(lines))
    if dataset_id == citations.REPORTED:
        parts.append(reported_figures_list(page))
    return "\n\n".join(parts) + "\n"


def _downloads(folder: str, ds, path: str) -> str:
    """The resource's download link; a file split by year (macros/download_parts.py) links its
    parts too, which are this edition's copy (a published edition keeps the whole file only as
    the latest edition's)."""
    link = a(folder + path, f"Download {path}")  # folder: the dataset's, from this page
    parts = download_parts.of_file(ds.folder / path)
    if parts is None:
        return link
    years = " · ".join(a(f"{folder}{download_parts.folder(path)}/{y}.csv", y) for y in parts)
    return (f"{link} (the whole file; in a published edition, the latest edition's copy) · "
            f"this edition by year, each with the header: {years}")


def reported_figures_list(page: PageContext) -> str:
    """Every reported figure with its report and place in it, each with an anchor. `{{ reported_figures_list() }}`"""
    rows = []
    for r in citations.figures().itertuples():
        page.reports[r.report] = True
        rows.append({"id": r.id, "shown": format_value(r.value, r.unit, digits=decimals_of(r.value)),
                     "period": str(r.period), "description": r.description, "basis": r.basis,
                     "cite": citations.short_cite(r.report), "location": r.location})
    return ("## The reported figures\n\n"
            f'{render.page_fragment("reported_list.html", rows=rows)}\n')


def dataset_index(page: PageContext) -> str:
    """A table of every dataset with publisher and vintage. `{{ dataset_index() }}`"""
    lines = ["| Dataset | Publisher | Vintage |", "|---|---|---|"]
    for dataset_id in datasets.ids():
        ds = datasets.get(dataset_id)
        lines.append(f"| {a(page.link(f'data/{dataset_id}/'), ds.title)} | "
                     f"{render.md(ds.publisher)} | {render.md(ds.vintage)} |")
    return "\n".join(lines) + "\n"


def macro_reference(page: PageContext) -> str:
    """The list of author macros with signature and usage, read from the registry. `{{ macro_reference() }}`"""
    from .registry import MACROS
    out = []
    for name, fn in MACROS.items():
        params = list(inspect.signature(fn).parameters.values())[1:]
        sig = ", ".join(str(p) for p in params)
        doc = inspect.getdoc(fn) or ""
        summary, _, example = doc.partition("`")
        out.append(f"### `{name}({sig})`\n\n{summary.strip()}\n\n```jinja\n"
                   f"{example.rstrip('`').strip()}\n```")
    return "\n\n".join(out) + "\n"


def changes(page: PageContext) -> str:
    """Numbers that moved since the previous edition, with the cause. `{{ changes() }}`"""
    _, lang = page._, page.lang
    old = editions.previous_record()
    if old is None:
        return _("No previous edition was supplied to this build, so there is nothing to compare "
                 "(a development build, or the first edition).") + "\n"
    new = editions.record(page.edition)
    moved, changed_data = editions.changes(old, new)
    out = [_("Compared with edition **%(edition)s**: %(moved)s published numbers moved; "
             "%(datasets)s datasets changed.", edition=render.md(old["edition"]),
             moved=len(moved), datasets=len(changed_data))]
    if changed_data:
        rows = []
        for d in changed_data:
            ds = datasets.get(d)
            before = editions.vintage(old, d, lang) or _("(new dataset)")
            rows.append(f"| {a(page.link(f'data/{d}/'), i18n.dataset(ds, 'title', lang))} | "
                        f"{render.md(before)} | {render.md(i18n.dataset(ds, 'vintage', lang))} |")
        out.append("## " + _("Datasets that changed") + "\n\n| " + " | ".join(
                       [_("Dataset"), _("Vintage before"), _("Vintage now")]) + " |\n"
                   "|---|---|---|\n" + "\n".join(rows))
    if moved:
        rows = []
        for c in moved:
            ind = indicators.get(c.indicator)
            fmt = lambda v: "—" if v is None else format_value(v, ind.unit, digits=3,  # noqa: E731
                                                                lang=lang)
            frequency = periods.frequency_of(c.period)
            months = next((r.get("months") for r in new["indicators"].get(c.indicator, [])
                           if editions._key(c.indicator, r, ind.dimensions)[1:]
                           == (c.period, *c.dims)), None) or \
                {"annual": 12, "quarterly": 3}.get(frequency, 1)  # a withdrawn period: whole
            when, cause = (c.period, c.cause) if lang == "en" else (  # codes, worded
                periods.words(c.period, frequency, months, lang=lang), _(f"cause: {c.cause}"))
            dims = ", ".join(c.dims)
            title = i18n.indicator(ind, "title", lang)
            rows.append(f"| {a(page.link(f'indicators/{ind.id}/'), title)} | "
                        f"{render.md(when)}{render.md(' (' + dims + ')') if dims else ''} | "
                        f"{fmt(c.old)} | {fmt(c.new)} | {render.md(cause)} |")
        out.append("## " + _("Numbers that moved") + "\n\n| " + " | ".join(
                       [_("Indicator"), _("Period"), _("Before"), _("Now"), _("Cause")]) + " |\n"
                   "|---|---|--:|--:|---|\n" + "\n".join(rows))
    return "\n\n".join(out) + "\n"
