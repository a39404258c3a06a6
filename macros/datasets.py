"""Datasets: `data/<id>/datapackage.json` (Frictionless) plus CSV files, validated before use.

A dataset is read only through this module, so every number on the site comes from a file whose
descriptor says where it came from and which passed Frictionless validation. Validation results
are cached by a content hash of the descriptor and its files: an unchanged dataset is not
re-validated, a changed byte is.
"""
from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import PortalError, unknown

# Text columns held as Python strings, whether or not pyarrow is installed: pandas would store
# them in pyarrow where it is (`make test`'s environment, not `make build`'s), and a build must
# not depend on which one made it, nor its cached tables on which one reads them.
pd.set_option("mode.string_storage", "python")

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
        return [self.folder / "datapackage.json"] + [self.folder / str(r.get("path"))
                                                     for r in self.resources]

    @functools.cached_property
    def content_hash(self) -> str:
        """sha256 of the descriptor and files, read once per Dataset (files do not change
        during a build; `get` makes a new Dataset after its cache is cleared)."""
        digest = hashlib.sha256()
        for path in self.files():
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.is_file() else b"(missing)")
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
    return CACHE_DIR / f"{dataset.id}-{dataset.content_hash}-{_ENGINE}.ok"


# The checking code is part of the cache key: a stamp says "passed these checks", not others.
_ENGINE = hashlib.sha256(b"".join(
    (Path(__file__).parent / name).read_bytes() for name in ("datasets.py", "checks.py")
)).hexdigest()[:12]


def _problems(descriptor_path: str) -> str | None:
    """Every check of one dataset, in order (files, units, Frictionless, the descriptor's
    rules): None if it passed, else the message. Runs in worker processes too."""
    folder = Path(descriptor_path).parent
    dataset = Dataset(folder.name, folder, json.loads(Path(descriptor_path).read_text("utf-8")))
    stages = (_file_problems, _unit_problems, _frictionless_problems, _rule_problems)
    for stage in stages:
        problems = stage(dataset)
        if problems:
            return "\n".join([f"data/{dataset.id}: {_STAGE_TITLES[stage.__name__]}:"]
                             + [f"  {p}" for p in problems[:10]]
                             + ([f"  … and {len(problems) - 10} more"] if len(problems) > 10
                                else []))
    return None


_STAGE_TITLES = {
    "_file_problems": "a data file does not read as its descriptor says; fix the CSV or its schema",
    "_unit_problems": "a field's unit is missing or not from the portal's list (macros/checks.py)",
    "_frictionless_problems": "Frictionless validation failed; fix the CSV or its schema",
    "_rule_problems": "the data break a plausibility or consistency rule of its "
                      "datapackage.json (checks); fix the data, or the rule if the data are right",
}


def prevalidate() -> None:
    """Validate every not-yet-validated dataset in parallel worker processes (a cold build's
    largest cost); results land in the same cache that `validate` reads."""
    import fcntl
    from concurrent.futures import ProcessPoolExecutor
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / ".prevalidate.lock", "w") as lock:  # one build at a time validates:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one built beside it finds the stamps when it is done
        todo = [d for d in map(_load, ids()) if not _stamp(d).exists()]
        if len(todo) < 2:
            return
        with ProcessPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1)) as pool:
            results = pool.map(_problems, [str(d.folder / "datapackage.json") for d in todo])
            for dataset, problems in zip(todo, results):
                if problems is None:
                    _write_stamp(dataset)


def _write_stamp(dataset: Dataset) -> None:
    from importlib.metadata import version  # not `import frictionless`: after prevalidate's
    CACHE_DIR.mkdir(parents=True, exist_ok=True)  # workers, importing it here costs a second
    _stamp(dataset).write_text(f"valid under frictionless {version('frictionless')}\n")


def validate(dataset: Dataset) -> None:
    """Validate descriptor and files (readable CSV, units, Frictionless, the descriptor's rules),
    unless this exact content passed the same checks before."""
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
    problems = _problems(str(dataset.folder / "datapackage.json"))
    if problems:
        raise PortalError(problems)
    _write_stamp(dataset)


# --- stage 1: can each file be read as the descriptor says? -------------------------------
_EXCEL_ERRORS = ("#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#N/D")
_NUMBER_FORMS = (  # (pattern, what it is): the forms spreadsheets leave in a number column
    (re.compile(r"-?\d(\.\d+)?E[+-]?\d+"), "in Excel's scientific display form, which keeps "
     "only a few significant digits: write the number in full, as published"),
    (re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?"), "written with thousands separators: write it "
     "without them (e.g. 69068.6)"),
    (re.compile(r"-?\d{1,3}(\.\d{3})+,\d+|-?\d+,\d+"), "written with a decimal comma: write it "
     "with a decimal point (e.g. 69068.6)"),
    (re.compile(r"-?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?"), "written with spaces between "
     "thousands: write it without them"),
    (re.compile(r"[-$€£₩]?\s?-?[\d.,]+\s?[%$€£₩]?|\(\d[\d.,]*\)"), "written with a currency or "
     "per-cent sign or in accounting brackets: write the bare number in the field's unit"),
)


def _file_problems(dataset: Dataset) -> list[str]:
    problems = []
    for res in dataset.resources:
        path = dataset.folder / res.get("path", "")
        if not res.get("path") or not path.is_file():
            present = sorted(p.name for p in dataset.folder.glob("*.csv"))
            problems.append(
                f"data/{dataset.id}/datapackage.json: resource {res.get('name')!r} has path "
                f"{res.get('path')!r}, but data/{dataset.id}/ has no such file (it has "
                f"{', '.join(present) or 'no CSV'}); add the file or correct the path")
            continue
        problems += _csv_problems(dataset, res, path)
    return problems


def _csv_problems(dataset: Dataset, res: dict, path: Path) -> list[str]:
    where = f"data/{dataset.id}/{res['path']}"
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        return [f"{where}: the file starts with a byte-order mark (Excel's \"CSV UTF-8\" writes "
                "one); save it as plain UTF-8 without a BOM"]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return [f"{where}: the file is UTF-16 (Excel's \"Unicode text\"); save it as UTF-8 CSV"]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        context = raw[start:raw.find(b"\n", exc.start)].decode("cp1252", errors="replace")
        return [f"{where} line {line}: not UTF-8 (byte 0x{raw[exc.start]:02x} in "
                f"{context[:80]!r}, which reads as Windows-1252/Latin-1); re-save the file as "
                "UTF-8"]
    fields = res["schema"]["fields"]
    names = [f["name"] for f in fields]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [f"{where}: the file is empty; restore its header and rows"]
    header = rows[0]
    if header != names:
        if len(header) == 1 and len(names) > 1:
            sep = next((s for s in (";", "\t", "|") if s in header[0]), None)
            if sep:
                return [f"{where} line 1: the file is {_SEPARATORS[sep]}-separated (as Excel "
                        "saves CSV where the decimal mark is a comma); save it comma-separated"]
        missing = [n for n in names if n not in header]
        extra = [h for h in header if h not in names]
        if missing:
            return [f"{where} line 1 (header): column {m!r} of the schema is missing"
                    + (f" (the header has {extra[0]!r} instead?)" if extra else "")
                    + "; add the column to the file or remove the field from the schema"
                    for m in missing[:3]]
        if extra:
            return [f"{where} line 1 (header): column {e!r} is not in the schema; add a field "
                    "for it to datapackage.json or remove the column" for e in extra[:3]]
        return [f"{where} line 1 (header): the columns are in another order than the "
                f"schema's fields ({', '.join(names)}); reorder one to match"]
    if len(rows) == 1:
        return [f"{where}: the file has a header but no data rows (an empty export?); restore "
                "the rows, or remove the resource from datapackage.json"]
    numeric = [(i, f) for i, f in enumerate(fields) if f.get("type") in ("number", "integer")]
    missing_values = set(res["schema"].get("missingValues", [""]))
    problems = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            problems.append(f"{where} row {line}: the row is blank; delete it")
        elif len(row) != len(names):
            text_of_row = ",".join(row)
            looks = (" — a note under the table? move notes into the resource's description "
                     "in datapackage.json and delete the row" if len(row) < len(names) else "")
            problems.append(f"{where} row {line}: {len(row)} cells where the header has "
                            f"{len(names)} ({text_of_row[:80]!r}){looks or '; fix the row'}")
        else:
            for i, field in numeric:
                cell = row[i]
                if cell in missing_values or _is_plain_number(cell, field.get("type")):
                    continue
                problems.append(f"{where} row {line}, field {field['name']!r}: "
                                f"{_not_a_number(cell, field)}")
        if len(problems) >= 10:
            break
    return problems


_SEPARATORS = {";": "semicolon", "\t": "tab", "|": "pipe"}
_PLAIN = {"number": re.compile(r"-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?"),
          "integer": re.compile(r"-?\d+")}


def _is_plain_number(cell: str, kind: str) -> bool:
    return bool(_PLAIN[kind].fullmatch(cell))


def _not_a_number(cell: str, field: dict) -> str:
    kind = "a whole number" if field.get("type") == "integer" else "a number"
    if cell.strip() in _EXCEL_ERRORS:
        return (f"{cell!r} is a spreadsheet error value, not {kind}; take the value from the "
                "publisher's file, or leave the cell empty if the publisher has none")
    if cell != cell.strip():
        return f"{cell!r} has spaces around the number; remove them"
    if field.get("type") == "integer" and _PLAIN["number"].fullmatch(cell):
        return (f"{cell!r} is not a whole number, but the field holds whole numbers (in "
                f"{field.get('unit', 'its unit')}); write the value as published")
    for pattern, what in _NUMBER_FORMS:
        if pattern.fullmatch(cell):
            return f"{cell!r} is {what}"
    return (f"{cell!r} is not {kind} (in {field.get('unit', 'the field’s unit')}); write "
            f"{kind}, or leave it empty where the value is missing")


# --- stage 2: units from the closed list ------------------------------------------------------
def _unit_problems(dataset: Dataset) -> list[str]:
    from . import checks
    return checks.check_units(dataset.id, dataset.descriptor)


# --- stage 3: Frictionless -----------------------------------------------------------------
def _frictionless_report(descriptor_path: str):
    import frictionless
    return frictionless.validate(descriptor_path)


def _frictionless_problems(dataset: Dataset) -> list[str]:
    report = _frictionless_report(str(dataset.folder / "datapackage.json"))
    if report.valid:
        return []
    lines = [f"data/{dataset.id}/datapackage.json: {e.message}" for e in report.errors]
    for task in report.tasks:
        where = f"data/{dataset.id}/{Path(task.place).name}"
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            place = where + (f" row {row}" if row else "") + (f", field {field!r}" if field else "")
            lines.append(f"{place}: {_readable(error, dataset, field)}")
    return lines


def _readable(error, dataset: Dataset, field_name) -> str:
    """Frictionless's note in an analyst's words: the cell, the rule it breaks, the fix."""
    cell = getattr(error, "cell", None)
    note = error.note or error.message
    if error.type == "constraint-error" and cell is not None:
        match = re.match(r'constraint "(\w+)" is "(.*)"', note)
        if match:
            name, limit = match.groups()
            if name == "required":
                return (f"the cell is empty, but field {field_name!r} is required; fill it in "
                        "from the publisher's file")
            words = {"minimum": f"below the minimum {limit}", "maximum": f"above the maximum "
                     f"{limit}", "enum": f"not one of {limit}", "pattern": f"not of the form "
                     f"{limit}"}
            return (f"{cell!r} is {words.get(name, f'against {name} {limit}')} that the schema "
                    f"allows; correct the value (its unit or scale?), or, if it is right, change "
                    f"constraints.{name} of field {field_name!r} in datapackage.json")
    if error.type == "type-error" and cell is not None:
        return f"{cell!r} is not of type {note.split()[-1].strip(chr(34))}; correct the value"
    if error.type in ("primary-key", "unique-error"):
        return f"{note}: the same key appears twice; remove the duplicate row"
    return note


# --- stage 4: the descriptor's rules -------------------------------------------------------------
def _rule_problems(dataset: Dataset) -> list[str]:
    from . import checks
    return checks.check(dataset.id, dataset.descriptor, lambda name: _frame(dataset, name))


@functools.cache
def _read_table(dataset_id: str, name: str, _content_hash: str) -> pd.DataFrame:
    return _frame(get(dataset_id), name)


def _frame(dataset: Dataset, name: str) -> pd.DataFrame:
    """Resource `name` of `dataset` read with the types of its schema (no validation here)."""
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
