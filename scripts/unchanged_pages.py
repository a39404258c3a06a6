"""Pages an edition does not publish again: a page whose content is unchanged since an earlier
edition is published as a small redirect to that edition's copy.

A page names its edition (canonical URL, masthead, cite blocks, Highwire tags), so without this
every page of every edition would be new bytes, and ten years of monthly editions would outgrow
GitHub Pages' 1 GB: content-addressing (scripts/shared_assets.py) shares only the files that
are byte-identical. Here a page's *content* is compared instead: its article as published
(links already rewritten to the content-addressed figures and downloads, so a changed chart or
number is a changed page), with what only names the edition taken out:

- the cite blocks (`<details data-portal-cite>`: macros/templates/cite_block.html) and the
  print masthead (`<div class="portal-print">`: masthead.html), the citation records on numbers
  (`data-citation`, value.html) and the citation downloads (`data:` URLs);
- the edition's name (`2026.12`, and `2026_12` in citation keys).

If that is what the previous edition published at the same path (its full page, or the stub
that already points further back), the page becomes a stub pointing to the edition that first
published this content; the chain never grows, and the cited edition's own page is what every
later stub reaches. A reader keeps the fragment (`#p-2025-09`) through the redirect; without
JavaScript, the meta refresh and the visible link lead to the same page. The briefing PDF beside a
stubbed page is not published again either, nor the records of the figures it shows (the
earlier edition's page links its own), unless a published file of the edition links them.

Every published page carries its content key (`<meta name="portal-content">`), so the next
release compares keys without re-reading history; a page published before keys existed is
keyed from its HTML. `latest/` is always a full copy of the edition (`Outcome.full`).
"""
from __future__ import annotations

import hashlib
import html
import posixpath
import re
from dataclasses import dataclass, field

import jinja2
from markupsafe import Markup

import shared_assets  # the reference scanner the split rewrites links with

ARTICLE = re.compile(rb'<article class="md-content__inner[^"]*">(.*)</article>', re.S)
EDITION_ONLY = [re.compile(p, re.S) for p in (
    rb"<details\b[^>]*\bdata-portal-cite\b.*?</details>",  # cite_block.html
    rb'<div class="portal-print">.*?</div>',                # masthead.html
    rb""" data-citation=(?:"[^"]*"|'[^']*')""",             # value.html
    rb' href="data:[^"]*"', rb' download="[^"]*"',          # cite_forms.html downloads
)]
KEY_META = re.compile(rb'<meta name="portal-content" content="([0-9a-f]{64})">')
SINCE_META = re.compile(rb'<meta name="portal-since" content="([^"]+)">')
TITLE = re.compile(rb"<title>(.*?)</title>", re.S)
COMPANIONS = (".pdf", ".json")  # a briefing's PDF; a figure's record (assets/figures/<id>.json)
NOT_STUBBED = ("404.html",)  # a not-found page (any language's) must stand on its own
CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
# The stub's script: a file (the pages' CSP allows no inline script), shared by every stub.
REDIRECT_JS = (b'var a = document.getElementById("portal-unchanged");\n'
               b'if (a) location.replace(a.href + location.hash);\n')
REDIRECT_PATH = f"_shared/{hashlib.sha256(REDIRECT_JS).hexdigest()}/unchanged.js"
# The page's own CSP, verbatim: Material's instant navigation merges a fetched page's <head>
# into the current one, so a stub reached that way adds no second policy; its meta refresh,
# inserted with the head, still takes the reader to the edition's page (the fragment is kept
# only on a full load, by the script). The stub stays in the edition's sitemap, so the
# version switcher still finds the page in this edition.
STUB = jinja2.Environment(autoescape=True).from_string("""<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
{{ csp }}
<meta name="portal-content" content="{{ key }}"><meta name="portal-since" content="{{ since }}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }}</title>
<link rel="canonical" href="{{ canonical }}">
<meta http-equiv="refresh" content="0; url={{ target }}">
</head><body>
<p>{{ words[0] }} <a id="portal-unchanged" href="{{ target }}">{{ words[1] }}</a></p>
<script src="{{ script }}"></script>
</body></html>
""")


# What a stub says, in its page's language (a build's language without an entry says English).
STUB_WORDS = {"en": ("This page is unchanged since edition {since}:", "read it in edition {since}."),
              "ko": ("이 페이지는 {since}판 이후 바뀌지 않았습니다.", "{since}판에서 읽기")}


@dataclass
class Outcome:
    """What one edition publishes of its pages."""
    files: dict[str, bytes]                                # <edition>/… as published
    full: dict[str, bytes] = field(default_factory=dict)   # <edition>/…, every page in full
    stubbed: dict[str, str] = field(default_factory=dict)  # page -> edition it points to
    dropped: list[str] = field(default_factory=list)       # what only stubbed pages link


def content_key(page: bytes, edition: str) -> str | None:
    """The page's content without what only names `edition`; None for a page without an
    article (a redirect, a stub)."""
    found = ARTICLE.search(page)
    if not found:
        return None
    text = found.group(1)
    for pattern in EDITION_ONLY:
        text = pattern.sub(b"", text)
    for token in (edition, edition.replace(".", "_")):
        text = text.replace(token.encode(), b"{edition}")
    return hashlib.sha256(text).hexdigest()


def published_key(page: bytes, edition: str) -> tuple[str | None, str]:
    """(content key, edition holding the content) of a page as an edition published it."""
    key, since = KEY_META.search(page), SINCE_META.search(page)
    if since:  # a stub
        return (key.group(1).decode() if key else None), since.group(1).decode()
    return (key.group(1).decode() if key else content_key(page, edition)), edition


def _stub(rel: str, edition: str, since: str, key: str, page: bytes, root: str) -> bytes:
    folder = posixpath.dirname(rel)
    here, there = posixpath.join(edition, folder), posixpath.join(since, folder)
    target = posixpath.relpath(there, here) + "/"
    title = TITLE.search(page)
    lang = re.search(rb'<html lang="([A-Za-z-]+)"', page)
    csp = CSP_META.search(page)
    lang = lang.group(1).decode() if lang else "en"
    words = [w.format(since=since) for w in STUB_WORDS.get(lang, STUB_WORDS["en"])]
    return STUB.render(
        lang=lang, words=words, key=key, since=since,
        csp=Markup(csp.group(0).decode()) if csp else "",  # the page's own, as built
        title=html.unescape(title.group(1).decode()) if title else rel, target=target,
        canonical=f"{root}{there}/" if root else target,
        script=posixpath.relpath(REDIRECT_PATH, here),
    ).encode()


def _mark(page: bytes, key: str) -> bytes:
    return page.replace(b"<head>", f'<head><meta name="portal-content" content="{key}">'.encode(), 1)


def publish(files: dict[str, bytes], edition: str, previous: dict[str, bytes],
            previous_edition: str | None, root: str = "") -> Outcome:
    """The edition's own files (`<edition>/…` -> bytes, as scripts/shared_assets.py split them)
    with unchanged pages stubbed. `previous` holds the previous edition's published pages at the
    same paths (`<previous_edition>/…`); `root` is the site's URL, for the stubs' canonical link."""
    out = Outcome(files=dict(files), full=dict(files))
    prefix = f"{edition}/"
    for path, page in files.items():
        rel = path[len(prefix):]
        if not rel.endswith(".html") or posixpath.basename(rel) in NOT_STUBBED:
            continue
        key = content_key(page, edition)
        if key is None:
            continue
        before = previous.get(f"{previous_edition}/{rel}") if previous_edition else None
        old_key, since = published_key(before, previous_edition) if before else (None, "")
        out.full[path] = _mark(page, key)
        if old_key == key:
            out.files[path] = _stub(rel, edition, since, key, page, root)
            out.stubbed[rel] = since
        else:
            out.files[path] = out.full[path]
    # What only the stubbed pages link (their PDFs, their figures' records) is the earlier
    # edition's to serve: the stub's target links its own copies.
    kept = b"".join(data for p, data in out.files.items()
                    if p[len(prefix):] not in out.stubbed and p.endswith((".html", ".xml", ".json")))
    for rel in out.stubbed:
        for *_, target in shared_assets._refs(prefix + rel, out.full[prefix + rel], ""):
            if target in out.files and target.endswith(COMPANIONS) \
                    and posixpath.basename(target).encode() not in kept:
                del out.files[target]
                out.dropped.append(target)
    if out.stubbed:
        out.files[REDIRECT_PATH] = REDIRECT_JS
    return out
