"""Ten years of monthly editions against a local bare remote: `make bench-editions`.

Starts from one real strict build of the portal, then simulates each month's edition from it
with the changes a month brings, and deploys every one through the release's own deploy path
(`release.deploy`: content-addressed split, gh-pages commit, push to the bare remote):
- every page, the sitemap, search index, API and edition record name the new edition;
- the monthly downloads grow by a month (`us_trade_by_partner/monthly.csv` by the rows of its
  latest month, the daily tariff tracker by 30 days), the annual tables and the monthly
  figures (PNG, SVG, CSV, spec) change; figures of fixed-year data (2024 HS10, end use…) do not;
- each quarter brings a briefing (a page like the trade-balance one, with two figures of its
  own that change monthly from then on) and a nav entry on every page.
Prints, every 12 editions and at the end: the published size (the gh-pages tree), the bare
remote's size after `git gc` (`git count-objects -vH`), and the deploy time. If the time budget
runs out first, it says so and extrapolates from the last year's growth.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import release  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXED = ("2024", "ofdi", "greenfield", "intermediate", "hs_chapter", "enduse")  # yearly data
GB = 1 << 30


def sh(*cmd: str, cwd: Path) -> str:
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


def editions(start: str, n: int) -> list[str]:
    year, month = map(int, start.split("."))
    out = []
    for _ in range(n):
        out.append(f"{year}.{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def base_build(out: Path, edition: str) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MIKE_DOCS_VERSION": edition,
           "PORTAL_SOURCE_COMMIT": "0" * 40}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return out


def perturb(data: bytes, tag: str) -> bytes:
    """Different bytes of about the same size (a month's new numbers)."""
    return data + f"\n<!-- {tag} -->\n".encode() if data[:4] != b"\x89PNG" else \
        data + tag.encode()


class Month:
    """The site of month `i`, derived from the real build and the months before."""

    def __init__(self, built: Path, first: str):
        self.files = {p.relative_to(built).as_posix(): p.read_bytes()
                      for p in built.rglob("*") if p.is_file()}
        self.first = first
        self.briefings: list[str] = []
        self.rng = random.Random(9)
        self.nav = b""

    def advance(self, i: int, edition: str) -> dict[str, bytes]:
        f = self.files
        tag = f"{edition}-{i}"
        monthly = "data/us_trade_by_partner/monthly.csv"
        rows = f[monthly].rstrip(b"\n").split(b"\n")
        f[monthly] += b"\n".join(rows[-257:]) + b"\n"  # one more month of every partner
        daily = "data/us_tariff_tracker_daily/daily.csv"
        f[daily] += b"\n".join(f[daily].rstrip(b"\n").split(b"\n")[-930:]) + b"\n"
        for path in list(f):
            name = path.rsplit("/", 1)[-1]
            if path.startswith("data/") and name.startswith(("annual", "monthly_lines")):
                f[path] = perturb(f[path], tag)
            elif path.startswith("assets/figures/") and not any(k in name for k in FIXED):
                f[path] = perturb(f[path], tag)
            elif path.startswith("api/"):
                f[path] = perturb(f[path], tag)
        if i and i % 3 == 0:  # a new briefing this quarter, with two figures of its own
            slug = f"quarterly-{edition}"
            self.briefings.append(slug)
            page = f["briefings/trade-balance/index.html"]
            f[f"briefings/{slug}/index.html"] = page.replace(b"trade_balance_mirror",
                                                             f"{slug}-a".encode())
            for kind in ("png", "svg", "csv", "vl.json", "json"):
                src = f.get(f"assets/figures/trade_balance_mirror.{kind}")
                if src is not None:
                    f[f"assets/figures/{slug}-a.{kind}"] = perturb(src, slug)
            self.nav += (f'<li class="md-nav__item"><a href="briefings/{slug}/" '
                         f'class="md-nav__link">Quarterly briefing {edition}</a></li>').encode()
        for slug in self.briefings:  # their figures change monthly too
            for kind in ("png", "svg", "csv", "vl.json", "json"):
                key = f"assets/figures/{slug}-a.{kind}"
                if key in f:
                    f[key] = perturb(f[key], tag)
        site = {}
        for path, data in f.items():
            if path.endswith((".html", ".xml", ".json", ".txt")) or path in ("sitemap.xml.gz",):
                data = data.replace(self.first.encode(), edition.encode())
            if path.endswith(".html"):
                data = data.replace(b"</nav>", self.nav + b"</nav>", 1)
            site[path] = data
        return site


def tree_size(repo: Path) -> int:
    listing = sh("git", "ls-tree", "-r", "-l", "gh-pages", cwd=repo)
    return sum(int(line.split()[3]) for line in listing.splitlines())


def repo_size(remote: Path) -> str:
    sh("git", "gc", "-q", "--aggressive" if False else "--prune=now", cwd=remote)
    stats = dict(line.split(": ", 1) for line in sh("git", "count-objects", "-vH",
                                                   cwd=remote).splitlines())
    return f"{stats['size-pack']} packed, {stats['count']} loose objects"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--editions", type=int, default=120)
    parser.add_argument("--minutes", type=float, default=20, help="time budget")
    parser.add_argument("--start", default="2026.12")
    args = parser.parse_args(argv)
    names = editions(args.start, args.editions)
    with tempfile.TemporaryDirectory(prefix="bench-editions-") as name:
        top = Path(name)
        remote, work = top / "origin.git", top / "work"
        sh("git", "init", "-q", "--bare", str(remote), cwd=top)
        sh("git", "init", "-q", "-b", "main", str(work), cwd=top)
        for k, v in (("user.name", "bench"), ("user.email", "bench@example.org")):
            sh("git", "config", k, v, cwd=work)
        sh("git", "remote", "add", "origin", str(remote), cwd=work)
        sh("git", "commit", "-q", "--allow-empty", "-m", "source", cwd=work)
        commit = sh("git", "rev-parse", "HEAD", cwd=work).strip()
        release.ROOT = work  # the release's git commands run in the simulated repository
        print(f"one real strict build of edition {names[0]} …", flush=True)
        month = Month(base_build(top / "built", names[0]), names[0])
        started, rows = time.monotonic(), []
        previous = 0
        for i, edition in enumerate(names):
            site_files = month.advance(i, edition)
            site = top / "site"
            shutil.rmtree(site, ignore_errors=True)
            for path, data in site_files.items():
                (site / path).parent.mkdir(parents=True, exist_ok=True)
                (site / path).write_bytes(data)
            base = release.fetch_base("origin")
            eds = release.published(base)
            release.check_new(edition, eds)
            tmp = top / "tmp"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            t0 = time.monotonic()
            stdout = sys.stdout
            sys.stdout = open(os.devnull, "w")
            try:
                release.deploy(site, edition, commit, base, eds, True, "origin", tmp)
            finally:
                sys.stdout.close()
                sys.stdout = stdout
            deploy_s = time.monotonic() - t0
            size = tree_size(work)
            edition_bytes = sum(len(v) for v in site_files.values())
            rows.append((edition, size, size - previous, deploy_s, edition_bytes))
            previous = size
            n = i + 1
            if n % 12 == 0 or n == len(names) or n == 1:
                print(f"{n:4d} editions ({edition}): published {size / 1e6:8.1f} MB, "
                      f"+{rows[-1][2] / 1e6:5.2f} MB this edition (a full copy would be "
                      f"{edition_bytes / 1e6:.1f} MB), deploy {deploy_s:.1f} s, "
                      f"repository {repo_size(remote)}", flush=True)
            if time.monotonic() - started > args.minutes * 60 and n < len(names):
                last = rows[-12:] if len(rows) >= 12 else rows
                growth = (last[-1][1] - last[0][1]) / max(1, len(last) - 1)
                left = len(names) - n
                print(f"time budget of {args.minutes} min used after {n} editions; "
                      f"extrapolating the last {len(last)} editions' growth "
                      f"({growth / 1e6:.2f} MB/edition, growing): {len(names)} editions ≈ "
                      f"{(size + growth * left * 1.1) / 1e6:.0f} MB published (+10% for growth)")
                break
        final = rows[-1]
        print(f"\nresult: {len(rows)} editions, published {final[1] / 1e6:.1f} MB "
              f"({final[1] / GB * 100:.0f}% of GitHub Pages' 1 GB); without sharing they would be "
              f"{sum(r[4] for r in rows) / 1e6:.0f} MB; repository {repo_size(remote)}; "
              f"deploy of edition {len(rows)} ({final[0]}): {final[3]:.1f} s; "
              f"wall time {(time.monotonic() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
