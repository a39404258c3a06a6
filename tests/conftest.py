"""Shared fixtures: one real strict build of the portal per test session, and a scratch project
for builds that are meant to fail."""
from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import os
import shutil
import threading
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
# Every build of one test run is dated the same day, as `make` dates them (see the Makefile):
# a run that crosses midnight would otherwise compare Tuesday's pages with Wednesday's.
os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time()) // 86400 * 86400))


def mkdocs_build(project: Path, site: Path, config: str = "mkdocs.yml",
                 languages: str = "en") -> subprocess.CompletedProcess:
    """A strict build; English alone (PORTAL_LANGUAGES=en, no switcher) unless `languages`
    says otherwise: only the session's `site` builds the Korean edition, once."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_LANGUAGES": languages}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config,
                           "-d", str(site)], cwd=project, capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id) -> Path:
    """The whole portal built once as `make build` builds it: `mkdocs build --strict`, and its
    Korean edition (mkdocs.ko.yml) into site/ko/, side by side (scripts/build_site.py). Once
    per test run: the first test worker (pytest.ini) to need it builds it, the other waits for
    that build and reads the same folder (no test writes into it)."""
    import fcntl
    shared = tmp_path_factory.getbasetemp()
    shared = (shared.parent if worker_id != "master" else shared) / "session-site"
    shared.mkdir(exist_ok=True)
    out, log = shared / "site", shared / "build.log"
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (shared / "built").exists() and not log.exists():
            result = subprocess.run(
                [sys.executable, "scripts/build_site.py", "mkdocs", "-d", str(out)], cwd=ROOT,
                capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                                                     "PORTAL_LANGUAGES": "en,ko"})
            log.write_text(result.stderr)
            if result.returncode == 0:
                (shared / "built").touch()
    stderr = log.read_text()
    assert (shared / "built").exists(), stderr[-4000:]
    assert "WARNING" not in stderr, stderr[-4000:]
    return out


def differing_files(a: Path, b: Path) -> list[str]:
    """The files that differ between two site folders (which must hold the same files)."""
    import filecmp
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b, set(files_a) ^ set(files_b)
    return [str(p) for p in files_a if not filecmp.cmp(a / p, b / p, shallow=False)]


def portal_copy(tmp_path: Path) -> Path:
    """A copy of the portal to edit (config, engine, pages, overrides, data), its browser
    packages and .cache/ the portal's own (link_cache)."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    for name in ("macros", "docs", "overrides", "data"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    link_cache(project)
    return project


def link_cache(project: Path) -> None:
    """`project`'s .cache/ is the portal's: its generated pages go to a folder of their own
    (macros/build.py: build_dir), and datasets, figures and PDFs are keyed by their inputs."""
    (ROOT / ".cache").mkdir(exist_ok=True)
    (project / ".cache").symlink_to(ROOT / ".cache")


@pytest.fixture
def scratch_project(tmp_path) -> Path:
    """A copy of the portal's config and engine with an empty docs/ folder to write pages into;
    the portal's .cache/ shared (as tests/bad_inputs does), so the build validates no dataset and
    renders no figure that an earlier build already did (each key is its inputs' content)."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "macros", project / "macros",
                    ignore=shutil.ignore_patterns("__pycache__"))
    link_cache(project)
    for name in ("data", "node_modules", "overrides"):
        (project / name).symlink_to(ROOT / name)
    (project / "docs").mkdir()
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(config.split("\nnav:")[0] + "\n")
    return project


@contextlib.contextmanager
def korean_labels_changed(monkeypatch, figure_id: str, change):
    """The Korean figure catalogue with the labels of `figure_id` changed by `change` (a label,
    its English, to leave out), with the caches that hold translations (specs, the chart font)
    emptied before and after."""
    from macros import i18n, runtime
    left_out = change if isinstance(change, str) else None
    if left_out is not None:
        change = lambda labels: {k: v for k, v in labels.items() if k != left_out}  # noqa: E731
    real = i18n._yaml

    def catalogue(path):
        data = real(path)
        if path.name != "figure_catalogue.ko.yaml":
            return data
        entry = dict(data[figure_id])
        entry["labels"] = change(dict(entry["labels"]))
        return {**data, figure_id: entry}
    runtime.reset()
    monkeypatch.setattr(i18n, "_yaml", catalogue)
    try:
        yield
    finally:
        monkeypatch.undo()
        runtime.reset()


def data_url_text(href: str) -> str:
    """The text a `data:…;base64,` download link carries (the cite blocks' downloads)."""
    head, _, body = href.partition(",")
    assert head.startswith("data:") and head.endswith(";base64"), head
    return base64.b64decode(body).decode("utf-8")


CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


# A strict policy without 'unsafe-eval': vega must draw through vega-embed's AST interpreter.
# ('unsafe-inline' stays for Material's own inline bootstrap scripts.)
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:")


def export_gh_pages(repo: Path, folder: Path) -> Path:
    """The `gh-pages` branch of `repo` as files in `folder`, as GitHub Pages would serve it."""
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


@contextlib.contextmanager
def serve(directory: Path):
    """A static file server for `directory` on a free loopback port, with the CSP below."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):
            self.send_header("Content-Security-Policy", CSP)
            super().end_headers()
    handler = functools.partial(Quiet, directory=str(directory))
    class Server(http.server.ThreadingHTTPServer):
        request_queue_size = 128  # the default 5 drops a checker's bursts on a busy machine
    httpd = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.exists(), "Debian's chromium is missing: run `make browser` (apt-get install chromium)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()




class Watch:
    """Console errors, page errors and any request that is not to the local server."""

    def __init__(self, page, origin: str):
        self.errors, self.outside = [], []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def route(r):
            if r.request.url.startswith(origin) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()
        page.route("**/*", route)
