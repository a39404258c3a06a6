"""Content-addressed shared assets: an edition publishes only the files it changed.

`split(site, edition)` turns one checked build into the files it adds to the `gh-pages` tree:

- `<edition>/…`: what is the edition's by nature, at its build path: the pages (HTML),
  `edition.json`, each figure's record (`assets/figures/<id>.json`, which names the edition),
  the search index and sitemaps (Material and crawlers fetch them by path), and
  `api/` (documented per-edition URLs for programs; it changes with every data update anyway);
- `_shared/<sha256>/<name>`: every other file (figures, data downloads, JavaScript, CSS,
  fonts), named by the SHA-256 of its bytes, so a file that is byte-identical in an earlier
  edition is already there and is not published again; its documented build path stays
  available under `latest/`, which is a full copy;
- `_shared/<sha256>/<dir>/…`: a folder a script addresses as a whole (figures.js loads the vega
  libraries from `../vendor/`, Material's search worker its languages from `../lunr`), kept
  together and named by the hash of its files;
- nothing for a whole file that is exactly its yearly parts (`data/<id>/<stem>.csv` beside
  `data/<id>/<stem>-by-year/<year>.csv`, checked byte for byte; macros/download_parts.py): it
  grows every month, so as one file it would be new bytes in every edition. The parts are the
  edition's copy (shared like any file: a closed year is published once); the whole file is
  published only under `latest/`, and the edition's links to it point there.

Every link to a moved file is rewritten to a relative URL (and an absolute URL under the
edition's address to the shared file's address), so each edition keeps working on its own URL,
from any static server, offline. The rewrite is checked: every reference that resolved in the
build must resolve, to the moved file, in the published tree. A reference this scanner cannot
see (a URL a script computes) would break: the browser test of a served gh-pages export is
the check for those (the search index is one, hence pinned).
"""
from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

SHARED = "_shared"
LATEST = "latest"  # the alias folder: a full copy of the newest edition at its build paths
YEAR_PART = re.compile(r"\A\d{4}\.csv\Z")
PARTS_FOLDER = "-by-year"  # `<stem>-by-year/<year>.csv` beside `<stem>.csv`: download_parts.py
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")  # scanned for references
# Files cited or subscribed to by their absolute edition URL (citation_pdf_url, the feeds, the
# edition's own citation) stay at their path, like the pages.
PINNED_FILES = {"edition.json", "sitemap.xml", "sitemap.xml.gz", "404.html", "feed.xml",
                "rss.xml", "citation.json", "citation.bib", "citation.ris"}
PINNED_SUFFIXES = (".html", ".pdf")
PINNED_DIRS = ("api/", "search/")  # documented API paths; the search index Material fetches
# A quoted or url(…) reference, or a source-map comment; the suffix (?query, #fragment) is kept.
REF = re.compile(r"""(?:(?<=["'(])|(?<=sourceMappingURL=))"""
                 r"""([^"'()\s<>?#*\\]+)([?#][^"'()\s<>\\]*)?(?=["')\s*]|$)""", re.M)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class ShareError(Exception):
    pass


@dataclass
class Split:
    """The files one edition adds to the published tree (path in gh-pages -> bytes)."""
    edition: dict[str, bytes] = field(default_factory=dict)   # <edition>/…
    shared: dict[str, bytes] = field(default_factory=dict)    # _shared/…
    originals: dict[str, bytes] = field(default_factory=dict)  # build path -> bytes, as built


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_site(site: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(site.rglob("*")):
        if path.is_symlink():
            raise ShareError(f"{path}: the build contains a symlink; GitHub Pages rejects them")
        if path.is_file():
            files[path.relative_to(site).as_posix()] = path.read_bytes()
    return files


LANGUAGE_ROOTS = ("ko/",)  # a translated build's root (mkdocs.ko.yml): pinned like the site's
FIGURE_RECORD = re.compile(r"\Aassets/figures/[^/]+(?<!\.vl)\.json\Z")


def stays(rel: str) -> bool:
    """Whether `rel` keeps its build path in the edition (in any language's build). A figure's
    record (`<id>.json`) is one: it names the edition and carries the figure's citation, so it
    is new bytes in every edition; shared, its content-addressed URL would move every month,
    and with it every page that links it, which could then never be published once for several
    editions (scripts/unchanged_pages.py)."""
    for root in LANGUAGE_ROOTS:
        if rel.startswith(root):
            rel = rel[len(root):]
            break
    return (rel.endswith(PINNED_SUFFIXES) or rel in PINNED_FILES or rel.startswith(PINNED_DIRS)
            or bool(FIGURE_RECORD.match(rel)))


def _resolve(ref: str, src: str, absolute: str) -> str | None:
    """The build path `ref` (found in build file `src`) points to, or None if it leaves the
    edition (another site, a scheme, a root-relative URL, a fragment)."""
    if absolute and ref.startswith(absolute):
        path = ref[len(absolute):]
        return posixpath.normpath(path) if path else "."
    if SCHEME.match(ref) or ref.startswith(("/", "#")):
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(src), ref))
    return None if path == ".." or path.startswith("../") else path


def _refs(rel: str, data: bytes, absolute: str):
    """(start, end, ref, suffix, target) for every reference in text file `rel`."""
    if not rel.endswith(TEXT):
        return []
    text = data.decode("utf-8", errors="surrogateescape")
    page = rel.endswith(".html")  # elsewhere "." or "../" is a string, not a link
    return [(m.start(1), m.end(1), m.group(1), m.group(2) or "", _resolve(m.group(1), rel, absolute))
            for m in REF.finditer(text) if page or m.group(1).strip("./")]


def latest_only(files: dict[str, bytes]) -> set[str]:
    """Build paths of whole files published only under latest/: `<stem>.csv` whose folder
    `<stem>-by-year/` holds two or more `<year>.csv` parts that make it exactly (the first
    part, then the others without their header row). Parts that do not make it are an error."""
    parts: dict[str, list[str]] = {}
    for rel in files:
        folder, name = posixpath.split(rel)
        if YEAR_PART.match(name) and folder.endswith(PARTS_FOLDER):
            parts.setdefault(folder[:-len(PARTS_FOLDER)] + ".csv", []).append(rel)
    out = set()
    for whole, names in parts.items():
        if whole not in files or len(names) < 2:
            continue
        chunks = [files[n] for n in sorted(names)]
        if chunks[0] + b"".join(c.split(b"\n", 1)[1] for c in chunks[1:]) != files[whole]:
            raise ShareError(f"{whole}: the whole file is not its yearly parts in "
                             f"{posixpath.dirname(names[0])}/; not dropping it from the edition")
        out.add(whole)
    return out


def _relative(target: str, src_dir: str) -> str:
    return posixpath.relpath(target, src_dir or ".")


def split(site: Path, edition: str, absolute: str = "") -> Split:
    """The published form of the build in `site` (see the module docstring). `absolute` is the
    edition's own URL (`https://…/<edition>/`), whose links to moved files are rewritten too."""
    files = read_site(site)
    dirs = {posixpath.dirname(r) for r in files}
    dirs |= {posixpath.dirname(d) for d in list(dirs)}
    while True:  # all ancestors
        more = {posixpath.dirname(d) for d in dirs} - dirs
        if not more:
            break
        dirs |= more
    refs = {rel: _refs(rel, data, absolute) for rel, data in files.items()}

    # Folders a script or stylesheet addresses as a whole travel together.
    shared_dirs: dict[str, str] = {}  # build dir -> _shared/<hash>/<name>
    pinned = {rel for rel in files if stays(rel)}
    for rel, found in refs.items():
        if not rel.endswith((".js", ".css")):
            continue
        for _, _, ref, _, target in found:
            if target in dirs and target not in ("", ".") and not ref.startswith(absolute or "\0"):
                members = [f for f in files if f.startswith(target + "/")]
                if any(m in pinned for m in members):
                    pinned.add(rel)  # cannot move the folder, so the script stays beside it
                    continue
                digest = sha256("".join(f"{posixpath.relpath(m, target)}\0{sha256(files[m])}\n"
                                        for m in sorted(members)).encode())
                shared_dirs[target] = f"{SHARED}/{digest}/{posixpath.basename(target)}"
    in_dir = {m: d for d in shared_dirs for m in files if m.startswith(d + "/")}
    wholes = latest_only(files)

    final: dict[str, str] = {}    # build path -> gh-pages path
    content: dict[str, bytes] = {}
    visiting: set[str] = set()

    def locate(rel: str) -> str:
        if rel in final:
            return final[rel]
        if rel in wholes:
            final[rel], content[rel] = f"{LATEST}/{rel}", files[rel]
        elif rel in in_dir:
            d = in_dir[rel]
            final[rel], content[rel] = f"{shared_dirs[d]}/{posixpath.relpath(rel, d)}", files[rel]
        elif rel in pinned:
            final[rel] = f"{edition}/{rel}"  # fixed before its content: pages link each other
            content[rel] = rewrite(rel, final[rel])
        else:
            if rel in visiting:
                raise _Cycle(rel)
            visiting.add(rel)
            data = rewrite(rel, f"{SHARED}/x/{posixpath.basename(rel)}")  # depth is what counts
            visiting.discard(rel)
            final[rel], content[rel] = f"{SHARED}/{sha256(data)}/{posixpath.basename(rel)}", data
        return final[rel]

    def target_of(target: str) -> str | None:
        if target in files:
            return locate(target)
        if target in shared_dirs:
            return shared_dirs[target]
        return None

    def rewrite(rel: str, at: str) -> bytes:
        found = refs[rel]
        if not found:
            return files[rel]
        text = files[rel].decode("utf-8", errors="surrogateescape")
        out, pos = [], 0
        for start, end, ref, _, target in found:
            moved = target_of(target) if target is not None else None
            if moved is None or moved == f"{edition}/{target}":
                continue  # unchanged place: keep the reference as written
            new = (absolute.rsplit(f"{edition}/", 1)[0] + moved if absolute and ref.startswith(absolute)
                   else _relative(moved, posixpath.dirname(at)))
            if ref.endswith("/") and not new.endswith("/"):
                new += "/"
            out += [text[pos:start], new]
            pos = end
        out.append(text[pos:])
        return "".join(out).encode("utf-8", errors="surrogateescape")

    class _Cycle(Exception):
        pass

    while True:
        final.clear(), content.clear(), visiting.clear()
        try:
            for rel in files:
                locate(rel)
            break
        except _Cycle as cycle:  # files that link each other stay where they are
            pinned.add(cycle.args[0])

    result = Split(originals=files)
    for rel, path in final.items():
        if rel in wholes:
            continue  # published by the release under latest/ only
        (result.edition if path.startswith(f"{edition}/") else result.shared)[path] = content[rel]
    _check(refs, final, content, shared_dirs, dirs, absolute, edition)
    return result


def _check(refs, final, content, shared_dirs, dirs, absolute, edition) -> None:
    """Every reference that resolved in the build resolves, from the file's published place,
    to where the file it named was published."""
    published = set(final.values())
    tree = set(published) | set(shared_dirs.values())
    for path in list(tree):
        while path:
            path = posixpath.dirname(path)
            tree.add(path)
    root = absolute.rsplit(f"{edition}/", 1)[0] if absolute else ""
    for rel, before in refs.items():
        after = _refs(final[rel], content[rel], root)
        if len(after) != len(before):
            raise ShareError(f"{rel}: the rewrite changed the number of references")
        for (_, _, ref, _, target), (_, _, new, _, moved) in zip(before, after):
            if target is None or (target not in final and target not in dirs):
                continue  # it did not resolve in the build either
            expected = final.get(target) or shared_dirs.get(target) or \
                posixpath.normpath(f"{edition}/{target}")
            if moved != expected or moved not in tree:
                raise ShareError(f"{rel}: reference {ref!r} would break when published "
                                 f"(rewritten {new!r} -> {moved!r}, expected {expected!r})")
