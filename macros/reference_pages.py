"""Macros behind the generated pages: one page per indicator and per dataset, their indexes,
the list of reported figures and the macro reference. Each returns Markdown."""
from __future__ import annotations

import html
import inspect

from . import citations, datasets, editions, figures, indicators, periods
from .authoring import PageContext, a, figure, table
from .formatting import decimals_of, format_value


def indicator_page(page: PageContext, indicator_id: str) -> str:
    """Definition, unit, sources, chart, table and downloads of one indicator. `{{ indicator_page("us_kor_balance") }}`"""
    ind = page.use_indicator(indicator_id)
    sources = ", ".join(a(page.link(f"data/{d}/"), datasets.get(d).title) for d in ind.sources())
    uses = ", ".join(a(page.link(f"indicators/{i}/"), indicators.get(i).title)
                     for i in ind.indicators)
    rows = [("Id", f"`{ind.id}`"), ("Unit", ind.unit), ("Basis", ind.basis),
            ("Formula", ind.formula), ("Datasets", sources)]
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
    parts = [f"# {ind.title}", ind.definition, facts]
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
    lines = ["| Indicator | Id | Unit | Basis | Formula |", "|---|---|---|---|---|"]
    for ind in indicators.REGISTRY.values():
        lines.append(f"| {a(page.link(f'indicators/{ind.id}/'), ind.title)} | `{ind.id}` | "
                     f"{ind.unit} | {ind.basis} | {ind.formula.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    return ", ".join(f"{k}: {html.escape(str(v))}" for k, v in c.items()) or "—"


def dataset_page(page: PageContext, dataset_id: str) -> str:
    """The rendered descriptor of one dataset: source, licence, vintage, schema, downloads. `{{ dataset_page("us_korea_goods_trade") }}`"""
    ds = datasets.get(dataset_id)
    page.datasets[dataset_id] = True
    d = ds.descriptor
    coverage = d.get("temporal_coverage", {})
    srcs = "<br>".join(a(s["path"], s.get("title", s["path"])) if s.get("path")
                       else html.escape(s.get("title", "")) for s in d["sources"])
    lic = "<br>".join(a(x["path"], x.get("title", x.get("name"))) if x.get("path")
                      else html.escape(x.get("title", x.get("name"))) for x in d["licenses"])
    facts = [("Id", f"`{ds.id}`"), ("Publisher", ds.publisher), ("Vintage", ds.vintage),
             ("Accessed", d.get("accessed", "—")),
             ("Coverage", f"{coverage.get('start', '?')} – {coverage.get('end', '?')}"),
             ("Sources", srcs), ("Licence", lic),
             ("Descriptor", a("datapackage.json", "datapackage.json"))]
    parts = [f"# {ds.title}", d.get("description", ""),
             "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in facts)]
    for res in ds.resources:
        n = len(ds.table(res["name"]))
        parts.append(f"## {res.get('title', res['name'])}")
        parts.append(f"{res.get('description', '')}\n\n{a(res['path'], 'Download ' + res['path'])} "
                     f"· {n:,} rows · primary key: "
                     f"`{', '.join(res['schema'].get('primaryKey', []) or ['—'])}`")
        lines = ["| Field | Type | Unit | Description | Constraints |", "|---|---|---|---|---|"]
        for f in res["schema"]["fields"]:
            desc = " ".join(str(f.get("description", f.get("title", ""))).split()).replace("|", "/")
            lines.append(f"| `{f['name']}` | {f.get('type', 'string')} | {f.get('unit', '')} | "
                         f"{desc} | {_constraints(f).replace('|', '/')} |")
        parts.append("\n".join(lines))
    if dataset_id == citations.REPORTED:
        parts.append(reported_figures_list(page))
    return "\n\n".join(parts) + "\n"


def reported_figures_list(page: PageContext) -> str:
    """Every reported figure with its report and place in it, each with an anchor. `{{ reported_figures_list() }}`"""
    rows = []
    for r in citations.figures().itertuples():
        page.reports[r.report] = True
        shown = format_value(r.value, r.unit, digits=decimals_of(r.value))
        rows.append(f'<tr id="{r.id}"><td><code>{r.id}</code></td><td>{html.escape(shown)}</td>'
                    f'<td>{html.escape(str(r.period))}</td><td>{html.escape(r.description)}</td>'
                    f'<td>{html.escape(r.basis)}</td><td>{html.escape(citations.short_cite(r.report))},'
                    f' {html.escape(r.location)}</td></tr>')
    head = ("<tr><th>Id</th><th>Value</th><th>Period</th><th>What it measures</th><th>Basis</th>"
            "<th>Where</th></tr>")
    return ("## The reported figures\n\n"
            f'<table class="portal-reported-list"><thead>{head}</thead><tbody>{"".join(rows)}'
            "</tbody></table>\n")


def dataset_index(page: PageContext) -> str:
    """A table of every dataset with publisher and vintage. `{{ dataset_index() }}`"""
    lines = ["| Dataset | Publisher | Vintage |", "|---|---|---|"]
    for dataset_id in datasets.ids():
        ds = datasets.get(dataset_id)
        lines.append(f"| {a(page.link(f'data/{dataset_id}/'), ds.title)} | {ds.publisher} | "
                     f"{ds.vintage} |")
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
    old = editions.previous_record()
    if old is None:
        return ("No previous edition was supplied to this build, so there is nothing to compare "
                "(a development build, or the first edition).\n")
    new = editions.record(page.edition)
    moved, changed_data = editions.changes(old, new)
    out = [f"Compared with edition **{old['edition']}**: {len(moved)} published numbers moved; "
           f"{len(changed_data)} datasets changed."]
    if changed_data:
        out.append("## Datasets that changed\n\n| Dataset | Vintage before | Vintage now |\n"
                   "|---|---|---|\n" + "\n".join(
                       f"| {a(page.link(f'data/{d}/'), datasets.get(d).title)} | "
                       f"{old['datasets'].get(d, {}).get('vintage', '(new dataset)')} | "
                       f"{datasets.get(d).vintage} |" for d in changed_data))
    if moved:
        rows = []
        for c in moved:
            ind = indicators.get(c.indicator)
            fmt = lambda v: "—" if v is None else format_value(v, ind.unit, digits=3)  # noqa: E731
            dims = ", ".join(c.dims)
            rows.append(f"| {a(page.link(f'indicators/{ind.id}/'), ind.title)} | {c.period}"
                        f"{' (' + dims + ')' if dims else ''} | {fmt(c.old)} | {fmt(c.new)} | "
                        f"{c.cause} |")
        out.append("## Numbers that moved\n\n| Indicator | Period | Before | Now | Cause |\n"
                   "|---|---|--:|--:|---|\n" + "\n".join(rows))
    return "\n\n".join(out) + "\n"
