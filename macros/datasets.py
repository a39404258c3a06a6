"""Datasets: `data/<id>/datapackage.json` (Frictionless) plus CSV files, validated before use.

A dataset is read only through this module, so every number on the site comes from a file whose
descriptor says where it came from and which passed Frictionless validation. Validation results
are cached by a content hash of the descriptor and its files: an unchanged dataset is not
re-validated, a changed byte is.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import PortalError, unknown

ROOT = Path(__file__).resolve().parent.parent
# The data folder; `PORTAL_DATA_DIR` points a build at another one (a refresh's staged copy).
DATA_DIR = Path(os.environ.get("PORTAL_DATA_DIR") or ROOT / "data").resolve()
CACHE_DIR = ROOT / ".cache" / "validation"

_PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "float64", "year": "Int64"}


@dataclass(frozen=True)
class Dataset:
    """One dataset folder: its descriptor and how to read its resources."""

    id: str
    folder: Path
    descriptor: dict

    @property
    def title(self) -> str:
        return self.descriptor["title"]

    @property
    def publisher(self) -> str:
        return self.descriptor.get("publisher", "")

    @property
    def vintage(self) -> str:
        return self.descriptor.get("vintage", "")

    @property
    def resources(self) -> list[dict]:
        return self.descriptor["resources"]

    def resource(self, name: str) -> dict:
        for res in self.resources:
            if res["name"] == name:
                return res
        raise unknown(f"resource of dataset {self.id!r}", name, [r["name"] for r in self.resources])

    def files(self) -> list[Path]:
        return [self.folder / "datapackage.json"] + [self.folder / r["path"] for r in self.resources]

    @functools.cached_property
    def content_hash(self) -> str:
        """sha256 of the descriptor and files, read once per Dataset (files do not change
        during a build; `get` makes a new Dataset after its cache is cleared)."""
        digest = hashlib.sha256()
        for path in self.files():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def table(self, name: str) -> pd.DataFrame:
        """The resource as a DataFrame typed from its schema (codes stay strings)."""
        return _read_table(self.id, name, self.content_hash)


def ids() -> list[str]:
    """Every dataset id, i.e. every folder of data/ with a descriptor."""
    return sorted(p.parent.name for p in DATA_DIR.glob("*/datapackage.json"))


@functools.cache
def get(dataset_id: str) -> Dataset:
    """The validated dataset `dataset_id`; a PortalError names the file, row and field if invalid."""
    dataset = _load(dataset_id)
    validate(dataset)
    return dataset


def _load(dataset_id: str) -> Dataset:
    """The dataset folder and its parsed descriptor, not yet validated."""
    folder = DATA_DIR / dataset_id
    path = folder / "datapackage.json"
    if not path.exists():
        raise unknown("dataset", dataset_id, ids(), hint="datasets are the folders of data/")
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PortalError(f"{_rel(path)}: not valid JSON (line {exc.lineno}): {exc.msg}") from exc
    return Dataset(dataset_id, folder, descriptor)


def _stamp(dataset: Dataset) -> Path:
    return CACHE_DIR / f"{dataset.id}-{dataset.content_hash}.ok"


def _frictionless_report(descriptor_path: str):
    import frictionless
    return frictionless.validate(descriptor_path)


def prevalidate() -> None:
    """Validate every not-yet-validated dataset in parallel worker processes (a cold build's
    largest cost); results land in the same cache that `validate` reads."""
    from concurrent.futures import ProcessPoolExecutor
    todo = [d for d in map(_load, ids()) if not _stamp(d).exists()]
    if len(todo) < 2:
        return
    with ProcessPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1)) as pool:
        reports = pool.map(_frictionless_report,
                           [str(d.folder / "datapackage.json") for d in todo])
        for dataset, report in zip(todo, reports):
            if report.valid:
                _write_stamp(dataset)


def _write_stamp(dataset: Dataset) -> None:
    import frictionless
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    _stamp(dataset).write_text(f"valid under frictionless {frictionless.__version__}\n")


def validate(dataset: Dataset) -> None:
    """Validate descriptor and files with Frictionless, unless this exact content passed before."""
    for key in ("name", "title", "publisher", "vintage", "sources", "licenses", "resources"):
        if not dataset.descriptor.get(key):
            raise PortalError(
                f"{_rel(dataset.folder / 'datapackage.json')}: the descriptor has no {key!r}; "
                "every dataset states its title, publisher, vintage, sources and licence"
            )
    if dataset.descriptor["name"] != dataset.id:
        raise PortalError(
            f"{_rel(dataset.folder / 'datapackage.json')}: name {dataset.descriptor['name']!r} "
            f"differs from its folder {dataset.id!r}; rename one so they match"
        )
    if _stamp(dataset).exists():
        return
    report = _frictionless_report(str(dataset.folder / "datapackage.json"))
    if not report.valid:
        raise PortalError(_describe_errors(dataset, report))
    _write_stamp(dataset)


def _describe_errors(dataset: Dataset, report) -> str:
    lines = [f"data/{dataset.id}: Frictionless validation failed; fix the CSV or its schema:"]
    for error in report.errors:  # package-level (descriptor) errors
        lines.append(f"  data/{dataset.id}/datapackage.json: {error.message}")
    for task in report.tasks:
        where = f"data/{dataset.id}/{Path(task.place).name}"
        for error in task.errors[:10]:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            place = where + (f" row {row}" if row else "") + (f", field {field!r}" if field else "")
            lines.append(f"  {place}: {error.note or error.message}")
        if len(task.errors) > 10:
            lines.append(f"  {where}: … and {len(task.errors) - 10} more errors")
    return "\n".join(lines)


@functools.cache
def _read_table(dataset_id: str, name: str, _content_hash: str) -> pd.DataFrame:
    dataset = get(dataset_id)
    res = dataset.resource(name)
    fields = res["schema"]["fields"]
    dtypes = {f["name"]: _PANDAS_TYPES.get(f.get("type", "string"), "string") for f in fields}
    dtypes.update({f["name"]: "string" for f in fields if f.get("type") in ("boolean", "date")})
    frame = pd.read_csv(
        dataset.folder / res["path"], dtype=dtypes, keep_default_na=False,
        na_values=res["schema"].get("missingValues", [""]),
    )
    for field in fields:
        column = field["name"]
        if field.get("type") == "boolean":
            true = set(field.get("trueValues", ["true", "True", "TRUE", "1"]))
            frame[column] = frame[column].map(lambda v, t=true: None if pd.isna(v) else v in t)
        elif field.get("type") == "date":
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame


def use_data_dir(folder: Path) -> None:
    """Read datasets from `folder` from now on (and forget everything read from the old one)."""
    global DATA_DIR
    DATA_DIR = Path(folder).resolve()
    from . import runtime
    runtime.reset()


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
