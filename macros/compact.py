"""Built pages without their template indentation: every run of whitespace in text becomes one
space, as a browser lays it out anyway.

Why: Material's templates indent every nav item and wrapper, so about a seventh of each page is
whitespace, republished in every edition. Tags (attribute values included), comments and the
elements whose whitespace is content (pre, textarea, code, script, style) are copied as they are.
Only ASCII whitespace collapses: a no-break space is text.
"""
from __future__ import annotations

import re
from pathlib import Path

_TOKEN = re.compile(r"""<!--.*?-->"""
                    r"""|<(pre|textarea|code|script|style)\b(?:[^>"']|"[^"]*"|'[^']*')*>.*?</\1\s*>"""
                    r"""|<(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S | re.I)
_SPACE = re.compile(r"[ \t\r\n\f]+")


def html(page: str) -> str:
    out, pos = [], 0
    for match in _TOKEN.finditer(page):
        out.append(_SPACE.sub(" ", page[pos:match.start()]))
        out.append(match[0])
        pos = match.end()
    out.append(_SPACE.sub(" ", page[pos:]))
    return "".join(out)


def pages(site: Path) -> None:
    """Every built page of `site`, whichever generator wrote it."""
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        slim = html(text)
        if slim != text:
            path.write_text(slim, encoding="utf-8")
