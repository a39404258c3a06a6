"""Slots: the heavy HTML of a macro's output enters the page after Markdown and search.

A number's opening tag (its CSL record and tooltip) and a figure's cite block and data table are
most of a page's HTML, and the generator would parse them three times: Markdown's raw-HTML
stash, MkDocs, and Material's search plugin. None of it is text a reader searches (search
excludes the cite blocks and tables, and reads no attributes), so the macros put a short slot
in its place, and `fill` puts the HTML back into the finished page: MkDocs' and ProperDocs'
on_post_page hook (macros/mkdocs_hooks.py), Zensical's Markdown postprocessor
(macros/zensical_pages.py). The HTML is stored as the macro rendered it, already escaped, and
put back byte for byte.
"""
from __future__ import annotations

import contextlib
import itertools
import os
import re
import threading

from markupsafe import Markup

_HTML: dict[str, str] = {}  # slot number -> the HTML it stands for, until its page is filled
# Slot numbers of 19 digits from a random start: a page kept from an earlier build's process
# (macros/kept_pages.py) brings its slots along, which must not meet this process's.
_NUMBERS = itertools.count((10**11 + int.from_bytes(os.urandom(5), "big") % (9 * 10**11)) * 10**7)
_STATE = threading.local()  # .on: a page is rendering (pages.bind); a direct call gets the HTML


@contextlib.contextmanager
def deferring():
    """Within: the macros' heavy HTML goes into slots (a generator renders a page and fills
    them); outside, a macro called directly returns its whole HTML."""
    before, _STATE.on = getattr(_STATE, "on", False), True
    try:
        yield
    finally:
        _STATE.on = before
_SLOT = re.compile(r'<!--portal-slot (\d+)-->|<a data-portal-slot="(\d+)">')


TAB_LENGTH = 4  # Python-Markdown's, which MkDocs, Material and Zensical keep


def _keep(html: str) -> str | None:
    """The slot number of `html`, stored as Markdown's NormalizeWhitespace would have left it
    in the page (line ends, tabs as spaces, blank lines emptied); None outside `deferring` or
    when that depends on where in its line the slot sits (a tab or a blank first line): the
    HTML then stays where it is."""
    first = html.split("\n", 1)[0]
    if not getattr(_STATE, "on", False) or "\t" in first or not first.strip():
        return None
    html = html.replace("\x02", "").replace("\x03", "").replace("\r\n", "\n").replace("\r", "\n")
    key = str(next(_NUMBERS))
    _HTML[key] = re.sub(r"(?<=\n) +\n", "\n", html.expandtabs(TAB_LENGTH))
    return key


def element(html: str) -> Markup:
    """A whole element (search excludes it) as a comment slot, which no parser reads into."""
    key = _keep(str(html))
    return Markup(html if key is None else f"<!--portal-slot {key}-->")


def opening_tag(html: str) -> Markup:
    """`<a …>text</a>` with its opening tag as a slot: search and Markdown read its text."""
    html = str(html)
    end = html.index(">") + 1
    key = _keep(html[:end])
    return Markup(html if key is None else f'<a data-portal-slot="{key}">{html[end:]}')


def fill(text: str, *, keep: bool = False) -> str:
    """`text` with every slot replaced by its HTML; the HTML is then forgotten (unless `keep`):
    a slot is filled once, in the one page its macro rendered."""
    used = []

    def put(match: re.Match) -> str:
        key = match[1] or match[2]
        used.append(key)
        return _HTML[key]
    out = _SLOT.sub(put, text) if "portal-slot" in text else text
    if not keep:
        for key in used:
            _HTML.pop(key, None)
    return out
