"""Shared fixtures: one real strict build of the portal per test session, and a scratch project
for builds that are meant to fail."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=project, capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole portal built once with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("build") / "site"
    result = mkdocs_build(ROOT, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture
def scratch_project(tmp_path) -> Path:
    """A copy of the portal's config and engine with an empty docs/ folder to write pages into."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "macros", project / "macros",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("data", "node_modules", "overrides"):
        (project / name).symlink_to(ROOT / name)
    (project / "docs").mkdir()
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(config.split("\nnav:")[0] + "\n")
    return project
