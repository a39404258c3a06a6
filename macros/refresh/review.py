"""The review of a refresh: rows that changed per dataset, every published number that would
move (old -> new) and the pages that show it, from the edition records behind "What changed".

Page usage needs a real build of the site on the staged data; a build that fails (a claim that
became false) is reported, not fatal: the data are valid, the pages need updating.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import datasets, editions
from ..datasets import ROOT
from .diff import ResourceDiff

SHOW = 40   # rows listed per kind and resource; the rest are counted


@dataclass
class Review:
    rows: dict[str, list[ResourceDiff]]
    moved: list = field(default_factory=list)
    changed_data: list[str] = field(default_factory=list)
    pages: dict[str, list[str]] = field(default_factory=dict)   # change key -> pages
    build_error: str = ""
    build_ran: bool = False
    note: str = ""


def record(data_dir: Path, edition: str) -> dict:
    """The edition record (every indicator value) computed from the data in `data_dir`."""
    datasets.use_data_dir(data_dir)
    return editions.record(edition)


def build(staged: Path, previous: Path, site: Path) -> tuple[dict | None, str]:
    """(built edition.json, '' ) or (None, the build's error): a strict build on staged data."""
    env = {**os.environ, "PORTAL_DATA_DIR": str(staged), "PORTAL_PREVIOUS_EDITION": str(previous),
           "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [ln for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
        errors = [ln for ln in lines if "Error" in ln or "ERROR" in ln] or lines[-15:]
        return None, "\n".join(errors[:15])
    return json.loads((site / "edition.json").read_text(encoding="utf-8")), ""


def _key(change) -> str:
    return "|".join([change.indicator, change.period, *change.dims])


def attach_pages(review: Review, built: dict) -> None:
    for change in review.moved:
        review.pages[_key(change)] = editions.pages_showing(built, change)


def _num(v) -> str:
    return "—" if v is None else f"{v:,.6g}"


def markdown(review: Review) -> str:
    """The review as Markdown (printed, and written to the review file)."""
    out = ["# Data refresh review", ""]
    if review.note:
        out += [review.note, ""]
    out += ["## Rows changed, by dataset", ""]
    for dataset_id, diffs in review.rows.items():
        total = sum(len(d.added) + len(d.revised) + len(d.removed) for d in diffs)
        out.append(f"### {dataset_id}: {'no rows changed' if not total else f'{total} rows changed'}")
        for d in diffs:
            if not d:
                continue
            out.append(f"- `{d.resource}` (key {', '.join(d.key)}): {len(d.added)} added, "
                       f"{len(d.revised)} revised, {len(d.removed)} removed")
            for kind, items in (("added", d.added), ("removed", d.removed)):
                for k in items[:SHOW]:
                    out.append(f"  - {kind} {' / '.join(k)}")
                if len(items) > SHOW:
                    out.append(f"  - … and {len(items) - SHOW} more {kind}")
            for k, cells in d.revised[:SHOW]:
                what = "; ".join(f"{c}: {a or '(empty)'} → {b or '(empty)'}"
                                 for c, (a, b) in cells.items())
                out.append(f"  - revised {' / '.join(k)}: {what}")
            if len(d.revised) > SHOW:
                out.append(f"  - … and {len(d.revised) - SHOW} more revised")
        out.append("")
    out += ["## Published numbers that would move", ""]
    if not review.moved:
        out += ["None.", ""]
    else:
        out += ["| indicator | period | dimensions | old | new | cause | pages |",
                "|---|---|---|---|---|---|---|"]
        for c in review.moved:
            pages = review.pages.get(_key(c))
            shown = ", ".join(pages) if pages else (
                "(not on a page)" if review.build_ran and not review.build_error
                else "(build failed)" if review.build_ran else "(no build)")
            out.append(f"| {c.indicator} | {c.period} | {', '.join(c.dims)} | {_num(c.old)} | "
                       f"{_num(c.new)} | {c.cause} | {shown} |")
        out.append("")
    if review.build_error:
        out += ["## Pages that no longer build", "",
                "The data are valid and will be written, but `make build` will fail until the "
                "pages are fixed. The build said:", "", "```", review.build_error, "```", ""]
    elif not review.build_ran:
        out += ["(No site build was run, so the pages showing each number are not listed.)", ""]
    return "\n".join(out)
