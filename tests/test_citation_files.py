"""CITATION.cff validates with cffconvert, and .zenodo.json describes the same work."""
from __future__ import annotations

import json
import subprocess

import yaml

from conftest import ROOT

CFFCONVERT = ROOT / ".venv-tools/bin/cffconvert"


def validate(path) -> subprocess.CompletedProcess:
    assert CFFCONVERT.exists(), "cffconvert is missing: run `make test` (it builds .venv-tools)"
    return subprocess.run([str(CFFCONVERT), "--validate", "-i", str(path)], capture_output=True,
                          text=True)


def test_citation_cff_is_valid():
    result = validate(ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout


def test_cffconvert_rejects_a_citation_without_authors(tmp_path):
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    del cff["authors"]
    (tmp_path / "CITATION.cff").write_text(yaml.safe_dump(cff, allow_unicode=True))
    assert validate(tmp_path / "CITATION.cff").returncode != 0


def test_zenodo_metadata_matches_citation_cff():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    zenodo = json.loads((ROOT / ".zenodo.json").read_text())
    assert zenodo["title"] == cff["title"]
    assert [c["name"] for c in zenodo["creators"]] == [a["name"] for a in cff["authors"]]
    assert zenodo["license"].lower() == cff["license"].lower()
    assert zenodo["upload_type"] in {"publication", "dataset"} and zenodo["access_right"] == "open"
