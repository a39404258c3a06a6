"""HTML of a cite block (page or figure) and of the printed masthead, from citation_forms().

One producer for both cite blocks, so a page and its figures offer the same forms: APA and
Chicago as citeproc rendered them, BibTeX, and BibTeX/RIS/CSL-JSON downloads; a preview says so;
where the edition has a `latest` alias, a second variant cites that moving URL with an access
date that docs/assets/javascripts/cite.js fills in (the marker day in the data-marker-* attributes).
Templates: macros/templates/cite_*.html, masthead.html (render.py escapes every value; the APA
and Chicago HTML is citeproc's, from records whose text citations.formatted escaped first).
"""
from __future__ import annotations

import base64

from markupsafe import Markup
from markupsafe import escape as html_escape

from . import render
from .citations import Edition

DOWNLOADS = (("BibTeX", "bibtex", "bib", "application/x-bibtex"),
             ("RIS", "ris", "ris", "application/x-research-info-systems"),
             ("CSL-JSON", "csl", "json", "application/vnd.citationstyles.csl+json"))


def _base64(text: str) -> str:
    """A download's bytes in a data: URL: base64 costs 4/3 of the text, where percent-encoding
    cost two to three times it (every space, brace and non-ASCII byte as %XX) in every edition."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _forms(f: dict, *, pdf_href: str | None, lang: str = "en") -> Markup:
    key = f["record"]["id"]
    texts = [(label, style, Markup(f[style])) for label, style in (("APA", "apa"),
                                                                   ("Chicago", "chicago"))]
    downloads = [{"label": label, "format": fmt, "download": f"{key}.{ext}",
                  "href": f"data:{mime};charset=utf-8;base64,{_base64(f[fmt])}"}
                 for label, fmt, ext, mime in DOWNLOADS]  # the build's own data: URLs
    if pdf_href:
        downloads.append({"label": "PDF", "format": "pdf", "download": None,
                          "href": render.href(pdf_href, where="briefing PDF")})
    # BibTeX sits in a <pre> of a block-level <details>, which Markdown leaves alone: HTML
    # escaping only, so its braces stay braces in the page source too
    return render.page_fragment("cite_forms.html", texts=texts,
                                bibtex=Markup(html_escape(f["bibtex"])), downloads=downloads,
                                lang=lang)


def preview_notice(ed: Edition, lang: str = "en") -> Markup:
    return render.page_fragment("preview_notice.html", name=ed.name, url=ed.url, lang=lang)


def block(cf: dict, ed: Edition, *, summary: str, css_class: str, block_id: str | None = None,
          pdf_href: str | None = None, data_line: str = "", lang: str = "en") -> Markup:
    """A <details> cite block with the edition's forms (and its `latest` variant, hidden)."""
    return render.page_fragment(
        "cite_block.html", css_class=css_class, block_id=block_id, marker=cf["marker"],
        summary=summary, preview=preview_notice(ed, lang) if cf["preview"] else None,
        latest=_forms(cf["latest"], pdf_href=None, lang=lang) if cf["latest"] else None,
        radio=f'cite-variant-{cf["edition"]["record"]["id"]}', edition=ed.name,
        forms=_forms(cf["edition"], pdf_href=pdf_href, lang=lang), data_line=data_line,
        lang=lang)


def date_words(ed: Edition, lang: str) -> str:
    """The edition's date (day, month or year) in `lang` from Babel's patterns: '2026년 12월 1일'."""
    import datetime

    from babel.dates import format_date, format_skeleton
    day = datetime.date(*ed.issued, *[1] * (3 - len(ed.issued)))
    if len(ed.issued) == 3:
        return format_date(day, "long", locale=lang)
    return format_skeleton("yMMMM" if len(ed.issued) == 2 else "y", day, locale=lang)


def masthead(cf: dict, ed: Edition, lang: str = "en") -> Markup:
    """What a printed page (and its PDF) carries above the title: portal, edition, date,
    permanent URL and the cite line; a preview says so first."""
    record = cf["edition"]["record"]
    return render.page_fragment("masthead.html", preview=ed.preview,
                                publisher=record["publisher"], edition=ed.name,
                                date=ed.date_words if lang == "en" else date_words(ed, lang),
                                url=record["URL"],
                                cite=Markup(cf["edition"]["apa"]), lang=lang)
