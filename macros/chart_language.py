"""A figure's Vega-Lite spec in the language of the page that shows it: the chart's own words,
units, number formats and font, never what it draws.

The English spec (artefacts.spec) is the figure; its translation changes
- the title and description: the figure's title and text alternative in the language
  (figure_text.in_language);
- every axis, legend and tooltip title: the figure's `labels` in
  macros/figure_catalogue.<lang>.yaml; a tooltip field without a title (vega would show the
  field's name) gets the data table's column name, `column: <field>` in the interface catalog;
- the words in the data (TEXT_COLUMNS), and those words wherever the spec names them (scale
  domains, filter expressions), so every mark, colour and legend entry stays what it was;
- ranks: an axis of a figure whose indicators are all ranks reads 1위, 2위 (RANK_AXIS of the
  language's locale module), and its tooltip the rank in words from the locale's format_value
  (a column of the data, RANK_WORDS: vega formats a tooltip's number but adds no word to it);
- money: a Korean chart counts USD bn in 억 달러, as the pages write money (macros/locale_ko.py),
  so a figure whose indicators are all in USD bn has its values × 10 and one decimal fewer in
  its number formats (0.1 bn is 1억: the English precision);
- number and date formats: vega's format locale (config.locale, from Babel's locale data) and
  the month axis pattern; being in the spec, vl-convert (SVG, PNG) and vega-embed (the
  interactive chart) read the same one;
- the font: theme.FONTS[lang], the family of the pages' own font (macros/korean_font.py).
A word without a translation stops the build naming the figure, the word and the file.
"""
from __future__ import annotations

import re

from . import figure_text, i18n, locale_ko, periods, theme
from .figures import COMPLETE, PARTIAL, Figure

TEXT_COLUMNS = ("label", "series", "measure", "coverage")  # the data's words; others are codes
RANK_WORDS = "rank_words"  # a rank chart's value in words (8위), for its tooltip
LOCALES = {"ko": locale_ko}
_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'")  # a string literal in a vega expression
_DECIMALS = re.compile(r"\.(\d+)f$")


def _words(fig: Figure, rows: list[dict], lang: str) -> dict[str, str]:
    """English -> `lang` for every word of the data: period labels in the language's period
    words, coverage from the interface catalog, any other word from the figure's labels."""
    words = {c: i18n.t(lang, f"coverage: {c}") for c in (COMPLETE, PARTIAL)}
    dimensions = figure_text.word_columns(fig)  # an indicator figure's: its own words
    for row in rows:
        for column in (*TEXT_COLUMNS, *dimensions):
            english = row.get(column)
            if not isinstance(english, str) or english in words:
                continue
            if column in dimensions:
                words[english] = i18n.dimension(column, english, lang)
                continue
            period = (row.get("period"), row.get("frequency"), row.get("months"))
            if column == "label" and None not in period and english == periods.label(*period):
                words[english] = periods.label(*period, lang=lang)
            else:
                words[english] = figure_text.label(fig, english, lang)
    return words


def in_eok(fig: Figure, lang: str) -> bool:
    """Whether `fig` in `lang` counts money in 억 (its indicators are all in USD bn)."""
    return lang == "ko" and fig.units() == {"USD bn"}


def translate(fig: Figure, english: dict, lang: str) -> dict:
    """`english` (the figure's spec) in `lang`."""
    locale = LOCALES[lang]
    scale = locale.EOK_PER_BN if in_eok(fig, lang) else 1
    ranks = fig.units() == {"rank"}
    rows = [row for data in english.get("datasets", {}).values() for row in data]
    words = _words(fig, rows, lang)
    dimensions = figure_text.word_columns(fig)
    text_columns = (*TEXT_COLUMNS, *dimensions)

    def cell(key, value):
        if key in text_columns and isinstance(value, str):
            return words[value]
        if key == "value" and scale != 1 and isinstance(value, (int, float)):
            return round(value * scale, 9)
        return value

    def tooltip(item):
        item = _tooltip(item, lang)
        if ranks and isinstance(item, dict) and item.get("field") == "value":
            return {"field": RANK_WORDS, "type": "nominal", "title": item["title"]}
        return item

    def walk(node, key=None):
        if isinstance(node, dict):
            out = {k: walk(v, k) for k, v in node.items()}
            if isinstance(out.get("title"), str):
                out["title"] = figure_text.label(fig, out["title"], lang)
            elif out.get("field") in dimensions and key != "tooltip" and "title" not in out:
                out["title"] = figure_text.label(fig, out["field"], lang)  # not the field's name
            if key == "tooltip":
                out = tooltip(out)
            if ranks and key in ("x", "y") and out.get("field") == "value":
                out["axis"] = {**(out.get("axis") or {}), **locale.RANK_AXIS}
            if isinstance(out.get("format"), str):
                if out.get("field") == "value" and scale != 1:
                    out["format"] = _DECIMALS.sub(
                        lambda m: f".{max(0, int(m[1]) - 1)}f", out["format"])
            if out.get("format") == "%b %Y":
                out["format"] = locale.MONTH_AXIS
            if isinstance(out.get("filter"), str):
                out["filter"] = _LITERAL.sub(lambda m: _quote(words.get(m[1], m[1])),
                                             out["filter"])
            return out
        if isinstance(node, list):
            if key == "tooltip":
                return [tooltip(walk(item)) for item in node]
            if key == "domain":
                return [words.get(v, v) if isinstance(v, str) else v for v in node]
            return [walk(item) for item in node]
        return node

    spec = {k: v for k, v in english.items() if k not in ("datasets", "title", "description")}
    spec = walk(spec)
    words_of = figure_text.in_language(fig, lang)
    spec["title"], spec["description"] = words_of["title"], words_of["alt"]

    def translated(row: dict) -> dict:
        out = {k: cell(k, v) for k, v in row.items()}
        if ranks and isinstance(row.get("value"), (int, float)) and row["value"] == row["value"]:
            out[RANK_WORDS] = locale.format_value(row["value"], "rank", digits=0)
        return out
    spec["datasets"] = {name: [translated(row) for row in data]
                        for name, data in english.get("datasets", {}).items()}
    config = dict(spec.get("config", {}))
    config["font"] = theme.FONTS[lang]
    config["locale"] = locale.vega_locale()
    if dimensions:  # every entry of a dimension's legend: past its limit vega writes
        config["legend"] = {**config.get("legend", {}), "symbolLimit": 0,  # "…n entries"
                            "columns": 6}  # in rows, not one line wider than the chart
    spec["config"] = config
    return spec


def _tooltip(item, lang: str):
    """A tooltip entry with a title in `lang` (vega shows a field without one by its name)."""
    if isinstance(item, dict) and "field" in item and "title" not in item:
        return {**item, "title": i18n.t(lang, f"column: {item['field']}")}
    return item


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def text(spec: dict) -> str:
    """Every string of `spec` (its keys aside), with the digits and signs of its numbers: what
    a font for the chart must draw (field names and the format locale's words come too: a few
    letters more than it draws)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            found.append(node)
    walk(spec)
    return "".join(found) + "0123456789.,%−-–()"
