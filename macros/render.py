r"""The one escaped rendering layer: all HTML a macro returns comes from a template here.

Strings from data, descriptors and reports are escaped by construction, wherever they land:

- `page_fragment("value.html", …)` renders `macros/templates/<name>` in an autoescaping Jinja
  environment with StrictUndefined; every `{{ … }}` that is not already `Markup` goes through
  `escape`, so a template cannot forget it. Templates are written over several lines for
  reading; the loader joins them into one line (an HTML fragment inside Markdown must not
  contain a blank line, and inline fragments sit inside paragraphs and table cells).
- `escape` is HTML escaping plus numeric references for the characters Markdown and its
  extensions act on (the characters [ ] { } * \ ` |): Markdown passes raw HTML through and then reads the
  text between inline tags as Markdown, so `[x](javascript:…)` or an attr_list `{: onclick=…}`
  in a dataset title would otherwise become markup. The references display as the same
  characters, in block HTML, inline HTML, table cells and headings alike.
- `md` is `escape` on one line, for the cells and items of Markdown that macros return.
- `href` admits only http(s) URLs and site-relative paths; anything else (`javascript:`,
  `data:`, `//host`) is a build error naming the file and field it came from.
- `script_json` is JSON safe inside `<script>` (no `</script>` or `<!--` breakout).
- `csv_cell` neutralises spreadsheet formulas in string cells of CSV downloads, `csv_comment`
  in the cells a spreadsheet makes of their `#` lines.

Fragments are `Markup`: nest them as template values, or join them in f-strings. Never write
`"text" + fragment` — Markup's `__radd__` escapes the plain string on its left once more.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from markupsafe import escape as html_escape

from . import runtime
from .errors import PortalError

TEMPLATES = Path(__file__).resolve().parent / "templates"
MARKDOWN_SPECIALS = "\\`*{}[]|"  # not `_`: intraword in field names, and emphasis is no script
_MD = {ord(c): f"&#{ord(c)};" for c in MARKDOWN_SPECIALS}


def escape(value) -> Markup:
    """`value` as HTML text or attribute content that neither HTML nor Markdown reads as markup."""
    if isinstance(value, Markup):
        return value
    return Markup(str(html_escape(str(value))).translate(_MD))


def single_quoted(value) -> Markup:
    """`escape(value)` for an attribute in single quotes, which keeps `"` as it is: a JSON value
    (a number's CSL record) then costs a byte per quote instead of five, on every number of
    every page of every edition."""
    if isinstance(value, Markup):
        return value
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(text.replace("'", "&#39;").translate(_MD))


def md(value) -> Markup:
    """`escape(value)` on one line: for Markdown table cells, list items and headings."""
    return escape(" ".join(str(value).split()))


def oneline(value) -> str:
    """Whitespace collapsed to single spaces (attributes: tooltips, aria-labels)."""
    return " ".join(str(value).split())


class _OneLineLoader(FileSystemLoader):
    """Templates with their line breaks and indentation removed: a fragment is one line."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return re.sub(r"\n[ \t]*", "", source).strip(), filename, uptodate


def _finalize(value):
    return escape(value)


ENV = Environment(loader=_OneLineLoader(str(TEMPLATES)), autoescape=True,
                  undefined=StrictUndefined, finalize=_finalize, keep_trailing_newline=False,
                  bytecode_cache=runtime.compiled_templates())
ENV.filters["oneline"] = oneline
ENV.filters["single_quoted"] = single_quoted


def page_fragment(template: str, /, *, lang: str = "en", **values) -> Markup:
    """The template `macros/templates/<template>` rendered with `values`, every one escaped;
    its interface strings, `{{ _("Figure %(number)s", number=n) }}`, in `lang` (macros/i18n.py)."""
    from .i18n import gettext_for
    return Markup(ENV.get_template(template).render(_=gettext_for(lang), **values))


# --- URLs -----------------------------------------------------------------------------------

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_STRIPPED = re.compile(r"[\x00-\x20\x7f]")  # browsers drop controls, tabs, newlines in URLs


def href(value, *, where: str) -> str:
    """`value` if it is an http(s) URL or a site-relative path, else a PortalError naming
    `where` (the file and field it came from). Never silently dropped."""
    text = str(value)
    probe = _STRIPPED.sub("", text)
    match = _SCHEME.match(probe)
    ok = (match.group(1).lower() in ("http", "https") and probe.split(":", 1)[1][:2] == "//"
          if match else not re.match(r"^[/\\]{2}", probe))
    if not ok or probe != text.strip() or not text.strip():
        raise PortalError(f"{where}: {text!r} is not an http(s) URL or a site-relative path; "
                          "links built from data may only be http:// or https:// URLs")
    return text.strip()


def link(url: str, text, *, where: str = "link", **attrs) -> Markup:
    """`<a href="url">text</a>`, the URL checked by `href`."""
    return page_fragment("link.html", href=href(url, where=where), text=text, attrs=attrs)


# --- Other outputs --------------------------------------------------------------------------

def script_json(obj) -> Markup:
    """JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` as \\u escapes, so
    no string from data can close the element or open a comment."""
    text = json.dumps(obj, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                  .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d[\d,]*)?(\.\d+)?([eE][+-]?\d+)?$")


def csv_cell(value):
    """A string cell that a spreadsheet would run as a formula, prefixed with `'` (OWASP);
    numbers, numbers written as text ("-65.7") and a lone "-" are left as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and value != "-" \
            and not _NUMBER.match(value):
        return "'" + value
    return value


def csv_comment(text) -> str:
    """A `#` line of a CSV download: on one line, and no cell a spreadsheet splits it into (at
    a comma; a quote opening it dropped) starting a formula (csv_cell on each after the first,
    which the `#` opens)."""
    first, *rest = oneline(text).split(",")
    cells = []
    for cell in rest:
        lead = len(cell) - len(cell.lstrip(' "'))
        cells.append(cell[:lead] + str(csv_cell(cell[lead:])))
    return "# " + ",".join([first, *cells]) + "\n"


def csv_safe(frame):
    """`frame` with csv_cell applied to its text columns, for CSV downloads."""
    text = [c for c in frame.columns  # object, or any of pandas' string dtypes ("str" in pandas 3)
            if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c].dtype)]
    return frame.assign(**{c: frame[c].map(csv_cell) for c in text}) if text else frame
