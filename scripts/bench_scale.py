"""Scale benchmark (`make bench-scale`): the portal with 1,000 generated pages more, built cold and
warm, against a plain MkDocs build of the same final pages; prints the issue's targets (cold
≤ 60 s on 2 cores, warm ≤ 1.3× plain, peak memory ≤ 1.5 GB). A benchmark, not a test.

The generated portal lives outside docs/ and is never deployed: a temporary folder holds a copy
of today's docs/ plus `scale/section-NN/page-NNNN.md` (ten sections; each page ten `value()`
calls on real observations, three figures, a Sources list), and a config beside mkdocs.yml
(`tmp-scale-mkdocs.yml`, gitignored, so the config's relative paths hold) INHERITs mkdocs.yml
and points docs_dir at that folder. With `--figures N` the pages show N distinct figures instead
of the portal's own: each a copy of a registered figure (same builder, its real data with every
value scaled by 1 + k/10,000, so the data differ but keep their size; its own id and title),
registered and prerendered by a hook after the portal's `on_config`.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import ROOT, build, empty_caches, final_pages_project  # noqa: E402

sys.path.insert(0, str(ROOT))  # the engine, for the observations and figures pages use

CONFIG_NAME = "tmp-scale-mkdocs.yml"
PORTAL_HOOKS = tuple(re.findall(r"^  - (\S+)", re.search(  # mkdocs.yml's hooks, in order
    r"^hooks:\n((?:  - .*\n)+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)[1], re.M))
TARGETS = {"cold_s": 60.0, "warm_ratio": 1.3, "peak_mb": 1536.0}

FIGURES_HOOK = '''"""Bench-scale hook: {n} distinct figures, each a copy of a registered figure under its own id
and title, over its real tables with every value scaled by 1 + k/10,000 (distinct data of the
real size and shape), registered into the freshly imported engine and prerendered as
build.prepare does."""
from dataclasses import replace

from mkdocs.plugins import event_priority


def _varied(fn, k):
    def varied(tables):
        return fn({{i: t.assign(value=t["value"] * (1 + k / 10000)) if "value" in t else t
                   for i, t in tables.items()}})
    return varied


@event_priority(99)  # after the portal's on_config (100), which imports the engine afresh
def on_config(config, **kwargs):
    from macros import artefacts, figures
    base = list(figures.REGISTRY.values())
    copies = [replace(b, id=f"scale-{{k:04d}}", title_template=f"{{b.title_template}} (copy {{k}})",
                      build=_varied(b.build, k), summary=_varied(b.summary, k))
              for k, b in ((k, base[k % len(base)]) for k in range({n}))]
    figures.REGISTRY.update((f.id, f) for f in copies)
    artefacts.prerender(copies)
    return config
'''


@dataclass(frozen=True)
class Portal:
    config: Path          # beside mkdocs.yml; INHERITs it
    docs: Path            # today's docs/ plus the generated pages
    hooks: tuple[str, ...]
    pages: dict[str, str]  # src -> Markdown of each generated page


def value_calls() -> list[str]:
    """Every observation of every indicator as a `value()` call that resolves today."""
    from macros import indicators
    calls = []
    for ind in indicators.REGISTRY.values():
        for row in indicators.observations(ind.id).itertuples():
            dims = "".join(f", {d}={json.dumps(getattr(row, d))}" for d in ind.dimensions)
            calls.append(f'value("{ind.id}", "{row.period}"{dims})')
    return calls


def existing_figures() -> list[str]:
    """The briefing figures and every indicator page's figures."""
    from macros import figures, indicators
    return [*figures.REGISTRY, *(f.id for i in indicators.REGISTRY
                                 for f in figures.indicator_figures(i))]


def page_markdown(number: int, section: int, calls: list[str], figure_ids: list[str]) -> str:
    sentences = [f"In this reading the figure is {{{{ {c} }}}}." for c in calls]
    body = [f"# Scale page {number:04d}", "",
            f"A generated page of section {section:02d}, never deployed: its numbers are real "
            "observations, rendered by the same macros as a briefing's.", "",
            " ".join(sentences[:5]), "", f'{{{{ figure("{figure_ids[0]}") }}}}', "",
            "## What the numbers say", "", " ".join(sentences[5:]), "",
            f'{{{{ figure("{figure_ids[1]}") }}}}', "", f'{{{{ figure("{figure_ids[2]}") }}}}', "",
            "## Sources", "", "{{ sources() }}", ""]
    return "\n".join(body)


def generate(folder: Path, *, pages: int = 1000, sections: int = 10, figures: int = 0,
             config_name: str = CONFIG_NAME) -> Portal:
    """Write the scale portal: `folder`/docs (docs/ plus the generated pages), the figures hook
    when `figures` > 0, and the config beside mkdocs.yml (the caller removes it)."""
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs", docs)
    calls = value_calls()
    pool = [f"scale-{k:04d}" for k in range(figures)] if figures else existing_figures()
    rng = random.Random(13)
    written: dict[str, str] = {}
    nav_sections = []
    per_section = -(-pages // sections)
    for s in range(sections):
        entries = []
        for n in range(s * per_section + 1, min(pages, (s + 1) * per_section) + 1):
            src = f"scale/section-{s + 1:02d}/page-{n:04d}.md"
            figure_ids = ([pool[(3 * (n - 1) + j) % len(pool)] for j in range(3)] if figures
                          else rng.sample(pool, 3))
            written[src] = page_markdown(n, s + 1, rng.sample(calls, 10), figure_ids)
            (docs / src).parent.mkdir(parents=True, exist_ok=True)
            (docs / src).write_text(written[src], encoding="utf-8")
            entries.append({f"Page {n:04d}": src})
        nav_sections.append({f"Section {s + 1:02d}": entries})
    hooks = list(PORTAL_HOOKS)
    if figures:
        hook = folder / "scale_figures_hook.py"
        hook.write_text(FIGURES_HOOK.format(n=figures), encoding="utf-8")
        hooks.append(str(hook))
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = yaml.safe_load("nav:" + text.split("\nnav:", 1)[1])["nav"]
    config = ROOT / config_name
    config.write_text(yaml.safe_dump({
        "INHERIT": "mkdocs.yml", "docs_dir": str(docs), "hooks": hooks,
        "nav": [*nav, {"Scale": nav_sections}]}, allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    return Portal(config, docs, tuple(hooks), written)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--figures", type=int, default=0,
                        help="distinct generated figures (0: the pages show the portal's own)")
    parser.add_argument("--runs", type=int, default=2, help="warm and plain builds, interleaved")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        portal = generate(tmp / "scale", pages=args.pages, figures=args.figures)
        try:
            empty_caches()
            cold = build(portal.config, tmp / "cold-site")
            final = final_pages_project(tmp, portal.config, portal.hooks)
            build(final / "mkdocs.yml", tmp / "plain-site", strict=False)  # warms the OS cache
            warm, plain = [], []
            for _ in range(args.runs):
                warm.append(build(portal.config, tmp / "warm-site"))
                plain.append(build(final / "mkdocs.yml", tmp / "plain-site", strict=False))
        finally:
            portal.config.unlink()
        site_bytes = sum(p.stat().st_size for p in (tmp / "warm-site").rglob("*") if p.is_file())
        pages = len(list((tmp / "warm-site").rglob("index.html")))
    median = lambda runs, what: statistics.median(getattr(r, what) for r in runs)  # noqa: E731
    results = {"pages": pages, "generated_pages": args.pages, "distinct_figures": args.figures,
               "cores": os.cpu_count(), "runs": args.runs, "site_mb": site_bytes / 2**20,
               "cold": vars(cold), "warm": {k: median(warm, k) for k in vars(cold)},
               "plain": {k: median(plain, k) for k in vars(cold)}}
    w, p = results["warm"], results["plain"]
    peak = max(cold.peak_mb, w["peak_mb"])
    figs = (f"{args.figures} distinct generated figures" if args.figures
            else "the portal's own figures")
    print(f"{pages} pages ({args.pages} generated, {figs}), {os.cpu_count()} cores, median of "
          f"{args.runs} interleaved warm/plain runs; site {results['site_mb']:.0f} MiB\n")
    print("| build | wall | CPU (user+sys) | peak memory |\n|---|---|---|---|")
    for name, r in (("cold (empty .cache)", vars(cold)), ("warm", w),
                    ("plain build of the same final pages", p)):
        print(f"| {name} | {r['seconds']:.1f} s | {r['cpu']:.1f} s | {r['peak_mb']:.0f} MB |")
    print("\n| target | measured (wall; CPU) | met |\n|---|---|---|")
    # Wall clock for cold (the target is a wait on 2 cores), CPU time for the ratio: both builds
    # are mostly one thread, so on an idle machine the two ratios agree, and on a busy one only
    # the CPU ratio is the build's own.
    rows = [("cold ≤ 60 s on 2 cores", f"{cold.seconds:.1f} s; {cold.cpu:.1f} s",
             cold.seconds <= TARGETS["cold_s"]),
            ("warm ≤ 1.3× plain (judged on CPU time)", f"{w['seconds'] / p['seconds']:.2f}×; "
             f"{w['cpu'] / p['cpu']:.2f}×", w["cpu"] / p["cpu"] <= TARGETS["warm_ratio"]),
            ("peak memory ≤ 1.5 GB", f"{peak:.0f} MB", peak <= TARGETS["peak_mb"])]
    for target, value, met in rows:
        print(f"| {target} | {value} | {'yes' if met else 'no'} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
