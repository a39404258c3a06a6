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


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
ACCESSED = "[accessed date]"


def edition_date(edition: str, today: str) -> tuple[str, str]:
    """(year, month number) of an edition: '2026.11' -> ('2026', '11'); dev builds use today."""
    if edition[:4].isdigit() and edition[4:5] == "." and edition[5:7].isdigit():
        return edition[:4], edition[5:7]
    return today[:4], today[5:7]


def page_citation(*, title: str, url: str, edition: str, today: str,
                  publisher: str = PORTAL) -> dict:
    """APA, Chicago, BibTeX and RIS for one page of one edition (the URL names the edition)."""
    year, month = edition_date(edition, today)
    month_name = MONTHS[int(month) - 1]
    slug = re.sub(r"[^a-z0-9]+", "_", "/".join(url.rstrip("/").split("/")[-2:]).lower()).strip("_")
    key = f"kusb_{edition.replace('.', '_').replace('-', '_')}_{slug}"
    return {
        "apa": f"{publisher}. ({year}, {month_name}). {title} (Edition {edition}). {publisher}. "
               f"Retrieved {ACCESSED}, from {url}",
        "chicago": f"{publisher}. “{title}.” Edition {edition}. {month_name} {year}. {url} "
                   f"(accessed {ACCESSED}).",
        "bibtex": "\n".join([
            f"@misc{{{key},", f"  author = {{{{{publisher}}}}},",
            f"  title = {{{_bibtex_escape(title)}}},", f"  year = {{{year}}},",
            f"  month = {{{month_name[:3].lower()}}},",
            f"  howpublished = {{Edition {edition}}},", f"  publisher = {{{publisher}}},",
            f"  url = {{{url}}},", f"  note = {{Accessed: {ACCESSED}}}", "}"]),
        "ris": "\n".join([
            "TY  - ELEC", f"AU  - {publisher}", f"TI  - {title}", f"PY  - {year}",
            f"DA  - {year}/{month}", f"ET  - {edition}", f"PB  - {publisher}", f"UR  - {url}",
            f"Y2  - {ACCESSED}", "ER  - ", ""]),
        "highwire": {"citation_title": title, "citation_author": publisher,
                     "citation_publication_date": f"{year}/{month}",
                     "citation_publisher": publisher, "citation_public_url": url,
                     "citation_fulltext_html_url": url, "citation_technical_report_number":
                     f"Edition {edition}"},
    }


def number_citation(*, indicator_title: str, period: str, edition: str, today: str, url: str,
                    publishers: list[str]) -> str:
    """The citation of one number: indicator, period, edition and the original data publisher."""
    year, _ = edition_date(edition, today)
    return (f"{PORTAL} ({year}), “{indicator_title}”, {period}, edition {edition}, {url}; "
            f"data: {', '.join(dict.fromkeys(publishers))}.")
