"""Build-cost benchmark: the portal's build (cold and warm figure cache) against a plain MkDocs
build of the same pages with every macro call replaced by a placeholder. Prints figures; asserts
nothing (speed is measured here, not in tests)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build(project: Path, site: Path, strict: bool = True) -> float:
    start = time.perf_counter()
    flags = ["--strict"] if strict else []
    subprocess.run([sys.executable, "-m", "mkdocs", "build", *flags, "-d", str(site)],
                   cwd=project, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def rendered() -> set[str]:
    return {p.name for p in (ROOT / ".cache/figures").glob("*")}


def size(folder: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file())


def plain_project(tmp: Path) -> Path:
    """The same pages and theme, no macros plugin, no hooks, macro calls replaced by text."""
    project = tmp / "plain"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    for page in (project / "docs").rglob("*.md"):
        page.write_text(re.sub(r"\{\{.*?\}\}", "[number]", page.read_text(), flags=re.S))
    config = (ROOT / "mkdocs.yml").read_text()
    config = re.sub(r"  - macros:\n(?:      .*\n)+", "", config)
    config = re.sub(r"hooks:\n  - .*\n", "", config)
    config = config.replace("strict: true", "strict: false")
    config = re.sub(r"  - Indicators: .*\n", "", config)
    config = re.sub(r"  - Data: .*\n", "", config)
    (project / "mkdocs.yml").write_text(config)
    return project


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain = plain_project(tmp)
        t_plain = build(plain, tmp / "plain-site", strict=False)  # placeholders break links
        shutil.rmtree(ROOT / ".cache", ignore_errors=True)
        t_cold = build(ROOT, tmp / "cold-site")
        cold_files = rendered()
        t_warm = build(ROOT, tmp / "warm-site")
        warm_files = rendered() - cold_files
        pages_plain = len(list((tmp / "plain-site").rglob("index.html")))
        pages_portal = len(list((tmp / "warm-site").rglob("index.html")))
        print(f"plain build   {t_plain:6.2f} s  ({pages_plain} pages: the authored pages, no macros)")
        print(f"portal cold   {t_cold:6.2f} s  ({pages_portal} pages, empty .cache)  "
              f"ratio {t_cold / t_plain:4.1f}×")
        print(f"portal warm   {t_warm:6.2f} s  (figure and validation cache warm)  "
              f"ratio {t_warm / t_plain:4.1f}×")
        print(f"figures rendered: cold build {len([f for f in cold_files if f.endswith('.svg')])} "
              f"SVG + {len([f for f in cold_files if f.endswith('.png')])} PNG; warm build "
              f"{len(warm_files)} (content-hash cache in .cache/figures)")
        for name in ("briefings/trade-balance", "briefings/tariffs", ""):
            p = (tmp / "warm-site" / name / "index.html").stat().st_size
            q = (tmp / "plain-site" / name / "index.html").stat().st_size
            print(f"page weight {name or 'home':28s} {p / 1024:7.1f} KiB vs plain "
                  f"{q / 1024:6.1f} KiB  ratio {p / q:4.1f}×")
        print(f"site size: portal {size(tmp / 'warm-site') / 2**20:.1f} MiB, plain "
              f"{size(tmp / 'plain-site') / 2**20:.1f} MiB; vendored JS "
              f"{size(tmp / 'warm-site' / 'assets/vendor') / 1024:.0f} KiB (loaded only where a "
              f"figure is)")


if __name__ == "__main__":
    main()
