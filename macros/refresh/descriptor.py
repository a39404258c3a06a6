"""A refreshed dataset's descriptor: its fetch record (`fetched`, a custom property that
Frictionless keeps), vintage, accessed date, coverage, and schema bounds widened to new data.

Left byte-identical when neither the files nor the responses changed, so an idempotent refresh
leaves nothing to commit.
"""
from __future__ import annotations

import json
from pathlib import Path

from .context import Context, Refreshed


def update(folder: Path, result: Refreshed, ctx: Context, files_changed: bool) -> bool:
    """Write the descriptor in `folder`; True if it changed."""
    path = folder / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    descriptor = json.loads(text)
    requests = [f.as_json() for f in result.fetches]
    old = descriptor.get("fetched", {}).get("requests", [])
    same = [(r["request"], r["sha256"]) for r in old] == \
           [(r["request"], r["sha256"]) for r in requests]
    if same and not files_changed:
        return False
    descriptor["fetched"] = {
        "publisher_release": result.release,
        "retrieved": max((f.retrieved for f in result.fetches), default=""),
        "requests": requests,
        "note": "Written by `make data` (scripts/refresh_data.py); any API key is removed from "
                "each request.",
    }
    descriptor["vintage"] = result.release
    descriptor["accessed"] = ctx.today.isoformat()
    if result.coverage_end:
        descriptor.setdefault("temporal_coverage", {})["end"] = result.coverage_end
    for resource, field, maximum, enum_value in result.widen:
        _widen(descriptor, resource, field, maximum, enum_value)
    new = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    path.write_text(new, encoding="utf-8")
    return new != text


def _widen(descriptor: dict, resource: str, field: str, maximum, enum_value) -> None:
    for res in descriptor["resources"]:
        if res["name"] != resource:
            continue
        for f in res["schema"]["fields"]:
            if f["name"] != field:
                continue
            constraints = f.setdefault("constraints", {})
            if maximum is not None and "maximum" in constraints and \
                    str(constraints["maximum"]) < str(maximum):
                constraints["maximum"] = maximum
            if enum_value is not None and "enum" in constraints and \
                    enum_value not in constraints["enum"]:
                constraints["enum"] = sorted([*constraints["enum"], enum_value])
