"""Apply one bad-input case (tests/bad_inputs/*.yaml) to a copy of the portal and run the step
that must refuse it: dataset validation, an indicator, a page's macros, or a real strict build.

A case is a mapping:
  id, category        names it (category: one of CATEGORIES in test_bad_inputs.py)
  dataset / file      data/<dataset>/<file> to change (file "datapackage.json": the descriptor)
  page                docs/<page> to change (or create, with `text`)
  one change:         replace: [old, new] (old must occur exactly once; `count: all` for every
                      occurrence) | append: text | text: whole new content | delete: true |
                      bytes_prefix: "\\ufeff" | encode: cp1252 | header_only: true |
                      delimiter: ";" | json: [[path, value], ...] (path "resources.0.path";
                      value null deletes the key)
  step                validate (default for data) | indicator: <id> | page (in-process render of
                      the page) | build (mkdocs build --strict of a scratch copy)
  expect              the substrings the message must contain: where (file + row + field, or
                      page + line) and what to fix
  ok: true            the change is valid and must be accepted (e.g. braces in a code block);
                      `expect_html` then lists what the page must show
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import yaml

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = Path(__file__).resolve().parent


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            case["source"] = path.name
            cases.append(case)
    return cases


def apply(case: dict, target: Path) -> None:
    """Make the case's one change to `target` (a file that may not exist yet)."""
    if case.get("delete"):
        target.unlink()
        return
    if "text" in case:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(case["text"], encoding="utf-8")
        return
    raw = target.read_bytes()
    if "bytes_prefix" in case:
        target.write_bytes(case["bytes_prefix"].encode("utf-8") + raw)
        return
    text = raw.decode("utf-8")
    if "replace" in case:
        old, new = case["replace"]
        found = text.count(old)
        assert found == 1 or (case.get("count") == "all" and found), \
            f"{case['id']}: {old!r} occurs {found} times in {target.name}"
        text = text.replace(old, new)
    elif "append" in case:
        text += case["append"]
    elif case.get("header_only"):
        text = text.splitlines()[0] + "\n"
    elif "delimiter" in case:
        import csv
        import io
        rows = list(csv.reader(io.StringIO(text, newline="")))
        out = io.StringIO()
        csv.writer(out, delimiter=case["delimiter"], lineterminator="\n").writerows(rows)
        text = out.getvalue()
    elif "json" in case:
        descriptor = json.loads(text)
        for path, value in case["json"]:
            *parents, last = path.split(".")
            node = descriptor
            for key in parents:
                node = node[int(key)] if isinstance(node, list) else node[key]
            key = int(last) if isinstance(node, list) else last
            if value is None:
                del node[key]
            else:
                node[key] = value
        text = json.dumps(descriptor, indent=2, ensure_ascii=False)
    if "encode" in case:
        target.write_bytes(text.encode(case["encode"]))
    else:
        target.write_text(text, encoding="utf-8")


def data_copy(case: dict, tmp: Path) -> Path:
    """A data/ folder in `tmp` with the real datasets (the changed one copied, others linked)."""
    data = tmp / "data"
    data.mkdir()
    for folder in sorted((ROOT / "data").iterdir()):
        if folder.name == case.get("dataset"):
            shutil.copytree(folder, data / folder.name)
        elif folder.is_dir():
            (data / folder.name).symlink_to(folder)
    if case.get("dataset"):
        apply(case, data / case["dataset"] / case["file"])
    return data


# --- pages rendered in-process, exactly as mkdocs-macros renders them ---------------------------
def _hooks():
    spec = importlib.util.spec_from_file_location("portal_hooks_for_tests",
                                                  ROOT / "macros" / "mkdocs_hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def render_page(src: str, text: str, lang: str = "en") -> str:
    """The page's HTML-bearing Markdown after macros, or the build's stop (PortalError or
    PluginError) with the message MkDocs would print; `lang`: as that language's build
    (mkdocs.<lang>.yml, its pages in docs-<lang>/) renders it."""
    import jinja2
    from mkdocs_macros.errors import format_error

    import macros
    from macros.registry import MACROS
    file = SimpleNamespace(src_uri=src, src_path=src, abs_src_path=None)
    page = SimpleNamespace(file=file, title=None, url=src.replace(".md", "/"), meta={})
    env = SimpleNamespace(page=page, markdown=text, conf={
        "site_url": "https://example.org/korea-us-briefings/", "extra": {"edition": "dev"},
        "theme": {"language": lang}, "docs_dir": str(ROOT / ("docs" if lang == "en" else f"docs-{lang}"))})
    macros.on_pre_page_macros(env)
    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined)
    for name, fn in MACROS.items():
        jinja.globals[name] = macros._bind(env, name, fn)
    markdown = _hooks().on_page_markdown(text, page=page)
    env.markdown = markdown
    try:
        out = jinja.from_string(markdown).render()
    except Exception as error:  # noqa: BLE001  (the plugin hands every error to format_error)
        format_error(error, markdown=markdown, page=page)
        raise
    macros.errors.guard(lambda: macros._check_sources(env, macros._context(env)))
    return out


# --- real builds -------------------------------------------------------------------------------
def scratch_project(tmp: Path, case: dict) -> Path:
    """A copy of the portal (pages copied, engine copied, data linked unless changed, caches
    shared: they are content-addressed) to build one case in."""
    project = tmp / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    shutil.copytree(ROOT / "macros", project / "macros",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs", project / "docs")
    for name in ("node_modules", "overrides", ".cache"):
        (project / name).symlink_to(ROOT / name)
    (ROOT / ".cache").mkdir(exist_ok=True)
    if case.get("dataset"):
        data_copy(case, tmp).rename(project / "data")
    else:
        (project / "data").symlink_to(ROOT / "data")
    if case.get("page"):
        apply(case, project / "docs" / case["page"])
    if case.get("config"):
        old, new = case["config"]
        config = (project / "mkdocs.yml").read_text()
        assert old in config, case["id"]
        (project / "mkdocs.yml").write_text(config.replace(old, new))
    return project


def build(project: Path, site: Path, **env) -> subprocess.CompletedProcess:
    environ = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_PDF": "off", **env}
    environ.pop("PORTAL_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=project, capture_output=True, text=True, env=environ)


def without_server_noise(stderr: str) -> str:
    """stderr less http.server's own reports of a dropped connection (the PDF step's local
    server prints them between dashed lines): they are not the build's message."""
    import re
    return re.sub(r"-{40}\nException occurred during processing of request.*?\n-{40}\n", "",
                  stderr, flags=re.S)


def error_lines(stderr: str) -> list[str]:
    """What the build printed at ERROR level and after it (the message a user reads)."""
    lines = without_server_noise(stderr).splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith(("ERROR", "WARNING"))),
                 len(lines))
    return lines[first:]
