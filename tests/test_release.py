"""scripts/release.py against a local bare remote: each way a release must fail closed, and what
a push publishes. One project, released in order: 2026.10 (pushed), then the refusals (none
builds), a second clone that publishes 2026.11 while the first is behind, then 2026.12 through
a failing and an interrupted push before the push that works. Five builds in all."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, Watch, export_gh_pages, serve

sys.path.insert(0, str(ROOT / "scripts"))
import shared_assets  # noqa: E402
import unchanged_pages  # noqa: E402

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_CONFIG_GLOBAL": "/dev/null"}
COPIED = ("docs", "macros", "overrides", "scripts", "data")
LINKED = ("node_modules", ".cache", ".venv")


def git(cwd, *args, check=True) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, text=True, capture_output=True,
                            env={**os.environ, **GIT_ENV})
    if check and result.returncode:
        raise AssertionError(f"git {' '.join(args)}: {result.stderr}")
    return result.stdout.strip()


def release(project, *args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/release.py", *args], cwd=project, text=True,
                          capture_output=True, env={**os.environ, **GIT_ENV}, **kwargs)


def make_project(path: Path) -> Path:
    """A copy of the portal's sources, committed, without the other engineers' untracked work
    in ROOT mattering: the copy is what is committed."""
    path.mkdir(parents=True)
    for name in ("mkdocs.yml", "requirements.lock", "package-lock.json", "Makefile"):
        shutil.copy2(ROOT / name, path)  # mtimes kept: make sees the linked installs as current
    for name in COPIED:
        shutil.copytree(ROOT / name, path / name, ignore=shutil.ignore_patterns("__pycache__"))
    link(path)
    # as the portal's own .gitignore: bytecode that `make` lets Python write is not a change
    (path / ".gitignore").write_text("".join(f"{n}\n" for n in LINKED) + "site\n__pycache__/\n")
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "portal")
    return path


def link(path: Path) -> None:
    for name in LINKED:
        (ROOT / name).mkdir(exist_ok=True)
        if not (path / name).exists():
            (path / name).symlink_to(ROOT / name)


def remote_head(remote: Path) -> str:
    return git(remote, "rev-parse", "-q", "--verify", "refs/heads/gh-pages", check=False)


def symlinks(repo, ref="gh-pages") -> list[str]:
    return [line.split("\t")[1] for line in git(repo, "ls-tree", "-r", ref).splitlines()
            if line.startswith("120000")]


def blobs(repo, ref) -> dict[str, str]:
    """path -> blob of every file in `ref`, the `latest/` alias left out."""
    lines = git(repo, "ls-tree", "-r", ref).splitlines()
    return {line.split("\t")[1]: line.split()[2] for line in lines
            if not line.split("\t")[1].startswith("latest/")}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Project A with a bare remote, and 2026.10 released from it with a push."""
    top = tmp_path_factory.mktemp("release")
    remote = top / "origin.git"
    git(top, "init", "-q", "--bare", str(remote))
    project = make_project(top / "a")
    git(project, "remote", "add", "origin", str(remote))
    git(project, "push", "-q", "origin", "main")
    git(project, "tag", "2026.10")
    first = release(project, "2026.10", "--push")
    assert first.returncode == 0, first.stderr
    return {"top": top, "remote": remote, "a": project, "first": first}


def test_first_release_pushes_the_tagged_commit_and_records_it(world):
    a, remote = world["a"], world["remote"]
    head = git(a, "rev-parse", "HEAD")
    assert remote_head(remote) == git(a, "rev-parse", "gh-pages")
    record = json.loads(git(remote, "show", "gh-pages:2026.10/edition.json"))
    assert record["edition"] == "2026.10" and record["source_commit"] == head
    message = git(remote, "log", "-1", "--format=%B", "gh-pages")
    assert f"Edition 2026.10 from {head}" in message
    versions = json.loads(git(remote, "show", "gh-pages:versions.json"))
    assert versions == [{"version": "2026.10", "title": "2026.10", "aliases": ["latest"]}]
    assert git(remote, "show", "gh-pages:.nojekyll") == ""  # or GitHub Pages hides _shared/
    assert "latest/" in git(remote, "show", "gh-pages:index.html")


def test_gh_pages_has_no_symlink_and_latest_is_a_copy(world):
    remote = world["remote"]
    assert symlinks(remote) == []
    latest = git(remote, "show", "gh-pages:latest/briefings/tariffs/index.html")
    assert latest == git(remote, "show", "gh-pages:2026.10/briefings/tariffs/index.html")
    # the documented download paths exist under latest/ (in editions they are content-addressed)
    git(remote, "cat-file", "-e", "gh-pages:latest/data/us_korea_goods_trade/annual.csv")
    git(remote, "cat-file", "-e", "gh-pages:latest/api/indicators.json")


@pytest.mark.parametrize("name", ["2026.12; touch pwned", "$(shell touch pwned)",
                                  "`touch pwned`", "$$(touch pwned)", "2026.12\ntouch pwned"])
def test_a_command_in_the_edition_name_is_refused_and_never_runs(world, name):
    a = world["a"]
    before = git(a, "rev-parse", "gh-pages")
    made = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "-o",
                           "node_modules/.installed", "-o", "node_modules/.vendored", "release",
                           f"EDITION={name}"], cwd=a,
                          text=True, capture_output=True, env={**os.environ, **GIT_ENV})
    assert made.returncode != 0
    assert "is not of the form YYYY.MM" in made.stderr
    assert not (a / "pwned").exists() and not (ROOT / "pwned").exists()
    assert git(a, "rev-parse", "gh-pages") == before


def test_a_dirty_tree_is_refused(world):
    a = world["a"]
    git(a, "tag", "2026.11")
    (a / "docs" / "draft.md").write_text("# not committed\n")
    try:
        result = release(a, "2026.11")
        assert result.returncode == 2 and "uncommitted or untracked" in result.stderr
        assert "docs/draft.md" in result.stderr
    finally:
        (a / "docs" / "draft.md").unlink()
        git(a, "tag", "-d", "2026.11")


def test_head_that_is_not_the_tag_is_refused(world):
    a = world["a"]
    assert "there is no tag 2026.11" in release(a, "2026.11").stderr
    git(a, "tag", "2026.11", "HEAD")
    git(a, "commit", "-q", "--allow-empty", "-m", "after the tag")
    try:
        result = release(a, "2026.11")
        assert result.returncode == 2 and "but HEAD is" in result.stderr
    finally:
        git(a, "reset", "-q", "--hard", "HEAD~1")
        git(a, "tag", "-d", "2026.11")


def test_a_failing_fetch_is_an_error_not_a_first_edition(world):
    a = world["a"]
    git(a, "remote", "add", "gone", str(world["top"] / "missing.git"))
    git(a, "tag", "2026.11")
    try:
        result = release(a, "2026.11", "--remote", "gone")
        assert result.returncode == 2 and "ls-remote" in result.stderr, result.stderr
    finally:
        git(a, "tag", "-d", "2026.11")


def test_an_unreadable_versions_json_is_an_error(world):
    a, top = world["a"], world["top"]
    broken, work = top / "broken.git", top / "broken-work"
    git(top, "clone", "-q", "--bare", str(world["remote"]), str(broken))
    git(top, "clone", "-q", "-b", "gh-pages", str(broken), str(work))
    (work / "versions.json").write_text("[{not json")
    git(work, "commit", "-qam", "corrupt")
    git(work, "push", "-q", "origin", "gh-pages")
    git(a, "remote", "add", "broken", str(broken))
    git(a, "tag", "2026.11")
    before = git(a, "rev-parse", "gh-pages")
    try:
        result = release(a, "2026.11", "--remote", "broken")
        assert result.returncode == 2 and "versions.json" in result.stderr
        assert "unreadable" in result.stderr and "not guessing" in result.stderr
        assert git(a, "rev-parse", "gh-pages") == before
    finally:
        git(a, "tag", "-d", "2026.11")


def test_behind_origin_the_edition_someone_else_published_is_not_overwritten(world):
    a, remote, top = world["a"], world["remote"], world["top"]
    b = top / "b"
    git(top, "clone", "-q", "-b", "main", str(remote), str(b))
    link(b)
    git(b, "tag", "2026.11")
    other = release(b, "2026.11", "--push")  # CI publishes 2026.11 meanwhile
    assert other.returncode == 0, other.stderr
    published = remote_head(remote)
    stale = git(a, "rev-parse", "gh-pages")
    assert stale != published  # A's gh-pages still says 2026.10 is the latest
    git(a, "tag", "2026.11")
    result = release(a, "2026.11", "--push")
    assert result.returncode == 2
    assert "edition 2026.11 already exists on gh-pages and is never overwritten" in result.stderr
    assert "2026.11-2" in result.stderr
    assert remote_head(remote) == published
    git(a, "tag", "-d", "2026.11")


HOOK_FAIL = "#!/bin/sh\necho 'pre-receive: refusing' >&2\nexit 1\n"
HOOK_SLOW = "#!/bin/sh\ntouch \"$MARKER\"\nsleep 60\nexit 0\n"


def test_a_failing_push_publishes_nothing_locally_or_remotely(world):
    a, remote = world["a"], world["remote"]
    git(a, "tag", "2026.12")
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(HOOK_FAIL)
    hook.chmod(0o755)
    before_remote, before_local = remote_head(remote), git(a, "rev-parse", "gh-pages")
    try:
        result = release(a, "2026.12", "--push")
    finally:
        hook.unlink()
    assert result.returncode == 2 and "pre-receive: refusing" in result.stderr
    assert remote_head(remote) == before_remote
    assert git(a, "rev-parse", "gh-pages") == before_local


def test_a_release_killed_during_its_push_publishes_nothing(world):
    a, remote, top = world["a"], world["remote"], world["top"]
    marker = top / "push-started"
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(HOOK_SLOW.replace("$MARKER", str(marker)))
    hook.chmod(0o755)
    before_remote, before_local = remote_head(remote), git(a, "rev-parse", "gh-pages")
    proc = subprocess.Popen([sys.executable, "scripts/release.py", "2026.12", "--push"], cwd=a,
                            env={**os.environ, **GIT_ENV}, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the push never started"
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)  # the release, git push and the remote's hook
        proc.wait()
    finally:
        hook.unlink()
    assert remote_head(remote) == before_remote
    assert git(a, "rev-parse", "gh-pages") == before_local


def test_after_an_interrupted_deploy_a_rerun_publishes(world):
    a, remote = world["a"], world["remote"]
    result = release(a, "2026.12", "--push")
    assert result.returncode == 0, result.stderr
    assert remote_head(remote) == git(a, "rev-parse", "gh-pages")
    versions = json.loads(git(remote, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [
        ("2026.12", ["latest"]), ("2026.11", []), ("2026.10", [])]
    assert symlinks(remote) == []
    record = json.loads(git(remote, "show", "gh-pages:2026.12/edition.json"))
    assert record["source_commit"] == git(a, "rev-parse", "2026.12")


def test_an_unchanged_file_is_published_once_across_three_editions(world):
    remote = world["remote"]
    commits = git(remote, "rev-list", "--reverse", "gh-pages").splitlines()
    assert len(commits) == 3
    seen: set[str] = set()
    for n, commit in enumerate(commits):
        files = blobs(remote, commit)
        edition = ["2026.10", "2026.11", "2026.12"][n]
        added = {p: b for p, b in files.items() if p.startswith((edition + "/", "_shared/"))
                 and b not in seen}
        if n:  # nothing byte-identical to an earlier edition was published again
            # (but for the files an edition keeps at their own path by design: see shared_assets)
            again = {p for p, b in files.items() if p.startswith(edition + "/") and b in seen
                     and not shared_assets.stays(p.split("/", 1)[1])}
            assert again == set(), sorted(again)[:10]
            # the same data: the new edition adds what names it (pages, records, PDFs, feed),
            # none of its data, figures, scripts, styles or fonts
            assets = (".js", ".css", ".ttf", ".png", ".svg", ".csv", ".map", ".vl.json")
            new_assets = [p for p in added if p.startswith("_shared/") and p.endswith(assets)]
            # … but the redirects' one script, with the first edition that has redirects
            assert new_assets == ([unchanged_pages.REDIRECT_PATH] if n == 1 else []), new_assets[:10]
        seen |= set(files.values())


def test_an_edition_of_the_same_data_publishes_in_full_only_what_names_its_predecessor(world):
    """2026.11 and 2026.12 are built from the same data as 2026.10: every page is a redirect to
    2026.10 but for those whose content names the previous edition."""
    remote = world["remote"]
    for edition in ("2026.11", "2026.12"):
        pages = [p for p in git(remote, "ls-tree", "-r", "--name-only", "gh-pages", edition).split()
                 if p.endswith(".html")]
        full = sorted(p for p in pages if "portal-since" not in git(remote, "show", f"gh-pages:{p}"))
        assert full == [f"{edition}/404.html", f"{edition}/about/changes/index.html"]
        stub = git(remote, "show", f"gh-pages:{edition}/briefings/tariffs/index.html")
        assert '<meta name="portal-since" content="2026.10">' in stub  # not the stub before it
        assert "url=../../../2026.10/briefings/tariffs/" in stub
        names = git(remote, "ls-tree", "-r", "--name-only", "gh-pages", edition).split()
        assert not [p for p in names if p.endswith(".pdf")]  # 2026.10's PDFs serve


def test_a_whole_file_made_of_yearly_parts_is_published_at_latest_only(world):
    remote = world["remote"]
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    wholes = [p for p in files if p.endswith("/us_trade_by_partner/monthly.csv")]
    assert wholes == ["latest/data/us_trade_by_partner/monthly.csv"]
    assert "latest/data/us_trade_by_partner/monthly-by-year/2013.csv" in files
    assert any(p.startswith("_shared/") and p.endswith("/2013.csv") for p in files)


def test_parts_that_do_not_make_the_whole_file_are_refused(tmp_path):
    site = tmp_path / "site"
    (site / "data/x/monthly-by-year").mkdir(parents=True)
    (site / "data/x/monthly-by-year/2013.csv").write_text("year,v\n2013,1\n")
    (site / "data/x/monthly-by-year/2014.csv").write_text("year,v\n2014,2\n")
    (site / "data/x/monthly.csv").write_text("year,v\n2013,1\n2014,2\n")
    (site / "index.html").write_text('<a href="data/x/monthly.csv">all</a>')
    split = shared_assets.split(site, "2026.10")
    assert not any(p.endswith("/monthly.csv") for p in [*split.edition, *split.shared])
    assert '"../latest/data/x/monthly.csv"' in split.edition["2026.10/index.html"].decode()
    (site / "data/x/monthly.csv").write_text("year,v\n2013,1\n2014,3\n")
    with pytest.raises(shared_assets.ShareError, match="is not its yearly parts"):
        shared_assets.split(site, "2026.10")


def test_served_gh_pages_work_per_edition_offline(world, browser, tmp_path):
    remote = world["remote"]
    with serve(export_gh_pages(remote, tmp_path)) as root:
        page = browser.new_page()
        watch = Watch(page, root)
        failed = []
        page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
        for edition in ("2026.10", "latest"):
            page.goto(root + f"{edition}/briefings/tariffs/", wait_until="load")
            page.wait_for_selector(".md-version__list", state="attached")
            listed = [" ".join(e.split()) for e in
                      page.locator(".md-version__list .md-version__link").all_text_contents()]
            assert listed[0].startswith("2026.12") and listed[0].endswith("latest")
            assert listed[1:] == ["2026.11", "2026.10"]
            assert page.locator("[data-md-component=outdated]").is_visible() == (
                edition == "2026.10")
            figure = page.locator("figure.portal-figure[data-spec]").first
            figure.scroll_into_view_if_needed()
            figure.locator(".portal-figure__chart").hover()  # charts load on a reader's reach
            page.wait_for_selector("figure.portal-figure[data-state=interactive]", timeout=20000)
        page.goto(root + "2026.10/data/us_korea_goods_trade/", wait_until="load")
        links = page.eval_on_selector_all(
            "a[href$='.csv']", "as => as.map(a => a.href)")
        assert links and all("/_shared/" in href for href in links)
        for href in links[:3]:
            assert page.request.get(href).status == 200
        # a file split by year: the edition's parts are shared, its whole file is latest's copy
        page.goto(root + "2026.10/data/us_trade_by_partner/", wait_until="load")
        hrefs = page.eval_on_selector_all("a[href$='.csv']", "as => as.map(a => a.href)")
        whole = [h for h in hrefs if h.endswith("/monthly.csv")]
        assert whole == [root + "latest/data/us_trade_by_partner/monthly.csv"]
        years = [h for h in hrefs if h.endswith("/2013.csv")]
        assert years and "/_shared/" in years[0]
        for href in whole + years:
            assert page.request.get(href).status == 200
        page.goto(root + "2026.10/briefings/tariffs/", wait_until="load")  # the static chart
        src = page.locator(".portal-figure__chart img").first.get_attribute("src")
        assert "/_shared/" in page.evaluate("s => new URL(s, location.href).href", src)
        assert watch.errors == [] and watch.outside == [] and failed == []
        page.close()
