"""Reports and reported figures: who said a number, where, and how to cite it."""
from __future__ import annotations

import functools
import re

import pandas as pd

from . import datasets
from .errors import unknown

REPORTED = "reported_figures"


@functools.cache
def reports() -> pd.DataFrame:
    return datasets.get(REPORTED).table("reports").set_index("report", drop=False)


@functools.cache
def figures() -> pd.DataFrame:
    return datasets.get(REPORTED).table("reported_figures").set_index("id", drop=False)


def reported_figure(figure_id: str) -> pd.Series:
    table = figures()
    if figure_id not in table.index:
        raise unknown("reported figure", figure_id, table.index,
                      hint=f"reported figures are the rows of data/{REPORTED}/reported_figures.csv")
    return table.loc[figure_id]


def short_name(publisher: str) -> str:
    """'Korea International Trade Association (KITA)' -> 'KITA'."""
    match = re.search(r"\(([^)]+)\)\s*$", publisher)
    return match.group(1) if match else publisher


def short_cite(report_id: str) -> str:
    """In-text citation: 'KITA, 2025'."""
    r = reports().loc[report_id]
    return f"{short_name(r['publisher'])}, {str(r['date'])[:4]}"


def full_cite(report_id: str) -> str:
    """Reference-list entry: Author/Publisher (date). Title. Medium. URL."""
    r = reports().loc[report_id]
    author = f"{r['author']} ({r['publisher']})" if isinstance(r["author"], str) and r["author"] \
        else r["publisher"]
    text = f"{author} ({r['date']}). {r['title']}."
    if isinstance(r.get("medium"), str) and r["medium"]:
        text += f" {r['medium'][0].upper()}{r['medium'][1:]}."
    if isinstance(r.get("url"), str) and r["url"]:
        text += f" <{r['url']}>"
    return text


PORTAL = "Korea–US Trade Briefings"


def _bibtex_escape(text: str) -> str:
    return text.replace("&", r"\&").replace("%", r"\%").replace("_", r"\_")


def figure_citation(*, figure_id: str, figure_title: str, number: int, page_title: str,
                    url: str, edition: str, year: str, publishers: list[str]) -> tuple[str, str]:
    """Citation text and BibTeX for a figure: names the figure, page, edition and data publisher."""
    data = ", ".join(dict.fromkeys(publishers))
    text = (f"{PORTAL} ({year}). “{figure_title}” [Figure {number}]. In: {page_title}. "
            f"Edition {edition}. {url}. Data: {data}.")
    key = f"kusb_{edition.replace('.', '_')}_{figure_id.replace('-', '_')}"
    bibtex = "\n".join([
        f"@misc{{{key},",
        f"  author = {{{{{PORTAL}}}}},",
        f"  title = {{{_bibtex_escape(figure_title)} (Figure {number})}},",
        f"  howpublished = {{In: {_bibtex_escape(page_title)}, edition {edition}}},",
        f"  year = {{{year}}},",
        f"  url = {{{url}}},",
        f"  note = {{Data: {_bibtex_escape(data)}}}",
        "}",
    ])
    return text, bibtex
