"""Build-cost benchmark (`make bench`): the portal's English build against a plain MkDocs build of
the same final pages (each page's Markdown as the macros left it, no plugin, no hooks), in five
cases: cold (empty .cache), warm (nothing changed), one briefing edited, one dataset changed,
and the plain build, interleaved, several runs each; then how soon `mkdocs serve` serves an
edited briefing. Prints medians, ratios and peak memory,
and with --json writes them for comparing commits (the 1,000-page portal is `make bench-scale`,
with the same measures). Asserts nothing: speed is measured here, not in tests.

The portal's builds read a copy of docs/ and data/ (a config beside mkdocs.yml, gitignored,
INHERITs it and points docs_dir there; PORTAL_DATA_DIR the data), so no edit touches the
repository."""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass(frozen=True)
class Run:
    seconds: float  # wall clock
    cpu: float      # user + system seconds of the build and what it waited for: on a busy
    peak_mb: float  # machine the wall clock measures the neighbours, the CPU time the build


def build(config: Path, site: Path, *, strict: bool = True, env: dict | None = None) -> Run:
    """One `mkdocs build`: wall and CPU seconds, peak resident memory (the largest process)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []),
           "-f", str(config), "-d", str(site)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env or ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"build of {config} failed:\n{stderr.decode()[-4000:]}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def empty_caches() -> None:
    """A cold build's start: every cache a build keeps under .cache/ gone, not the installer's
    (uv and its downloads, which `make` would fetch again)."""
    for folder in (ROOT / ".cache").glob("*"):
        if folder.name not in ("uv", "uv-tool"):
            shutil.rmtree(folder) if folder.is_dir() else folder.unlink()


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


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


CONFIG_NAME = "tmp-bench-mkdocs.yml"  # beside mkdocs.yml (gitignored), so its paths hold
BRIEFING = "briefings/trade-balance.md"
DATASET, DATA_FILE, COLUMN = "us_statutory_tariff_by_country", "events.csv", "effective tariff"


def edit_briefing(docs: Path, run: int) -> None:
    """A new sentence at the end of one briefing, different each run."""
    page = docs / BRIEFING
    page.write_text(page.read_text(encoding="utf-8") + f"\nEdited for run {run}.\n",
                    encoding="utf-8")


def change_dataset(data: Path, by: float) -> None:
    """The first tariff event's effective tariff in the data folder `data` higher by `by`
    (also what tests/test_figure_cache.py changes)."""
    path = data / DATASET / DATA_FILE
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    rows[0][COLUMN] = str(round(float(rows[0][COLUMN]) + by, 4))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def serve_latency(config: Path, env: dict, docs: Path, runs: int) -> list[float]:
    """`mkdocs serve`: seconds from saving an edit to one briefing until the server sends the
    edited page, `runs` times (the target: 1.5 s)."""
    import socket
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    page = f"http://127.0.0.1:{port}/korea-us-briefings/{BRIEFING.removesuffix('.md')}/"

    def served() -> str:
        try:
            with urllib.request.urlopen(page, timeout=30) as response:
                return response.read().decode()
        except OSError:
            return ""
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config),
                                 "-a", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            seconds = []
            deadline = time.monotonic() + 300
            while not served():
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    sys.exit(f"mkdocs serve did not serve {page}:\n{log.read().decode()[-4000:]}")
                time.sleep(0.2)
            for run in range(runs):
                time.sleep(1)  # the server back to watching
                mark = f"Edited while served, run {run}."
                (docs / BRIEFING).write_text((docs / BRIEFING).read_text(encoding="utf-8")
                                             + f"\n{mark}\n", encoding="utf-8")
                start = time.perf_counter()
                while mark not in served():
                    time.sleep(0.02)
                seconds.append(time.perf_counter() - start)
            return seconds
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each case, interleaved")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    runs: dict[str, list[Run]] = {"cold": [], "warm": [], "briefing edited": [],
                                  "dataset changed": [], "plain": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docs, data = tmp / "docs", tmp / "data"
        shutil.copytree(ROOT / "docs", docs)
        shutil.copytree(ROOT / "data", data)
        config = ROOT / CONFIG_NAME
        config.write_text(f"INHERIT: mkdocs.yml\ndocs_dir: {json.dumps(str(docs))}\n",
                          encoding="utf-8")
        env = {**ENV, "PORTAL_DATA_DIR": str(data), "PORTAL_LANGUAGES": "en"}
        try:
            final = final_pages_project(tmp, config)
            plain = final / "mkdocs.yml"
            build(plain, tmp / "plain-site", strict=False)  # warms the OS file cache
            for run in range(args.runs):
                empty_caches()
                runs["cold"].append(build(config, tmp / "site", env=env))
                runs["warm"].append(build(config, tmp / "site", env=env))
                edit_briefing(docs, run)
                runs["briefing edited"].append(build(config, tmp / "site", env=env))
                change_dataset(data, 0.01 * (run + 1))  # a little more each run
                runs["dataset changed"].append(build(config, tmp / "site", env=env))
                runs["plain"].append(build(plain, tmp / "plain-site", strict=False))
            served = serve_latency(config, env, docs, args.runs)
        finally:
            config.unlink()
        pages = len(list((tmp / "site").rglob("index.html")))
        site_mb, plain_mb = size(tmp / "site") / 2**20, size(tmp / "plain-site") / 2**20
    median = {case: {k: statistics.median(getattr(r, k) for r in rs) for k in vars(rs[0])}
              for case, rs in runs.items()}
    base = median["plain"]
    print(f"{pages} pages, English, {os.cpu_count()} cores, median of {args.runs} interleaved "
          f"runs of each; site {site_mb:.1f} MiB, the plain build's {plain_mb:.1f} MiB\n")
    print("| build | wall | CPU (user+sys) | peak memory | × plain (wall; CPU) |\n"
          "|---|---|---|---|---|")
    for case, r in median.items():
        print(f"| {case} | {r['seconds']:.2f} s | {r['cpu']:.2f} s | {r['peak_mb']:.0f} MB | "
              f"{r['seconds'] / base['seconds']:.2f}×; {r['cpu'] / base['cpu']:.2f}× |")
    print(f"\n`mkdocs serve`, one briefing edited: served after {statistics.median(served):.2f} s "
          f"(median; each: {', '.join(f'{s:.2f}' for s in served)} s)")
    print("\nTargets (issue #13): warm ≤ 1.3× plain, cold ≤ 3× plain, an edited briefing served "
          "within 1.5 s; plain is MkDocs alone on the same final pages.")
    if args.json:
        args.json.write_text(json.dumps(
            {"pages": pages, "cores": os.cpu_count(), "runs": args.runs, "site_mb": site_mb,
             "plain_site_mb": plain_mb, "median": median, "serve_edit_seconds": served,
             "each": {case: [vars(r) for r in rs] for case, rs in runs.items()}},
            indent=1) + "\n")


if __name__ == "__main__":
    main()
