"""Large dataset downloads, also one file per year, so editions can share the years that closed.

A monthly or daily file grows every month, so as one file it is new bytes in every edition.
Split by year, only the current year's part changes; the closed years' parts are byte-identical
to the previous edition's and are published once (scripts/shared_assets.py). The site ships:
- `data/<id>/<stem>-by-year/<year>.csv`: one part per year, each with the header row, the
  rows of that year in the file's order. The site's descriptor lists them as the resource's
  path (a Frictionless multipart resource; frictionless-py skips the repeated headers);
- `data/<id>/<stem>.csv`: the whole file, which is exactly the first part followed by the
  other parts without their header (rows grouped by year). An edition publishes it only under
  `latest/`, where it is replaced by each new edition; the edition's own copy of the data is
  its parts.
A file is split when it is at least SPLIT_BYTES and spans more than one year.
"""
from __future__ import annotations

import csv
import functools
from pathlib import Path

SPLIT_BYTES = 100_000
YEAR_COLUMNS = ("year", "date")  # the first present; its first four characters are the year


FOLDER_SUFFIX = "-by-year"  # scripts/shared_assets.py recognises parts by the same name


def folder(resource_path: str) -> str:
    """'monthly.csv' -> 'monthly-by-year': the folder the parts sit in, beside the whole file
    (not 'monthly', which is also the resource's name in the descriptor)."""
    return resource_path.rsplit(".", 1)[0] + FOLDER_SUFFIX


def split(data: bytes) -> dict[str, bytes] | None:
    """{'2013': part, …} in year order, or None when `data` is kept whole (small, one year,
    no year column, or a row this line-wise split cannot read: a quoted line break)."""
    if len(data) < SPLIT_BYTES:
        return None
    lines = data.decode("utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    column = next((header.index(c) for c in YEAR_COLUMNS if c in header), None)
    if column is None:
        return None
    rows: dict[str, list[str]] = {}
    for line in lines[1:]:
        if line.count('"') % 2:
            return None
        fields = next(csv.reader([line]), [])
        year = fields[column][:4] if len(fields) > column else ""
        if not (len(year) == 4 and year.isdigit()):
            return None
        rows.setdefault(year, []).append(line if line.endswith("\n") else line + "\n")
    if len(rows) < 2:
        return None
    head = lines[0] if lines[0].endswith("\n") else lines[0] + "\n"
    return {year: (head + "".join(rows[year])).encode("utf-8") for year in sorted(rows)}


def whole(parts: dict[str, bytes]) -> bytes:
    """The whole file the parts make: the first part, then each other part without its header."""
    chunks = list(parts.values())
    return chunks[0] + b"".join(c.split(b"\n", 1)[1] for c in chunks[1:])


@functools.cache
def _of(path: str, size: int, mtime: int) -> dict[str, bytes] | None:
    return split(Path(path).read_bytes())


def of_file(path: Path) -> dict[str, bytes] | None:
    """`split` of a file, read once per version of it."""
    stat = path.stat()
    return _of(str(path), stat.st_size, stat.st_mtime_ns)
