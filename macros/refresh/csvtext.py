"""The data files' text conventions, so a refresh with unchanged publisher data rewrites
nothing: CSV cells are kept as text, and new numbers are written the way the files already
write them."""
from __future__ import annotations

import csv
import io
from pathlib import Path


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """(header, rows as dicts of cell text)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def tenth(value: float) -> str:
    """US$ millions to 0.1 as in the monthly/annual lines: 5163.0 -> '5163', 5302.3 -> '5302.3'."""
    text = repr(round(value, 1) + 0.0)
    return text[:-2] if text.endswith(".0") else text


def tenth_keep_zero(value: float) -> str:
    """US$ millions to 0.1 as in the duties table: 628.0 -> '628.0'."""
    return repr(round(value, 1) + 0.0)


def rate(numerator: int, denominator: int) -> str:
    """A duty rate as a fraction to 5 decimals, as the duties files write it (0.0016)."""
    return repr(round(numerator / denominator, 5)) if denominator else ""


def usd(value: int | None) -> str:
    """Whole US dollars as the partner files write them ('5226947861.0'); None -> ''."""
    return "" if value is None else f"{int(value)}.0"


def integer(text: str) -> int | None:
    """A Census value ('5765070418', '', None) as an int or None."""
    text = (text or "").strip()
    return int(float(text)) if text else None
