"""Which site generator and which versions built this edition, for its record (edition.json):
an edition rebuilt from its tag years later must be rebuilt with the same tools, and the record
says which, with the hash of the lock file they came from."""
from __future__ import annotations

import hashlib
import sys
from importlib import metadata

from . import datasets

PACKAGES = ("mkdocs", "properdocs", "zensical", "mkdocs-material", "mkdocs-macros-plugin", "mike",
            "markdown", "pymdown-extensions", "jinja2", "pandas", "altair", "vl-convert-python",
            "frictionless", "citeproc-py", "babel")  # PDFs: Chromium over its pipe (macros/cdp.py)
LOCKS = {"mkdocs": "requirements.lock", "properdocs": "requirements.lock",
         "zensical": "requirements-zensical.lock"}


def generator() -> str:
    """The generator running this build: Zensical and ProperDocs each import their own package
    (ProperDocs also answers to `mkdocs`), MkDocs only its own."""
    for name in ("zensical", "properdocs"):
        if name in sys.modules:
            return name
    return "mkdocs"


def versions() -> dict:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def record() -> dict:
    name = generator()
    lock = datasets.ROOT / LOCKS[name]
    return {"generator": name, "python": ".".join(map(str, sys.version_info[:3])),
            "packages": versions(),
            "lock": {"file": lock.name,
                     "sha256": hashlib.sha256(lock.read_bytes()).hexdigest() if lock.exists()
                     else None}}
