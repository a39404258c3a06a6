"""Ten years of monthly editions against a local bare remote: `make bench-editions`.

Starts from one real strict build of the portal, then simulates each month's edition from it
with the changes a month brings, and deploys every one through the release's own deploy path
(`release.deploy`: content-addressed split, gh-pages commit, push to the bare remote):
- every page, PDF, the sitemap, search index, API and edition record name the new edition;
- each dataset is refreshed on its publisher's cadence (CADENCE): the Census and tracker data
  monthly, the reported figures and tariff measures quarterly, the fixed-year tables never.
  A monthly file grows by a real month of rows (next month's dates: `us_trade_by_partner`'s
  monthly file by one month of every partner, the daily tracker by 30 days of every partner),
  and is published as the build publishes it (macros/download_parts.py: one part per year, the
  whole file at latest/ only); an annual file changes its current year's rows;
- a figure changes only when one of its datasets (its metadata's sources) is refreshed and it
  draws the moving edge (a monthly, quarterly or partial period in its CSV), or in January
  when a year closes; a figure of fixed-year data never changes;
- a page's content changes as its data does (a Korean page, under ko/, as its English original): an indicator or dataset page when its dataset is
  refreshed; a briefing or the home page (edition.json's record of the numbers each page
  shows; api/indicators.json for their datasets) when a refreshed dataset feeds it and it shows
  the moving edge (a number of the build's latest year), or in January; "What changed" with
  every refresh; the others (methodology, the guides) never. A page whose content did not change
  is published as a redirect to the edition that first carried it (scripts/unchanged_pages.py);
- each quarter brings a briefing (a page like the trade-balance one, with its PDF, its share
  of the search index and edition record, and two figures of its own: one that rolls forward
  monthly, one fixed to its quarter) and a nav entry on every page. A quarterly briefing reports
  on its quarter: it is updated through the quarter after it (three editions), then only in
  the next three Januaries (REVISED_YEARS), when the annual revisions of recent years come (its
  rolling figure too); older numbers are final and it no longer changes. With --living, every
  quarterly briefing stays updated monthly for ever instead.
Prints, every 12 editions and at the end: the published size (the gh-pages tree), the bare
remote's size after `git gc` (`git count-objects -vH`), and the deploy time. If the time budget
runs out first, it says so and extrapolates from the last year's growth.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import release  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from macros import download_parts  # noqa: E402

GB = 1 << 30
# Months between refreshes of each dataset; a dataset not listed is fixed (one year's table, a
# correspondence) and never changes.
CADENCE = {"us_trade_by_partner": 1, "us_korea_goods_trade": 1, "us_duties_on_korea": 1,
           "us_tariff_tracker_daily": 1, "reported_figures": 3,
           "us_statutory_tariff_by_country": 3}
REVISED_YEARS = 3  # Januaries in which a dated briefing's numbers are still revised
MOVING = ("monthly", "quarterly", "daily", "partial")  # a figure CSV row at the moving edge
# A figure's files, by path under assets/figures/ (macros/artefacts.py write_all).
KINDS = ("{}.png", "{}.svg", "narrow/{}.svg", "{}.csv", "{}.vl.json", "{}.json")


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
    subprocess.run([sys.executable, "scripts/build_site.py", "mkdocs", "-d", str(out)],  # as
                   cwd=ROOT, env=env, check=True, capture_output=True)  # a release builds
    return out


def perturb(data: bytes, tag: str) -> bytes:
    """Different bytes of about the same size (a month's new numbers)."""
    return data + f"\n<!-- {tag} -->\n".encode() if data[:4] != b"\x89PNG" else \
        data + tag.encode()


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


class Table:
    """One CSV as header and rows of fields, written back as the build writes it."""

    def __init__(self, data: bytes):
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        self.header, self.rows = rows[0], rows[1:]

    def col(self, name: str) -> int:
        return self.header.index(name)

    def bytes(self) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([self.header, *self.rows])
        return out.getvalue().encode("utf-8")


class Month:
    """The site of month `i`, derived from the real build and the months before."""

    def __init__(self, built: Path, first: str):
        self.files = {p.relative_to(built).as_posix(): p.read_bytes()
                      for p in built.rglob("*") if p.is_file()}
        self.first = first
        self.briefings: list[str] = []
        self.rng = random.Random(9)
        self.nav = b""
        self.figures = {}  # figure id -> (datasets, draws the moving edge)
        for path, data in self.files.items():
            name = path.rsplit("/", 1)[-1]
            if path.startswith("assets/figures/") and name.endswith(".json") \
                    and not name.endswith(".vl.json"):
                meta = json.loads(data)
                drawn = self.files[f"assets/figures/{meta['id']}.csv"].decode()
                self.figures[meta["id"]] = ({s["dataset"] for s in meta["sources"]},
                                            any(m in drawn for m in MOVING))
        self.descriptors: dict[str, dict] = {}
        self.tables = {}  # the growing files, as tables
        for dataset, name in (("us_trade_by_partner", "monthly.csv"),
                              ("us_tariff_tracker_daily", "daily.csv"),
                              ("us_trade_by_partner", "annual.csv")):
            self.tables[f"data/{dataset}/{name}"] = Table(self.files[f"data/{dataset}/{name}"])
            self.descriptors[f"data/{dataset}"] = json.loads(
                self.files[f"data/{dataset}/datapackage.json"])
        self.pages = self.page_data()
        self.born: dict[str, int] = {}  # quarterly briefing -> the month it was first published
        search = json.loads(self.files["search/search_index.json"])
        self.search_share = sum(len(json.dumps(d)) for d in search["docs"]
                                if d["location"].startswith("briefings/trade-balance/"))
        record = json.loads(self.files["edition.json"])
        self.record_share = len(json.dumps(record.get("pages", {}).get(
            "briefings/trade-balance.md", {})))

    def page_data(self) -> dict[str, tuple[set[str], bool]]:
        """page -> (datasets it shows, whether it shows the moving edge)."""
        sources = {i: set(v["sources"]) for i, v in
                   json.loads(self.files["api/indicators.json"])["indicators"].items()}
        every = set().union(*sources.values())
        record = json.loads(self.files["edition.json"]).get("pages", {})
        edge = max(o["period"][:4] for used in record.values() for o in used)
        out = {}
        for md, used in record.items():
            page = "index.html" if md == "index.md" else md[:-len(".md")] + "/index.html"
            out[page] = (set().union(*(sources.get(o["indicator"], set()) for o in used)),
                         any(o["period"].startswith(edge) for o in used))
        for path in self.files:
            parts = path.split("/")
            if parts[0] == "indicators" and parts[-1] == "index.html" and parts[1] in sources:
                out[path] = (sources[parts[1]], True)
            elif parts[0] == "data" and parts[-1] == "index.html":
                out[path] = ({parts[1]} if len(parts) == 3 else every, True)
        out["about/changes/index.html"] = (every, True)
        for page in list(out):  # a translated page shows the same numbers as its original
            if f"ko/{page}" in self.files:
                out[f"ko/{page}"] = out[page]
        return out

    def grow(self) -> None:
        """A month more of each growing file, with the next month's dates."""
        t = self.tables["data/us_trade_by_partner/monthly.csv"]
        y, m = t.col("year"), t.col("month")
        last = max((int(r[y]), int(r[m])) for r in t.rows)
        year, month = next_month(*last)
        t.rows += [[*r[:y], str(year), str(month), *r[m + 1:]] if m == y + 1 else r
                   for r in t.rows if (int(r[y]), int(r[m])) == last]
        a = self.tables["data/us_trade_by_partner/annual.csv"]  # the current year's sums move
        ay = a.col("year")
        if month == 1:
            a.rows += [[*r[:ay], str(year), *r[ay + 1:]] for r in a.rows
                       if r[ay] == str(year - 1)]
        v = a.col("imports_general_usd")
        for r in a.rows:
            if r[ay] == str(year) and r[v]:
                r[v] = f"{float(r[v]) * (1 + self.rng.random() / 100):.1f}"
        d = self.tables["data/us_tariff_tracker_daily/daily.csv"]
        dc = d.col("date")
        latest = max(r[dc] for r in d.rows)
        day = datetime.date.fromisoformat(latest)
        template = [r for r in d.rows if r[dc] == latest]
        for k in range(1, 31):
            date = (day + datetime.timedelta(days=k)).isoformat()
            d.rows += [[*r[:dc], date, *r[dc + 1:]] for r in template]

    def publish_table(self, path: str) -> None:
        """The site's files for one growing table: parts and whole, or the whole file."""
        data = self.tables[path].bytes()
        parts = download_parts.split(data)
        stem = path[:-len(".csv")] + download_parts.FOLDER_SUFFIX
        for key in [k for k in self.files if k.startswith(stem + "/")]:
            del self.files[key]
        if parts is None:
            self.files[path] = data
            return
        for year, part in parts.items():
            self.files[f"{stem}/{year}.csv"] = part
        self.files[path] = download_parts.whole(parts)
        folder, name = path.rsplit("/", 1)
        descriptor = self.descriptors[folder]  # as built, before any perturbation
        for res in descriptor["resources"]:
            if res["name"] == name[:-len(".csv")]:
                res["path"] = [f"{download_parts.folder(name)}/{y}.csv" for y in parts]
        self.files[f"{folder}/datapackage.json"] = json.dumps(descriptor, indent=2).encode()

    def advance(self, i: int, edition: str, living: bool = False) -> dict[str, bytes]:
        f = self.files
        tag = f"month {i}"  # not the edition's name, which the pages' content keys ignore
        refreshed = {d for d, c in CADENCE.items() if i % c == 0} if i else set()
        january = edition.endswith(".01")
        if "us_trade_by_partner" in refreshed:
            self.grow()
            for path in self.tables:
                self.publish_table(path)
        for path in list(f):
            parts = path.split("/")
            if parts[0] == "data" and len(parts) == 3 and parts[1] in refreshed \
                    and path not in self.tables and parts[2] != "index.html" \
                    and parts[2] != "datapackage.json":
                f[path] = perturb(f[path], tag)  # a small file of a refreshed dataset
            elif parts[0] == "data" and parts[-1] == "datapackage.json" and parts[1] in refreshed:
                f[path] = perturb(f[path], tag)  # its coverage and vintage
            elif path.startswith("api/"):
                f[path] = perturb(f[path], tag)
        for fig, (sources, moving) in self.figures.items():
            if sources & refreshed and (moving or january):
                for kind in KINDS:
                    key = "assets/figures/" + kind.format(fig)
                    f[key] = perturb(f[key], tag)
        if i and i % 3 == 0:  # a new briefing this quarter, with two figures of its own
            slug = f"quarterly-{edition}"
            self.briefings.append(slug)
            self.born[slug] = i
            page = f["briefings/trade-balance/index.html"]
            f[f"briefings/{slug}/index.html"] = page.replace(
                b"us_kor_trade_history", f"{slug}-a".encode()).replace(
                b"trade_balance_mirror", f"{slug}-b".encode()).replace(
                b"trade-balance.pdf", f"{slug}.pdf".encode())
            f[f"briefings/{slug}/{slug}.pdf"] = perturb(
                f["briefings/trade-balance/trade-balance.pdf"], slug)
            for name, src in (("a", "us_kor_trade_history"), ("b", "trade_balance_mirror")):
                for kind in KINDS:
                    f["assets/figures/" + kind.format(f"{slug}-{name}")] = perturb(
                        f["assets/figures/" + kind.format(src)], slug)
            f["search/search_index.json"] += b" " * self.search_share
            f["edition.json"] += b" " * self.record_share
            self.nav += (f'<li class="md-nav__item"><a href="briefings/{slug}/" '
                         f'class="md-nav__link">Quarterly briefing {edition}</a></li>').encode()
        updated = [slug for slug in self.briefings  # updated with the monthly data
                   if living or i - self.born[slug] <= 3
                   or (january and i - self.born[slug] <= 12 * REVISED_YEARS)]
        for slug in updated:
            for kind in KINDS:
                key = "assets/figures/" + kind.format(f"{slug}-a")
                f[key] = perturb(f[key], tag)
        changed = {page for page, (sources, moving) in self.pages.items()
                   if sources & refreshed and (moving or january)}
        changed |= {f"briefings/{slug}/index.html" for slug in updated}
        for page in changed & set(f):  # a month's new numbers in the page's article
            f[page] = f[page].replace(b"</article>", f"<!-- {tag} --></article>".encode(), 1)
        site = {}
        for path, data in f.items():
            if path.endswith((".html", ".xml", ".json", ".txt")) or path in ("sitemap.xml.gz",):
                data = data.replace(self.first.encode(), edition.encode())
            if path.endswith(".html"):
                data = data.replace(b"</nav>", self.nav + b"</nav>", 1)
            if path.endswith(".pdf"):
                data = perturb(data, tag)  # a briefing's PDF names its edition
            site[path] = data
        return site


def tree_size(repo: Path) -> int:
    listing = sh("git", "ls-tree", "-r", "-l", "gh-pages", cwd=repo)
    return sum(int(line.split()[3]) for line in listing.splitlines())


def added(repo: Path) -> dict[str, int]:
    """Bytes the last gh-pages commit added, by kind (what an edition costs, and why)."""
    diff = sh("git", "diff-tree", "-r", "--no-commit-id", "--diff-filter=AM", "gh-pages~1",
              "gh-pages", cwd=repo)
    entries = [line.split("\t", 1) for line in diff.splitlines()]
    blobs = "\n".join(meta.split()[3] for meta, _ in entries) + "\n"
    sizes = subprocess.run(["git", "cat-file", "--batch-check=%(objectsize)"], cwd=repo,
                           input=blobs, capture_output=True, text=True, check=True).stdout.split()
    kinds: dict[str, int] = {}
    for (_, path), size in zip(entries, sizes):
        top, _, rest = path.partition("/")
        if top == release.ALIAS:
            kind = "latest/ (full copy, replaced)"
        elif top == "_shared":
            name = rest.split("/", 1)[-1]
            kind = "shared: " + (".vl.json" if name.endswith(".vl.json") else
                                 os.path.splitext(name)[1] or name)
        elif path.endswith(".html"):
            kind = "edition: pages"
        elif path.endswith(".pdf"):
            kind = "edition: PDFs"
        else:
            kind = "edition: " + ("api" if rest.startswith("api/") else
                                  "search" if rest.startswith("search/") else rest)
        kinds[kind] = kinds.get(kind, 0) + int(size)
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1]))


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
    parser.add_argument("--living", action="store_true",
                        help="every quarterly briefing stays updated monthly for ever")
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
            site_files = month.advance(i, edition, args.living)
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
            sys.stdout = said = io.StringIO()
            try:
                release.deploy(site, edition, commit, base, eds, True, "origin", tmp)
            finally:
                sys.stdout = stdout
            stubs = said.getvalue().split(" page(s) unchanged", 1)[0].rsplit("\n", 1)[-1]
            deploy_s = time.monotonic() - t0
            size = tree_size(work)
            edition_bytes = sum(len(v) for v in site_files.values())
            rows.append((edition, size, size - previous, deploy_s, edition_bytes))
            previous = size
            n = i + 1
            if n % 12 == 0 or n == len(names) or n == 1:
                print(f"{n:4d} editions ({edition}): published {size / 1e6:8.1f} MB, "
                      f"+{rows[-1][2] / 1e6:5.2f} MB this edition (a full copy would be "
                      f"{edition_bytes / 1e6:.1f} MB; {stubs} unchanged pages redirect), "
                      f"deploy {deploy_s:.1f} s, "
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
        print(f"\nwhat edition {len(rows)} ({final[0]}) added (MB):")
        for kind, size in added(work).items():
            if size >= 10_000:
                print(f"  {kind:34s}{size / 1e6:8.2f}")
        print(f"\nresult: {len(rows)} editions, published {final[1] / 1e6:.1f} MB "
              f"({final[1] / GB * 100:.0f}% of GitHub Pages' 1 GB); without sharing they would be "
              f"{sum(r[4] for r in rows) / 1e6:.0f} MB; repository {repo_size(remote)}; "
              f"deploy of edition {len(rows)} ({final[0]}): {final[3]:.1f} s; "
              f"wall time {(time.monotonic() - started) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
