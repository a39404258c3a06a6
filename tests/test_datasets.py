"""Descriptors are complete, match their CSV headers, and bad data stops the build with the
file, row and field named."""
from __future__ import annotations

import csv
import json
import shutil

import pytest

from macros import datasets, runtime
from macros.errors import PortalError

REQUIRED = ("name", "title", "description", "publisher", "vintage", "accessed", "sources",
            "licenses", "resources")


@pytest.mark.parametrize("dataset_id", datasets.ids())
def test_descriptor_is_complete_and_matches_csv_header(dataset_id):
    folder = datasets.DATA_DIR / dataset_id
    descriptor = json.loads((folder / "datapackage.json").read_text())
    for key in REQUIRED:
        assert descriptor.get(key), f"{dataset_id}: missing {key}"
    for res in descriptor["resources"]:
        fields = res["schema"]["fields"]
        with open(folder / res["path"], newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert header == [f["name"] for f in fields], f"{dataset_id}/{res['path']}"
        assert res["schema"].get("primaryKey"), f"{dataset_id}/{res['name']}: no primary key"
        for field in fields:
            assert field.get("type") and field.get("description"), f"{dataset_id}.{field['name']}"


@pytest.mark.parametrize("dataset_id", datasets.ids())
def test_every_dataset_validates(dataset_id):
    assert datasets.get(dataset_id).id == dataset_id


def test_reported_figures_cover_the_three_reports():
    table = datasets.get("reported_figures").table("reported_figures")
    assert len(table) >= 25
    assert set(table["report"]) == {"kita_2025_01", "kiet_2025", "kiep_2025_09", "moef_2024_q3"}
    assert table["id"].is_unique


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    """A copy of one dataset in a scratch data/ folder, with the cache pointed elsewhere."""
    data = tmp_path / "data"
    shutil.copytree(datasets.DATA_DIR / "us_duties_on_korea", data / "us_duties_on_korea")
    monkeypatch.setattr(datasets, "DATA_DIR", data)
    monkeypatch.setattr(datasets, "CACHE_DIR", tmp_path / "cache")
    datasets.get.cache_clear()
    yield data / "us_duties_on_korea"
    runtime.reset()  # nothing computed from the broken copy outlives the test


def test_bad_value_names_file_row_and_field(broken_data):
    path = broken_data / "annual.csv"
    lines = path.read_text().splitlines()
    lines[3] = lines[3].replace("2012,", "2012,lots", 1)  # duties_usd of 2012 is no longer a number
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(PortalError) as err:
        datasets.get("us_duties_on_korea")
    message = str(err.value)
    assert "data/us_duties_on_korea/annual.csv row 4, field 'duties_usd'" in message
    assert "fix the CSV or its schema" in message


def test_duplicate_primary_key_is_refused(broken_data):
    path = broken_data / "monthly_lines.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n")
    with pytest.raises(PortalError, match=rf"monthly_lines.csv row {len(lines) + 1}"):
        datasets.get("us_duties_on_korea")


def test_descriptor_without_vintage_is_refused(broken_data):
    path = broken_data / "datapackage.json"
    descriptor = json.loads(path.read_text())
    del descriptor["vintage"]
    path.write_text(json.dumps(descriptor))
    with pytest.raises(PortalError, match=r"datapackage.json: the descriptor has no 'vintage'"):
        datasets.get("us_duties_on_korea")


def test_unknown_dataset_suggests_closest():
    with pytest.raises(PortalError, match=r"did you mean 'us_duties_on_korea'"):
        datasets.get("us_duties_on_korae")


def test_validation_is_cached_by_content(broken_data):
    datasets.get("us_duties_on_korea")
    stamps = list((broken_data.parent.parent / "cache").glob("*.ok"))
    assert len(stamps) == 1
    path = broken_data / "monthly_lines.csv"  # a line no rule sums: still valid, new content
    path.write_text(path.read_text().replace("CAN,2010,1,11149419,", "CAN,2010,1,11149420,"))
    datasets.get.cache_clear()
    datasets.get("us_duties_on_korea")
    assert len(list((broken_data.parent.parent / "cache").glob("*.ok"))) == 2
