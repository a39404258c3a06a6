"""Macros behind the generated pages: one page per indicator and per dataset, their indexes,
the list of reported figures and the macro reference. Each returns Markdown: strings from data
go through render.md (cells, headings, items), links through authoring.a (checked URLs), HTML
through templates (macros/render.py)."""
from __future__ import annotations

import inspect

import pandas as pd

from . import (citations, datasets, download_parts, editions, figures, i18n, indicators, periods,
               render)
from .authoring import PageContext, a, figure, table
from .errors import PortalError
from .formatting import decimals_of, format_value


def _facts(rows: list[tuple[str, str]]) -> str:
    """A two-column table of row labels and values (the labels are interface strings), headed
    by its first row (the id of what the page describes), not by an empty row."""
    lines = [f"| {k} | {v} |" for k, v in rows]
    return "\n".join([lines[0], "|---|---|", *lines[1:]])


def _period_words(period: str, lang: str, months: int | None = None) -> str:
    """A period code in words ('2026-07' -> 'July 2026', '2026년 7월'), `months` long (default:
    the whole period); anything else ('2020–2024', '?') as it is given."""
    try:
        frequency = periods.frequency_of(period)
    except PortalError:
        return period
    return periods.words(period, frequency, months or periods.FULL_MONTHS[frequency], lang=lang)


def _code_word(page: PageContext, kind: str, code: str) -> str:
    """A code of the data as words: itself in English, `<kind>: <code>` from the interface
    catalog in any other language ('unit: USD bn' -> '억 달러')."""
    return code if page.lang == i18n.SOURCE else page._(f"{kind}: {code}")


def indicator_page(page: PageContext, indicator_id: str) -> str:
    """Definition, unit, sources, chart, table and downloads of one indicator. `{{ indicator_page("us_kor_balance") }}`"""
    _, lang = page._, page.lang
    ind = page.use_indicator(indicator_id)
    sources = ", ".join(a(page.link(f"data/{d}/"), i18n.dataset(datasets.get(d), "title", lang))
                        for d in ind.sources())
    uses = ", ".join(a(page.link(f"indicators/{i}/"),
                       i18n.indicator(indicators.get(i), "title", lang)) for i in ind.indicators)
    rows = [(_("Id"), f"`{ind.id}`"), (_("Unit"), _code_word(page, "unit", ind.unit)),
            (_("Basis"), _code_word(page, "basis", ind.basis)),
            (_("Formula"), render.md(i18n.indicator(ind, "formula", lang))),
            (_("Datasets"), sources)]
    if uses:
        rows.append((_("Computed from"), uses))
    if ind.dimensions:
        rows.append((_("Dimensions"), ", ".join(f"`{d}`" for d in ind.dimensions)))
    data = indicators.observations(ind.id)
    frequencies = periods.frequencies(data)

    def coverage(f: str) -> str:
        rows = periods.of_frequency(data, f)
        note = periods.partial_note(rows, lang=lang)
        return (f"{_code_word(page, 'frequency', f)}: {periods.span(rows, lang=lang)}"
                + (f" ({note})" if note else ""))
    rows.append((_("Coverage"), "; ".join(coverage(f) for f in frequencies)))
    rows.append((_("Download"), a(page.link(f"api/indicators/{ind.id}.csv"), "CSV") + " · " +
                 a(page.link("api/indicators.json"), _("all indicators, JSON"))))
    parts = [f"# {i18n.indicator(ind, 'title', lang)}",
             render.md(i18n.indicator(ind, "definition", lang)), _facts(rows)]
    for f in frequencies:
        if len(frequencies) > 1:
            parts.append("## " + (f"{f.capitalize()} observations" if lang == i18n.SOURCE
                                  else _(f"observations: {f}")))
        parts.append(figure(page, figures.indicator_figure_id(ind.id, f)))
        if len(frequencies) == 1:
            parts.append("## " + _("Observations"))
        parts.append(table(page, ind.id, frequency=f))
    return "\n\n".join(parts)


def indicator_index(page: PageContext) -> str:
    """A table of every registered indicator. `{{ indicator_index() }}`"""
    _, lang = page._, page.lang
    header = [_("Indicator"), _("Id"), _("Unit"), _("Basis"), _("Formula")]
    lines = ["| " + " | ".join(header) + " |", "|---|---|---|---|---|"]
    for ind in indicators.REGISTRY.values():
        unit, basis = _code_word(page, "unit", ind.unit), _code_word(page, "basis", ind.basis)
        formula = i18n.indicator(ind, "formula", lang).replace("|", "/")
        lines.append(f"| {a(page.link(f'indicators/{ind.id}/'), i18n.indicator(ind, 'title', lang))}"
                     f" | `{ind.id}` | {unit} | {basis} | {render.md(formula)} |")
    return "\n".join(lines) + "\n"


def _constraints(page: PageContext, field: dict) -> str:
    """A field's constraints: 'required: True, minimum: 0' (in Korean, each name in words and
    each value as the code it is)."""
    c = field.get("constraints", {})
    if page.lang == i18n.SOURCE:
        return render.md((", ".join(f"{k}: {v}" for k, v in c.items()) or "—").replace("|", "/"))
    return ", ".join(f"{page._(f'constraint: {k}')}: <code>{render.md(str(v))}</code>"
                     for k, v in c.items()) or "—"


def _descriptor_link(page: PageContext, ds, entry: dict, where: str, fallback: str) -> str:
    """A source or licence: a link when it has a path (http(s) only), else its title (in the
    page's language: the `sources`/`licenses` lists of datapackage.<lang>.yaml, by position)."""
    title = i18n.descriptor(ds, where.replace("[", ".").rstrip("]"), page.lang,
                            entry.get("title", entry.get(fallback, "")))
    if not entry.get("path"):
        return render.md(title)
    return a(entry["path"], title or entry["path"],
             where=f"data/{ds.id}/datapackage.json: {where}.path")


def dataset_page(page: PageContext, dataset_id: str) -> str:
    """The rendered descriptor of one dataset: source, licence, vintage, schema, downloads. `{{ dataset_page("us_korea_goods_trade") }}`"""
    _, lang = page._, page.lang
    ds = datasets.get(dataset_id)
    page.datasets[dataset_id] = True
    d = ds.descriptor
    word = lambda f: render.md(i18n.dataset(ds, f, lang))  # noqa: E731
    coverage = d.get("temporal_coverage", {})
    srcs = "<br>".join(_descriptor_link(page, ds, s, f"sources[{i}]", "path")
                       for i, s in enumerate(d["sources"]))
    lic = "<br>".join(_descriptor_link(page, ds, x, f"licenses[{i}]", "name")
                      for i, x in enumerate(d["licenses"]))
    facts = [(_("Id"), f"`{ds.id}`"), (_("Publisher"), word("publisher")),
             (_("Vintage"), word("vintage")), (_("Accessed"), render.md(d.get("accessed", "—"))),
             (_("Coverage"), render.md(" – ".join(_period_words(coverage.get(end, "?"), lang)
                                                  for end in ("start", "end")))),
             (_("Sources"), srcs), (_("Licence"), lic),
             (_("Descriptor"), a(page.link(f"data/{dataset_id}/datapackage.json"),
                                 "datapackage.json"))]
    parts = [f"# {word('title')}", word("description"), _facts(facts)]
    for res in ds.resources:
        n = len(ds.table(res["name"]))
        tr = lambda what, english: i18n.descriptor(  # noqa: E731
            ds, f"resources.{res['name']}.{what}", lang, english)
        rows = format_value(n, "count", digits=0, lang=lang)
        parts.append(f"## {render.md(tr('title', res.get('title', res['name'])))}")
        parts.append(f"{render.md(tr('description', res.get('description', '')))}\n\n"
                     f"{_downloads(page, ds, res['path'])} "
                     f"· {_('%(rows)s rows · primary key:', rows=rows)} "
                     f"<code>{render.md(', '.join(res['schema'].get('primaryKey', []) or ['—']))}"
                     "</code>")
        lines = ["| " + " | ".join([_("Field"), _("Type"), _("Unit"), _("Description"),
                                    _("Constraints")]) + " |", "|---|---|---|---|---|"]
        for f in res["schema"]["fields"]:
            desc = tr(f"fields.{f['name']}", str(f.get("description", f.get("title", ""))))
            unit = f.get("unit", "")
            lines.append(f"| <code>{render.md(f['name'])}</code> | "
                         f"{render.md(_code_word(page, 'type', f.get('type', 'string')))} | "
                         f"{render.md(_code_word(page, 'field unit', unit) if unit else '')} | "
                         f"{render.md(desc.replace('|', '/'))} | {_constraints(page, f)} |")
        parts.append("\n".join(lines))
    if dataset_id == citations.REPORTED:
        parts.append(reported_figures_list(page))
    return "\n\n".join(parts) + "\n"


def _downloads(page: PageContext, ds, path: str) -> str:
    """The resource's download link; a file split by year (macros/download_parts.py) links its
    parts too, which are this edition's copy (a published edition keeps the whole file only as
    the latest edition's). The files are the English build's, whatever the page's language."""
    file = lambda name: page.link(f"data/{ds.id}/{name}")  # noqa: E731
    link = a(file(path), page._("Download %(file)s", file=path))
    parts = download_parts.of_file(ds.folder / path)
    if parts is None:
        return link
    years = " · ".join(a(file(f"{download_parts.folder(path)}/{y}.csv"), y) for y in parts)
    return f"{link} " + page._("(the whole file; in a published edition, the latest edition's "
                               "copy) · this edition by year, each with the header: %(years)s",
                               years=years)  # a str: Markup + str would escape the links


def reported_figures_list(page: PageContext) -> str:
    """Every reported figure with its report and place in it, each with an anchor. `{{ reported_figures_list() }}`"""
    lang = page.lang
    folder = datasets.get(citations.REPORTED).folder
    rows = []
    for r in citations.figures().itertuples():
        page.reports[r.report] = True
        tr = lambda f, en: i18n.reported(folder, r.id, f, lang, en)  # noqa: E731
        period = r.period if isinstance(r.period, str) else ""  # none: the note says why
        note = r.period_note if isinstance(r.period_note, str) else ""
        if lang != i18n.SOURCE and period:
            period = _period_words(period, lang, None if pd.isna(r.months) else int(r.months))
        period = ", ".join(filter(None, [period, note and tr("period_note", note)]))
        rows.append({"id": r.id, "shown": format_value(r.value, r.unit, digits=decimals_of(r.value),
                                                       lang=lang),
                     "period": period, "description": tr("description", r.description),
                     "basis": page._(r.basis) if lang != i18n.SOURCE else r.basis,
                     "cite": citations.short_cite(r.report),
                     "location": tr("location", r.location)})
    return (f"## {page._('The reported figures')}\n\n"
            f'{render.page_fragment("reported_list.html", rows=rows, lang=lang)}\n')


def dataset_index(page: PageContext) -> str:
    """A table of every dataset with publisher and vintage. `{{ dataset_index() }}`"""
    _, lang = page._, page.lang
    lines = ["| " + " | ".join([_("Dataset"), _("Publisher"), _("Vintage")]) + " |",
             "|---|---|---|"]
    for dataset_id in datasets.ids():
        ds = datasets.get(dataset_id)
        word = lambda f: i18n.dataset(ds, f, lang)  # noqa: E731
        lines.append(f"| {a(page.link(f'data/{dataset_id}/'), word('title'))} | "
                     f"{render.md(word('publisher'))} | {render.md(word('vintage'))} |")
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
