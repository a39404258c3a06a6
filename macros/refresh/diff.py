"""Rows added, revised (old -> new, cell by cell) and removed, by each resource's primary key."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import csvtext


@dataclass
class ResourceDiff:
    resource: str
    key: list[str]
    added: list[tuple] = field(default_factory=list)
    revised: list[tuple[tuple, dict[str, tuple[str, str]]]] = field(default_factory=list)
    removed: list[tuple] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.revised or self.removed)


def dataset(old: Path, new: Path) -> list[ResourceDiff]:
    """The row differences of every resource between two folders of one dataset."""
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    out = []
    for res in descriptor["resources"]:
        key = res["schema"].get("primaryKey") or []
        key = [key] if isinstance(key, str) else list(key)
        before = _rows(old / res["path"], key)
        after = _rows(new / res["path"], key)
        diff = ResourceDiff(res["name"], key)
        for k in sorted(set(before) | set(after), key=_sortable):
            a, b = before.get(k), after.get(k)
            if a is None:
                diff.added.append(k)
            elif b is None:
                diff.removed.append(k)
            elif a != b:
                diff.revised.append((k, {c: (a.get(c, ""), b.get(c, "")) for c in b
                                         if a.get(c, "") != b.get(c, "")}))
        out.append(diff)
    return out


def _rows(path: Path, key: list[str]) -> dict[tuple, dict]:
    if not path.exists():
        return {}
    _, rows = csvtext.read(path)
    if not key:   # no primary key: the whole row is its identity
        return {tuple(r.values()): r for r in rows}
    return {tuple(r[c] for c in key): r for r in rows}


def _sortable(key: tuple) -> tuple:
    return tuple((0, int(v), "") if v.lstrip("-").isdigit() else (1, 0, v) for v in key)
