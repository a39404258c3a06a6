"""HTML of a cite block (page or figure) and of the printed masthead, from citation_forms().

One producer for both cite blocks, so a page and its figures offer the same forms: APA and
Chicago as citeproc rendered them, BibTeX, and BibTeX/RIS/CSL-JSON downloads; a preview says so;
where the edition has a `latest` alias, a second variant cites that moving URL with an access
date that docs/assets/javascripts/cite.js fills in (the marker day in the data-marker-* attributes).
"""
from __future__ import annotations

import html
from urllib.parse import quote

from .citations import Edition

DOWNLOADS = (("BibTeX", "bibtex", "bib", "application/x-bibtex"),
             ("RIS", "ris", "ris", "application/x-research-info-systems"),
             ("CSL-JSON", "csl", "json", "application/vnd.citationstyles.csl+json"))


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _forms(f: dict, *, pdf_href: str | None) -> str:
    key = f["record"]["id"]
    texts = "".join(
        f'<p><strong>{label}</strong> <span class="portal-cite__text" data-portal-copy-source '
        f'data-style="{style}">{f[style]}</span> <button type="button" '
        f'class="md-button portal-copy" data-portal-copy>Copy</button></p>'
        for label, style in (("APA", "apa"), ("Chicago", "chicago")))
    links = [f'<a class="md-button" download="{_e(key)}.{ext}" data-format="{fmt}" '
             f'href="data:{mime};charset=utf-8,{quote(f[fmt], safe="")}">{label}</a>'
             for label, fmt, ext, mime in DOWNLOADS]
    if pdf_href:
        links.append(f'<a class="md-button" href="{_e(pdf_href)}" data-format="pdf">PDF</a>')
    return (f'{texts}<pre><code data-portal-copy-source data-format="bibtex">{_e(f["bibtex"])}'
            f'</code></pre><p class="portal-cite__downloads">Download: {" ".join(links)}</p>')


def preview_notice(ed: Edition) -> str:
    return (f'<p class="portal-cite__preview"><strong>Preview build — not a published '
            f'edition.</strong> Edition “{_e(ed.name)}” at {_e(ed.url)} is a local or test build: '
            f'do not cite it; cite a dated edition of the published site.</p>')


def block(cf: dict, ed: Edition, *, summary: str, css_class: str, block_id: str | None = None,
          pdf_href: str | None = None, data_line: str = "") -> str:
    """A <details> cite block with the edition's forms (and its `latest` variant, hidden)."""
    marker = cf["marker"]
    attrs = (f' id="{_e(block_id)}"' if block_id else "") + (
        f' data-portal-cite data-marker-text="{_e(marker["text"])}" '
        f'data-marker-iso="{marker["iso"]}" data-marker-ris="{marker["ris"]}"')
    parts = [f'<details class="{css_class}"{attrs}><summary>{_e(summary)}</summary>']
    if cf["preview"]:
        parts.append(preview_notice(ed))
    if cf["latest"]:
        name = f'cite-variant-{_e(cf["edition"]["record"]["id"])}'
        parts.append(
            f'<fieldset class="portal-cite__choice"><legend>Cite</legend>'
            f'<label><input type="radio" name="{name}" value="edition" checked> this edition, '
            f'{_e(ed.name)}: permanent URL, no access date needed</label> '
            f'<label><input type="radio" name="{name}" value="latest"> the latest edition: the '
            f'URL moves to each new edition, so the citation is dated the day you copy it</label>'
            f'</fieldset>')
    permanent = ("" if cf["preview"] else f'<p><small>The URL names edition {_e(ed.name)}, '
                 'which never changes.</small></p>')
    parts.append(f'<div data-portal-variant="edition">{_forms(cf["edition"], pdf_href=pdf_href)}'
                 f'{permanent}</div>')
    if cf["latest"]:
        parts.append(f'<div data-portal-variant="latest" hidden>'
                     f'{_forms(cf["latest"], pdf_href=None)}</div>')
    if data_line:
        parts.append(f'<p class="portal-cite__data">{_e(data_line)}</p>')
    parts.append("</details>")
    return "".join(parts)


def masthead(cf: dict, ed: Edition) -> str:
    """What a printed page (and its PDF) carries above the title: portal, edition, date,
    permanent URL and the cite line; a preview says so first."""
    record = cf["edition"]["record"]
    preview = (f'<p class="portal-print__preview"><strong>PREVIEW BUILD — not a published '
               f'edition; do not cite.</strong></p>' if ed.preview else "")
    return (f'<div class="portal-print">{preview}'
            f'<p><strong>{_e(record["publisher"])}</strong> · Edition {_e(ed.name)} · '
            f'{_e(ed.date_words)}</p><p>Permanent URL: {_e(record["URL"])}</p>'
            f'<p>Cite as: {cf["edition"]["apa"]}</p></div>')
