"""Edition records: what an edition published (every indicator value, every dataset's vintage
and content hash), and what moved between two editions.

`edition.json` is written into each built edition; the release script hands the previous
edition's record to the next build, whose "What changed" page compares the two.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

from . import datasets, indicators
from .errors import PortalError

PREVIOUS_RECORD_ENV = "PORTAL_PREVIOUS_EDITION"
SOURCE_COMMIT_ENV = "PORTAL_SOURCE_COMMIT"  # set by scripts/release.py: the tagged commit built


def _key(indicator_id: str, obs: dict, dims: tuple[str, ...]) -> tuple:
    return (indicator_id, obs["period"], *(str(obs[d]) for d in dims))


def record(edition: str, pages: dict | None = None) -> dict:
    """The record of the edition being built; `pages` (page src -> observations its text shows)
    lets a later review say where a moved number appears."""
    out = {
        "edition": edition,
        "datasets": {d: {"vintage": datasets.get(d).vintage,
                         "sha256": datasets.get(d).content_hash, **_translated_vintages(d)}
                     for d in datasets.ids()},
        "indicators": {
            ind.id: [{k: (round(v, 10) if isinstance(v, float) else v) for k, v in row.items()
                      if k in ("period", "months", "value", *ind.dimensions)}
                     for row in indicators.observations(ind.id).to_dict("records")]
            for ind in indicators.REGISTRY.values()},
    }
    if os.environ.get(SOURCE_COMMIT_ENV):
        out["source_commit"] = os.environ[SOURCE_COMMIT_ENV]
    if pages is not None:
        out["pages"] = {src: list(used) for src, used in sorted(pages.items())}
    return out


def _translated_vintages(dataset_id: str) -> dict:
    """{"translations": {lang: {"vintage": …}}}: the vintage each translated edition shows,
    so the next edition's "What changed" can say what it was in that language. A translation
    that no longer follows the data (an English-only build after a refresh) is left out."""
    from . import i18n
    found = {}
    for lang in i18n.LANGUAGES:
        if lang != i18n.SOURCE:
            try:
                found[lang] = {"vintage": i18n.dataset(datasets.get(dataset_id), "vintage", lang)}
            except PortalError:
                pass
    return {"translations": found} if found else {}


def vintage(rec: dict, dataset_id: str, lang: str) -> str | None:
    """The vintage edition record `rec` published for `dataset_id`, in `lang` (None: a dataset
    it did not have): in the words the record keeps (editions since issue #14 record each
    language's), else as the translations beside the dataset say it (i18n.earlier_vintage)."""
    from . import i18n
    entry = rec["datasets"].get(dataset_id)
    if entry is None:
        return None
    said = entry.get("translations", {}).get(lang, {}).get("vintage")
    return said or i18n.earlier_vintage(datasets.get(dataset_id), entry["vintage"], lang,
                                        edition=rec.get("edition"))


def pages_showing(rec: dict, change: "Change") -> list[str]:
    """The pages of edition record `rec` whose text shows the number `change` is about."""
    dims = indicators.get(change.indicator).dimensions if change.indicator in indicators.REGISTRY \
        else ()
    wanted = {"indicator": change.indicator, "period": change.period, **dict(zip(dims, change.dims))}

    def shows(entry: dict) -> bool:  # in the text, or among the periods a figure draws
        if "figure" in entry:
            return (entry["indicator"], entry["period"]) == (change.indicator, change.period)
        return entry == wanted
    return [src for src, used in rec.get("pages", {}).items() if any(map(shows, used))]


def previous_record() -> dict | None:
    """The previous edition's record, if the release script supplied one."""
    path = os.environ.get(PREVIOUS_RECORD_ENV)
    if not path:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PortalError(f"{PREVIOUS_RECORD_ENV}={path}: cannot read the previous edition's "
                          f"record ({exc}); unset it or point it at an edition.json") from exc


@dataclass(frozen=True)
class Change:
    indicator: str
    period: str
    dims: tuple[str, ...]
    old: float | None
    new: float | None
    cause: str


def changes(old: dict, new: dict) -> tuple[list[Change], list[str]]:
    """Published numbers that moved, were added or were withdrawn, and datasets that changed."""
    changed_data = sorted(d for d, meta in new["datasets"].items()
                          if old["datasets"].get(d, {}).get("sha256") != meta["sha256"])
    moved = []
    for ind_id, rows in new["indicators"].items():
        dims = indicators.get(ind_id).dimensions if ind_id in indicators.REGISTRY else ()
        before = {_key(ind_id, r, dims): r["value"] for r in old["indicators"].get(ind_id, [])}
        after = {_key(ind_id, r, dims): r["value"] for r in rows}
        months_before = {_key(ind_id, r, dims): r.get("months")
                         for r in old["indicators"].get(ind_id, [])}
        months_after = {_key(ind_id, r, dims): r.get("months") for r in rows}
        revised = any(d in changed_data for d in indicators.get(ind_id).sources()) \
            if ind_id in indicators.REGISTRY else True
        for key in sorted(set(before) | set(after)):
            a, b = before.get(key), after.get(key)
            if a is not None and b is not None and math.isclose(a, b, rel_tol=0, abs_tol=1e-9):
                continue
            cause = ("new data" if a is None else "withdrawn" if b is None
                     else "more months published" if None not in (months_before[key],
                                                                  months_after[key])
                     and months_before[key] != months_after[key]
                     else "data revision" if revised else "method change")
            moved.append(Change(ind_id, key[1], key[2:], a, b, cause))
    return moved, changed_data
