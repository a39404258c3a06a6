"""Publish an edition: `make release EDITION=2026.11 [PUSH=1]`.

Builds and checks the site, refuses to overwrite an edition that already exists, hands the
previous edition's record to the build (for its "What changed" page), and deploys with mike to
the local `gh-pages` branch, moving the `latest` alias. Editions are permanent: an existing
edition is never rebuilt; publish a suffixed edition (2026.11-2) instead.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITION = re.compile(r"^20\d\d\.(0[1-9]|1[0-2])(-[2-9])?$")
BRANCH = "gh-pages"
ALIAS = "latest"


class ReleaseError(Exception):
    pass


def run(*cmd: str, env: dict | None = None, capture: bool = False) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, text=True,
                            capture_output=capture)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout or "").strip()[-3000:] if capture else ""
        raise ReleaseError(f"`{' '.join(cmd)}` failed (exit {result.returncode}). {detail}")
    return result.stdout if capture else ""


def published() -> list[dict]:
    """Editions already on the gh-pages branch, newest first (mike's versions.json)."""
    shown = subprocess.run(["git", "show", f"{BRANCH}:versions.json"], cwd=ROOT, text=True,
                           capture_output=True)
    editions = json.loads(shown.stdout) if shown.returncode == 0 else []
    return sorted(editions, key=lambda e: sort_key(e["version"]), reverse=True)


def check_new(edition: str, editions: list[dict]) -> None:
    if not EDITION.match(edition):
        raise ReleaseError(f"edition {edition!r} is not of the form YYYY.MM or YYYY.MM-N "
                           "(e.g. 2026.11, or 2026.11-2 for a second edition that month)")
    for entry in editions:
        if entry["version"] == edition:
            raise ReleaseError(
                f"edition {edition} already exists on {BRANCH} and is never overwritten: "
                f"readers cite it. Publish a new edition instead, e.g. "
                f"{next_suffix(edition, editions)}.")
    if editions and sort_key(edition) < sort_key(editions[0]["version"]):
        raise ReleaseError(f"edition {edition} is older than the latest published edition "
                           f"{editions[0]['version']}; editions are dated and move forward")


def sort_key(edition: str) -> tuple:
    base, _, n = edition.partition("-")
    return (base, int(n or 1))


def next_suffix(edition: str, editions: list[dict]) -> str:
    base = edition.split("-")[0]
    taken = {e["version"] for e in editions}
    return next(f"{base}-{n}" for n in range(2, 10) if f"{base}-{n}" not in taken)


def release(edition: str, push: bool) -> None:
    editions = published()
    check_new(edition, editions)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as tmp:
        if editions:
            previous = editions[0]["version"]
            record = Path(tmp) / "previous-edition.json"
            record.write_text(run("git", "show", f"{BRANCH}:{previous}/edition.json",
                                  capture=True))
            env["PORTAL_PREVIOUS_EDITION"] = str(record)
            print(f"previous edition: {previous}")
        env["MIKE_DOCS_VERSION"] = edition
        print(f"checking: strict build of edition {edition}")
        run(sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(Path(tmp) / "site"),
            env=env, capture=True)
        if not (Path(tmp) / "site" / "edition.json").exists():
            raise ReleaseError("the check build wrote no edition.json; not deploying")
        print(f"deploying {edition} to {BRANCH} with alias {ALIAS}")
        run(str(Path(sys.executable).parent / "mike"), "deploy", "--update-aliases",
            "-m", f"Edition {edition}", *(["--push"] if push else []), edition, ALIAS,
            env=env, capture=True)
        if not editions:
            run(str(Path(sys.executable).parent / "mike"), "set-default", *(["--push"] if push else []),
                ALIAS, env=env, capture=True)
    print(f"published edition {edition}" + (" and pushed" if push else " (local gh-pages only)"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("edition", help="YYYY.MM, or YYYY.MM-N for a later edition that month")
    parser.add_argument("--push", action="store_true", help="also push gh-pages to origin")
    args = parser.parse_args(argv)
    try:
        release(args.edition, args.push)
    except ReleaseError as exc:
        print(f"release refused: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
