"""UN Statistics Division: the HS 2022 to BEC Rev.4 correlation table.

UNSD publishes its correspondence tables as Excel workbooks under
unstats.un.org/unsd/classifications/Econ/tables/ (one per pair, e.g.
HS2022toHS2017ConversionAndCorrelationTables.xlsx, with a conversion sheet and a correlation
sheet that has a Relationship column). The correlation sheet is found by its header, not its
position, so a reordered workbook still reads.
"""
from __future__ import annotations

import re

from ..errors import PortalError
from . import base_url, xlsx
from .http import Client

DEFAULT_URL = "https://unstats.un.org/unsd/classifications/Econ/tables"
URL_ENV = "PORTAL_UNSD_URL"
FILE = "HS2022toBEC4ConversionAndCorrelationTables.xlsx"
HS = re.compile(r"^(from\s*)?hs\s*-?\s*(20)?22$", re.I)
BEC = re.compile(r"^(to\s*)?bec\s*(rev\.?\s*)?-?\s*4$", re.I)


def hs2022_bec4(http: Client, *, label: str):
    """([(hs6, bec4, relationship)], Fetch, sheet name) from the UNSD correlation sheet."""
    url = f"{base_url(URL_ENV, DEFAULT_URL)}/{FILE}"
    response = http.get(url, label=label)
    if response.status != 200:
        raise PortalError(f"{label}: {url}: HTTP {response.status}; UNSD may have moved the "
                          f"table: find it on https://unstats.un.org/unsd/classifications/Econ "
                          f"and set {URL_ENV} or FILE in macros/sources/unsd.py")
    try:
        book = xlsx.sheets(response.body)
    except Exception as exc:  # zipfile/XML errors: the body is not a workbook
        raise PortalError(f"{label}: {url}: not an Excel workbook ({type(exc).__name__})") from None
    for name, rows in book.items():
        for at, header in enumerate(rows[:10]):
            cols = [c.strip() for c in header]
            hs = next((i for i, c in enumerate(cols) if HS.match(c)), None)
            bec = next((i for i, c in enumerate(cols) if BEC.match(c)), None)
            rel = next((i for i, c in enumerate(cols) if c.lower() == "relationship"), None)
            if None not in (hs, bec, rel):
                return _table(rows[at + 1:], hs, bec, rel, label), response.fetch, name
    raise PortalError(f"{label}: {url}: no sheet has the columns HS 2022, BEC 4 and Relationship "
                      f"(sheets: {', '.join(book)}); UNSD changed the layout: update "
                      "macros/sources/unsd.py")


def _table(rows, hs: int, bec: int, rel: int, label: str) -> list[tuple[str, str, str]]:
    out = []
    for n, row in enumerate(rows, 2):
        cells = [row[i].strip() if i < len(row) else "" for i in (hs, bec, rel)]
        if not any(cells):
            continue
        code, bec4, relationship = cells
        code = re.sub(r"\D", "", code.split(".")[0] if re.fullmatch(r"\d+\.0", code) else code)
        if not (code and bec4 and relationship):
            raise PortalError(f"{label}: UNSD table row {n}: an empty cell in {cells}")
        out.append((code.zfill(6), _int_text(bec4), relationship))
    return out


def _int_text(value: str) -> str:
    return value[:-2] if re.fullmatch(r"\d+\.0", value) else value
