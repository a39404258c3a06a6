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
    config = re.sub(r"hooks:\n(?:  - .*\n)+", "", config)  # every hook
    config = re.sub(r"watch:\n(?:  - .*\n)+", "", config)  # data/ and macros/ are not copied
    config = config.replace("strict: true", "strict: false")
    config = re.sub(r"  - Indicators: .*\n", "", config)
    config = re.sub(r"  - Data: .*\n", "", config)
    (project / "mkdocs.yml").write_text(config)
    return project


DUMP_HOOK = '''
import os
from pathlib import Path
from mkdocs.plugins import event_priority

@event_priority(-100)  # after the macros plugin: the page's final Markdown
def on_page_markdown(markdown, page, **kwargs):
    from macros import slots  # with the HTML the portal puts in after Markdown (macros/slots.py)
    out = Path(os.environ["PORTAL_BENCH_DUMP"]) / page.file.src_uri
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(slots.fill(markdown, keep=True), encoding="utf-8")
    return markdown
'''


def final_pages_project(tmp: Path, config: Path = ROOT / "mkdocs.yml",
                        hooks: tuple[str, ...] = ("macros/mkdocs_hooks.py",)) -> Path:
    """A plain project of the portal's final pages: every page (generated ones included) as the
    macros left its Markdown, the same theme, no macros plugin and no hooks: what the portal's
    build costs beyond MkDocs itself. `config` is the portal's config (or one that INHERITs it,
    beside it, as scripts/bench_scale.py writes) and `hooks` its hooks."""
    project = tmp / "final"
    hook = tmp / "dump_hook.py"
    hook.write_text(DUMP_HOOK)
    dump = config.parent / "tmp-mkdocs.yml"  # gitignored; beside the config so relative paths hold
    dump.write_text(f"INHERIT: {config.name}\nhooks:\n" +
                    "".join(f"  - {h}\n" for h in (*hooks, hook)))
    try:
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(dump), "-d",
                        str(tmp / "dump-site")], cwd=ROOT, check=True, capture_output=True,
                       env={**ENV, "PORTAL_BENCH_DUMP": str(project / "docs"), "PORTAL_PDF": "off"})
    finally:
        dump.unlink()
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "docs" / "assets", project / "docs" / "assets", dirs_exist_ok=True)
    text = (ROOT / "mkdocs.yml").read_text()
    text = re.sub(r"  - macros:\n(?:      .*\n)+", "", text)
    text = re.sub(r"hooks:\n(?:  - .*\n)+", "", text)  # every hook
    text = re.sub(r"watch:\n(?:  - .*\n)+", "", text)
    text = re.sub(r"\nnav:\n(?:  .*\n)+", "\n", text)  # MkDocs' own nav of the same pages
    (project / "mkdocs.yml").write_text(text)
    return project


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain = plain_project(tmp)
        t_plain = build(plain, tmp / "plain-site", strict=False)  # placeholders break links
        final = final_pages_project(tmp)
        build(final, tmp / "final-site", strict=False)  # once to warm the OS file cache
        t_final = min(build(final, tmp / "final-site", strict=False) for _ in range(2))
        shutil.rmtree(ROOT / ".cache", ignore_errors=True)
        t_cold = build(ROOT, tmp / "cold-site")
        cold_files = rendered()
        t_warm = min(build(ROOT, tmp / "warm-site") for _ in range(2))
        env_off = {**ENV, "PORTAL_PDF": "off"}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                        str(tmp / "warm-nopdf")], cwd=ROOT, env=env_off, check=True,
                       capture_output=True)
        t_warm_nopdf = time.perf_counter() - start
        warm_files = rendered() - cold_files
        pages_plain = len(list((tmp / "plain-site").rglob("index.html")))
        pages_portal = len(list((tmp / "warm-site").rglob("index.html")))
        print(f"plain build   {t_plain:6.2f} s  ({pages_plain} pages: the authored pages, no macros)")
        print(f"portal cold   {t_cold:6.2f} s  ({pages_portal} pages, empty .cache)  "
              f"ratio {t_cold / t_plain:4.1f}×")
        print(f"portal warm   {t_warm:6.2f} s  (figure and validation cache warm)  "
              f"ratio {t_warm / t_plain:4.1f}×")
        pages_final = len(list((tmp / "final-site").rglob("index.html")))
        print(f"plain build of the same {pages_final} final pages (post-macro Markdown, no "
              f"plugin, no hooks) {t_final:6.2f} s")
        print(f"portal warm, PDFs off {t_warm_nopdf:6.2f} s  ratio {t_warm_nopdf / t_final:4.1f}× "
              f"the plain build of the same pages; with PDFs {t_warm / t_final:4.1f}×")
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
