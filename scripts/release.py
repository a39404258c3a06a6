"""Publish an edition: `make release EDITION=2026.11 [PUSH=1]`.

Fails closed at every step; nothing reaches `gh-pages` unless all of them pass:
1. The edition name is checked against `EDITION_NAME` before anything else sees it.
2. The remote is asked first: `origin`'s `gh-pages` is fetched (a failing fetch is an error;
   only a branch the reachable remote does not have means "first edition"). The editions are
   read from the commit the release builds on, chosen as mike would (origin's branch, or the
   local one if it is strictly ahead; diverged is an error). An unreadable `versions.json` is
   an error, an existing or older edition is refused.
3. The working tree is clean and HEAD is the commit the tag `<edition>` names.
4. That commit is built once, from a clean export (`git archive`), with the previous edition's
   record and `PORTAL_SOURCE_COMMIT`; the build is checked (strict, `edition.json` names the
   edition and commit, no symlink).
5. The checked build is published as it is, by git plumbing (mike can only deploy a build it
   runs itself): its changed files under `<edition>/`, its shared files once under `_shared/`
   (scripts/shared_assets.py), pages unchanged since the previous edition as redirects to the
   edition that published them (scripts/unchanged_pages.py), a full copy of it as the `latest/`
   alias (no symlink), and mike's
   `versions.json`, root redirect and `.nojekyll`, written with mike's own code, so Material's
   version switcher reads it as a mike site. The commit names the source commit.
6. With --push the commit is pushed, never forced; only then do the local refs move. A push
   that fails or is interrupted leaves local and remote `gh-pages` as they were: run it again.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import shared_assets  # noqa: E402
import unchanged_pages  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EDITION_NAME = re.compile(r"\A20\d\d\.(0[1-9]|1[0-2])(-[2-9])?\Z")
REMOTE_NAME = re.compile(r"\A[A-Za-z0-9_][A-Za-z0-9._-]*\Z")
BRANCH = "gh-pages"
ALIAS = shared_assets.LATEST  # "latest": shared_assets links whole files there
LINKED = ("node_modules", ".cache")  # installed from lock files / content-addressed caches
ZERO = "0" * 40


class ReleaseError(Exception):
    pass


def git(*args: str, cwd: Path | None = None, env: dict | None = None, input: bytes | None = None,
        ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
    """Run git without a shell (in ROOT unless told); an exit code outside `ok` is an error."""
    result = subprocess.run(["git", *args], cwd=cwd or ROOT, env=env, input=input,
                            capture_output=True)
    if result.returncode not in ok:
        detail = result.stderr.decode(errors="replace").strip()[-2000:]
        raise ReleaseError(f"`git {' '.join(args)}` failed (exit {result.returncode}): {detail}")
    return result


def out(*args: str, **kwargs) -> str:
    return git(*args, **kwargs).stdout.decode().strip()


def check_name(edition: str) -> None:
    if not EDITION_NAME.match(edition):
        raise ReleaseError(f"edition {edition!r} is not of the form YYYY.MM or YYYY.MM-N "
                           "(e.g. 2026.11, or 2026.11-2 for a second edition that month)")


# --- what is published ------------------------------------------------------------------------

def fetch_base(remote: str) -> str | None:
    """The commit this release builds on, after fetching the remote's branch; None only when
    neither the reachable remote nor this repository has a gh-pages branch."""
    tracking = f"refs/remotes/{remote}/{BRANCH}"
    listed = git("ls-remote", "--exit-code", "--heads", remote, f"refs/heads/{BRANCH}", ok=(0, 2))
    if listed.returncode == 0:
        git("fetch", "--no-tags", remote, f"+refs/heads/{BRANCH}:{tracking}")
        upstream = out("rev-parse", "--verify", f"{tracking}^{{commit}}")
    else:  # the remote answered: it has no gh-pages
        upstream = None
    local = git("rev-parse", "--verify", "-q", f"refs/heads/{BRANCH}^{{commit}}", ok=(0, 1))
    local = local.stdout.decode().strip() or None
    if upstream is None or local is None or local == upstream:
        return upstream or local
    if git("merge-base", "--is-ancestor", local, upstream, ok=(0, 1)).returncode == 0:
        return upstream  # local is behind (mike fast-forwards it the same way)
    if git("merge-base", "--is-ancestor", upstream, local, ok=(0, 1)).returncode == 0:
        return local  # unpushed local editions
    raise ReleaseError(f"local {BRANCH} has diverged from {remote}/{BRANCH}; reconcile them "
                       f"(e.g. `git branch -f {BRANCH} {remote}/{BRANCH}`) before releasing")


def published(base: str | None) -> list[dict]:
    """Editions in `base`'s versions.json (mike's format), newest first."""
    if base is None:
        return []
    try:
        versions = json.loads(git("show", f"{base}:versions.json").stdout)
        entries = sorted(versions, key=lambda e: sort_key(e["version"]), reverse=True)
    except (ValueError, KeyError, TypeError) as exc:
        raise ReleaseError(f"{BRANCH}:versions.json at {base[:12]} is unreadable ({exc}); "
                           "not guessing which editions exist") from exc
    return entries


def sort_key(edition: str) -> tuple:
    base, _, n = edition.partition("-")
    return (base, int(n or 1))


def next_suffix(edition: str, editions: list[dict]) -> str:
    base = edition.split("-")[0]
    taken = {e["version"] for e in editions}
    return next((f"{base}-{n}" for n in range(2, 10) if f"{base}-{n}" not in taken),
                "a later month")


def check_new(edition: str, editions: list[dict]) -> None:
    for entry in editions:
        if entry["version"] == edition:
            raise ReleaseError(
                f"edition {edition} already exists on {BRANCH} and is never overwritten: "
                f"readers cite it. Publish a new edition instead, e.g. "
                f"{next_suffix(edition, editions)}.")
    if editions and sort_key(edition) < sort_key(editions[0]["version"]):
        raise ReleaseError(f"edition {edition} is older than the latest published edition "
                           f"{editions[0]['version']}; editions are dated and move forward")


# --- what is built ----------------------------------------------------------------------------

def tagged_clean_head(edition: str) -> str:
    """HEAD, if the tree is clean and the tag `edition` names it."""
    dirty = out("status", "--porcelain", "--untracked-files=all")
    if dirty:
        raise ReleaseError("the working tree has uncommitted or untracked files; an edition is "
                           "built from a commit only:\n" + dirty[:1500])
    head = out("rev-parse", "--verify", "HEAD^{commit}")
    tag = git("rev-parse", "--verify", "-q", f"refs/tags/{edition}^{{commit}}", ok=(0, 1))
    tagged = tag.stdout.decode().strip()
    if not tagged:
        raise ReleaseError(f"there is no tag {edition}: tag the commit to publish "
                           f"(`git tag {edition}`) and release from it")
    if tagged != head:
        raise ReleaseError(f"tag {edition} names {tagged[:12]} but HEAD is {head[:12]}: "
                           f"check out the tag (`git checkout {edition}`) to publish it")
    return head


def build(commit: str, edition: str, previous: bytes | None, tmp: Path,
          editions: list[dict] = ()) -> Path:
    """A strict build of `commit` from a clean export, checked; returns the site folder. It is
    dated by the commit (SOURCE_DATE_EPOCH), lists the earlier editions in its feed, and must
    print its briefing PDFs (a release never ships pages whose citation_pdf_url is missing)."""
    src, site = tmp / "src", tmp / "site"
    src.mkdir()
    archive = git("archive", "--format=tar", commit).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    for name in LINKED:
        if (ROOT / name).exists():
            (src / name).symlink_to(ROOT / name)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MIKE_DOCS_VERSION": edition,
           "PORTAL_SOURCE_COMMIT": commit, "PORTAL_PDF": "require",
           "SOURCE_DATE_EPOCH": git("show", "-s", "--format=%ct", commit).stdout.strip(),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PORTAL_DATA_DIR", None)  # the tagged data, nothing else
    env.pop("PORTAL_PREVIOUS_EDITION", None)
    (tmp / "versions.json").write_text(json.dumps(list(editions)), encoding="utf-8")
    env["PORTAL_EDITIONS"] = str(tmp / "versions.json")
    if previous is not None:
        (tmp / "previous-edition.json").write_bytes(previous)
        env["PORTAL_PREVIOUS_EDITION"] = str(tmp / "previous-edition.json")
    # as `make build`: English, and each translation into <edition>/<lang>/ (issue 14), strict
    built = subprocess.run([sys.executable, "scripts/build_site.py", "mkdocs", "-d", str(site)],
                           cwd=src, env=env, capture_output=True, text=True)
    if built.returncode != 0:
        raise ReleaseError(f"the strict build of {commit[:12]} failed:\n{built.stderr[-3000:]}")
    record = site / "edition.json"
    if not record.exists():
        raise ReleaseError("the build wrote no edition.json; not publishing")
    meta = json.loads(record.read_text())
    if meta.get("edition") != edition or meta.get("source_commit") != commit:
        raise ReleaseError(f"edition.json names edition {meta.get('edition')!r} and commit "
                           f"{meta.get('source_commit')!r}, not {edition} and {commit[:12]}")
    return site


def edition_url(site: Path) -> str:
    """The edition's own address, from its sitemap (`<site_url><edition>/`)."""
    found = re.search(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())
    if not found:
        raise ReleaseError("the build's sitemap.xml lists no page")
    return found.group(1)


# --- how it is published ----------------------------------------------------------------------

def mike_files(editions: list[dict], edition: str) -> dict[str, bytes]:
    """versions.json, the root redirect and .nojekyll, written by mike's own code."""
    from mike import commands
    from mike.versions import Versions
    versions = Versions.from_json(editions)
    versions.add(edition, aliases=[ALIAS], update_aliases=True)
    template = commands._redirect_template()
    return {"versions.json": (versions.dumps() + "\n").encode(),
            "index.html": template.render(href=f"{ALIAS}/").encode(),
            ".nojekyll": b""}


def tree_of(base: str | None) -> dict[str, tuple[str, str]]:
    """path -> (mode, blob) of every file in `base`."""
    if base is None:
        return {}
    listing = git("ls-tree", "-r", "-z", "--full-tree", base).stdout.decode()
    entries = {}
    for line in filter(None, listing.split("\0")):
        meta, path = line.split("\t", 1)
        mode, _, sha = meta.split()
        entries[path] = (mode, sha)
    return entries


def write_blobs(files: dict[str, bytes], tmp: Path) -> dict[str, str]:
    """path -> blob id, every file written to the object store in one `git hash-object`."""
    staging, names = tmp / "blobs", []
    staging.mkdir(exist_ok=True)
    for i, data in enumerate(files.values()):
        (staging / str(i)).write_bytes(data)
        names.append(str(staging / str(i)))
    ids = out("hash-object", "-w", "--no-filters", "--stdin-paths",
              input="\n".join(names).encode()).split()
    return dict(zip(files, ids))


def read_blobs(base: str | None, paths: list[str]) -> dict[str, bytes]:
    """path -> bytes of the files of `base` at `paths` (absent ones left out), in one git call."""
    if base is None or not paths:
        return {}
    data = git("cat-file", "--batch", input="".join(f"{base}:{p}\n" for p in paths).encode()).stdout
    found, pos = {}, 0
    for path in paths:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        found[path], pos = data[pos:pos + size], pos + size + 1
    return found


def unchanged(split: shared_assets.Split, edition: str, base: str | None, editions: list[dict],
              root: str) -> unchanged_pages.Outcome:
    """The edition's files with the pages unchanged since the previous edition stubbed."""
    before = editions[0]["version"] if editions else None
    pages = [f"{before}/{p[len(edition) + 1:]}" for p in split.edition if p.endswith(".html")]
    previous = read_blobs(base, pages) if before else {}
    return unchanged_pages.publish(split.edition, edition, previous, before, root)


def compose(base: str | None, edition: str, commit: str, split: shared_assets.Split,
            editions: list[dict], tmp: Path, own: unchanged_pages.Outcome | None = None) -> str:
    """The new gh-pages commit: `base` plus the edition (`own`: its files as published, by
    default all of the split's), its shared files and `latest/` (always a full copy)."""
    entries = {p: e for p, e in tree_of(base).items() if p != ALIAS and not p.startswith(ALIAS + "/")}
    if any(p == edition or p.startswith(edition + "/") for p in entries):
        raise ReleaseError(f"{BRANCH} already has a folder {edition}/ (not in versions.json); "
                           "not overwriting it")
    new = dict(split.edition if own is None else own.files)
    full = split.edition if own is None else own.full
    for path, data in split.shared.items():
        if path in entries:  # byte-identical in an earlier edition: already published
            continue
        new[path] = data
    latest = {f"{ALIAS}/{p[len(edition) + 1:]}": d for p, d in full.items()}
    for rel, data in split.originals.items():  # the documented paths, at latest/ only
        latest.setdefault(f"{ALIAS}/{rel}", data)
    new.update(latest)
    new.update(mike_files(editions, edition))
    blobs = write_blobs(new, tmp)
    for path, sha in blobs.items():
        entries[path] = ("100644", sha)
    bad = [p for p, (mode, _) in entries.items() if mode == "120000"]
    if bad:
        raise ReleaseError(f"{BRANCH} would contain symlinks, which GitHub Pages rejects: {bad[:5]}")
    index = {**os.environ, "GIT_INDEX_FILE": str(tmp / "index")}
    info = "".join(f"{mode} {sha}\t{path}\0" for path, (mode, sha) in sorted(entries.items()))
    git("update-index", "--add", "-z", "--index-info", env=index, input=info.encode())
    tree = out("write-tree", env=index)
    message = (f"Edition {edition} from {commit} (tag {edition})\n\n"
               f"Source commit: {commit}\n")
    return out("commit-tree", tree, *(["-p", base] if base else []), input=message.encode())


def deploy(site: Path, edition: str, commit: str, base: str | None, editions: list[dict],
           push: bool, remote: str, tmp: Path) -> str:
    """Publish the checked build in `site` on top of `base`; returns the new gh-pages commit.
    The local branch moves only after the push (if any) succeeded."""
    started = time.monotonic()
    url = edition_url(site)
    split = shared_assets.split(site, edition, url)
    own = unchanged(split, edition, base, editions, url[:-len(edition) - 1])
    new = compose(base, edition, commit, split, editions, tmp, own)
    local = f"refs/heads/{BRANCH}"
    old_local = git("rev-parse", "-q", "--verify", local, ok=(0, 1)).stdout.decode().strip()
    if push:
        git("push", "--porcelain", remote, f"{new}:refs/heads/{BRANCH}")  # never forced
        git("update-ref", f"refs/remotes/{remote}/{BRANCH}", new)
    git("update-ref", "-m", f"release {edition}", local, new, old_local or ZERO)
    print(f"{len(own.stubbed)} page(s) unchanged since an earlier edition, published as "
          f"redirects to it; {len(own.dropped)} PDF(s) not published again")
    print(f"deployed in {time.monotonic() - started:.1f} s")
    return new


def release(edition: str, push: bool, remote: str = "origin") -> str:
    check_name(edition)
    if not REMOTE_NAME.match(remote):
        raise ReleaseError(f"remote {remote!r} is not a plain remote name")
    base = fetch_base(remote)
    editions = published(base)
    check_new(edition, editions)
    commit = tagged_clean_head(edition)
    with tempfile.TemporaryDirectory(prefix="release-") as name:
        tmp = Path(name)
        previous = None
        if editions:
            previous = git("show", f"{base}:{editions[0]['version']}/edition.json").stdout
            print(f"previous edition: {editions[0]['version']}")
        print(f"building {edition} from {commit[:12]} (strict)")
        site = build(commit, edition, previous, tmp, editions)
        new = deploy(site, edition, commit, base, editions, push, remote, tmp)
    print(f"published edition {edition} ({new[:12]})"
          + (f" and pushed to {remote}" if push else f" to local {BRANCH} only; "
             f"publish it with `git push {remote} {BRANCH}`"))
    return new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("edition", nargs="?", default=os.environ.get("PORTAL_EDITION"),
                        help="YYYY.MM, or YYYY.MM-N for a later edition that month "
                             "(default: $PORTAL_EDITION, set by `make release`)")
    parser.add_argument("--push", action="store_true", help="also push gh-pages to the remote")
    parser.add_argument("--remote", default="origin")
    args = parser.parse_args(argv)
    try:
        if not args.edition:
            raise ReleaseError("name the edition: make release EDITION=YYYY.MM [PUSH=1]")
        release(args.edition, args.push, args.remote)
    except ReleaseError as exc:
        print(f"release refused: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
