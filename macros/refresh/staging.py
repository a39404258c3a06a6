"""The staged copy a refresh works in, and the swap into data/ that nothing can interrupt.

A refresh writes only under `<data>/../.cache/refresh/` until every check has passed; then the
changed files are moved into data/ with SIGINT/SIGTERM held back, so Ctrl-C or `kill` either
leaves data/ exactly as it was or lets the swap finish. Same file system, so each move is a
rename.
"""
from __future__ import annotations

import filecmp
import os
import shutil
import signal
from pathlib import Path


def workdir(data_dir: Path) -> Path:
    return data_dir.resolve().parent / ".cache" / "refresh"


def stage(data_dir: Path) -> Path:
    """A fresh copy of `data_dir` to refresh in."""
    staged = workdir(data_dir) / "staging"
    if staged.exists():
        shutil.rmtree(staged)
    shutil.copytree(data_dir, staged)
    return staged


def changed_files(data_dir: Path, staged: Path, dataset_ids: list[str]) -> list[str]:
    """Paths (relative to the data folder) whose staged content differs."""
    out = []
    for dataset_id in dataset_ids:
        for path in sorted((staged / dataset_id).iterdir()):
            target = data_dir / dataset_id / path.name
            if not target.exists() or not filecmp.cmp(path, target, shallow=False):
                out.append(f"{dataset_id}/{path.name}")
    return out


def commit(data_dir: Path, staged: Path, files: list[str]) -> None:
    """Move the staged `files` into data/, with interrupts held until every move is done."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        for name in files:
            os.replace(staged / name, data_dir / name)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def discard(data_dir: Path) -> None:
    shutil.rmtree(workdir(data_dir) / "staging", ignore_errors=True)
