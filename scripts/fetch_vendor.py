"""Fetch the browser libraries the build ships (package.json `dependencies`: vega, vega-lite,
vega-embed, Noto Sans KR) into node_modules/ without Node.js, for `make build`.

Why not `npm ci`: the build reads only files inside these packages (their prebuilt bundles and
font files), never their dependencies, and npm would need a 200 MB Node.js in the build
environment. Each package is the exact tarball package-lock.json pins, checked against its
`integrity` (sha512) before anything is unpacked; `make test` runs `npm ci`, which installs the
same versions and the test tools (devDependencies) besides.

    python3.11 scripts/fetch_vendor.py  # standard library only; NPM_CONFIG_REGISTRY: the registry
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import sys
import tarfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")


def pinned(root: Path = ROOT) -> dict[str, dict]:
    """name -> its package-lock.json entry, for each of package.json's `dependencies`."""
    wanted = json.loads((root / "package.json").read_text())["dependencies"]
    lock = json.loads((root / "package-lock.json").read_text())["packages"]
    entries = {}
    for name, version in wanted.items():
        entry = lock.get(f"node_modules/{name}")
        if not entry or entry["version"] != version or not entry.get("integrity"):
            sys.exit(f"error: package-lock.json does not pin {name}@{version} with an integrity "
                     "hash: run `npm install --package-lock-only` and commit the lock")
        entries[name] = entry
    return entries


def tarball_url(name: str, entry: dict) -> str:
    """The lock's `resolved` URL, else the registry's (.npmrc omits `resolved` from the lock)."""
    return entry.get("resolved") or \
        f"{REGISTRY}/{name}/-/{name.rsplit('/', 1)[-1]}-{entry['version']}.tgz"


def verified(name: str, entry: dict, data: bytes) -> bytes:
    algorithm, _, expected = entry["integrity"].partition("-")
    if algorithm != "sha512" or hashlib.sha512(data).digest() != base64.b64decode(expected):
        raise SystemExit(f"error: {name}@{entry['version']}: the tarball does not match "
                         f"package-lock.json's integrity {entry['integrity'][:24]}…; not unpacked")
    return data


def unpack(name: str, data: bytes, modules: Path) -> None:
    """The tarball's `package/` as node_modules/<name>/: regular files and folders only, each
    inside the package folder (no links, no absolute or `..` paths)."""
    target = modules / name
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if not parts or parts[0] != "package" or ".." in parts or member.name.startswith("/"):
                raise SystemExit(f"error: {name}: unexpected path {member.name!r} in its tarball")
            if not (member.isfile() or member.isdir()):
                continue
            path = staging.joinpath(*parts[1:])
            if member.isdir():
                path.mkdir(parents=True, exist_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(tar.extractfile(member).read())
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def fetch(name: str, entry: dict, modules: Path) -> None:
    url = tarball_url(name, entry)
    with urllib.request.urlopen(url, timeout=120) as response:
        data = verified(name, entry, response.read())
    unpack(name, data, modules)


def main() -> None:
    modules = ROOT / "node_modules"
    entries = pinned()
    with ThreadPoolExecutor(max_workers=len(entries)) as pool:
        list(pool.map(lambda item: fetch(*item, modules), entries.items()))
    names = ", ".join(f"{name}@{entry['version']}" for name, entry in entries.items())
    print(f"fetched {names} (integrity checked against package-lock.json)")


if __name__ == "__main__":
    main()
