"""The Korean pages' font, self-hosted and cut down to what they use: Noto Sans KR (SIL OFL
1.1, npm @fontsource/noto-sans-kr, pinned in package.json) in the Fontsource chunks whose
unicode-range holds a character of the built Korean pages, regular and bold, woff2 only.

Fontsource splits the font into ~120 chunks per weight by unicode-range, as Google Fonts does:
a browser fetches only the chunks the text on screen needs, and the build ships only the chunks
some Korean page contains (a subset by whole chunks; glyph-level subsetting needs fontTools,
which the lock file does not have). Latin text is set in it too: Fontsource puts ASCII in the
same chunk as the most frequent Hangul, so a Korean page in Noto Sans KR throughout reads as
one face. Nothing is loaded from outside the site.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "node_modules" / "@fontsource" / "noto-sans-kr"
WEIGHTS = (400, 700)
FONTS = "assets/fonts/noto-sans-kr"
STYLESHEET = "assets/stylesheets/noto-sans-kr.css"
_BLOCK = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}")


def _ranges(body: str) -> list[tuple[int, int]]:
    text = re.search(r"unicode-range:\s*([^;]+);", body)[1]
    spans = []
    for part in text.split(","):
        first, _, last = part.strip()[2:].partition("-")
        spans.append((int(first, 16), int(last or first, 16)))
    return spans


def chunks(used: set[int]) -> list[tuple[int, str, str]]:
    """(weight, file, unicode-range) of each chunk holding a used code point."""
    if not (PACKAGE / "400.css").exists():
        from .errors import PortalError
        raise PortalError(f"{PACKAGE.relative_to(ROOT)} is missing: run `make vendor` (npm ci of "
                          "the pinned packages in package-lock.json) before building")
    found = []
    for weight in WEIGHTS:
        for block in _BLOCK.finditer((PACKAGE / f"{weight}.css").read_text(encoding="utf-8")):
            spans = _ranges(block["body"])
            if any(a <= c <= b for c in used for a, b in spans):
                file = re.search(r"url\(\./files/([^)]+\.woff2)\)", block["body"])[1]
                found.append((weight, file, re.search(r"unicode-range:\s*([^;]+);",
                                                      block["body"])[1]))
    return found


def write(site_dir: str | Path) -> list[str]:
    """The stylesheet and font files for the pages in `site_dir`; returns the files copied."""
    site = Path(site_dir)
    used = {ord(c) for page in site.rglob("*.html")
            for c in page.read_text(encoding="utf-8")}
    kept = chunks(used)
    (site / FONTS).mkdir(parents=True, exist_ok=True)
    rules = []
    for weight, file, ranges in kept:
        shutil.copyfile(PACKAGE / "files" / file, site / FONTS / file)
        rules.append(f"@font-face{{font-family:'Noto Sans KR';font-style:normal;"
                     f"font-display:swap;font-weight:{weight};src:url(../fonts/noto-sans-kr/"
                     f"{file}) format('woff2');unicode-range:{ranges}}}")
    shutil.copyfile(PACKAGE / "LICENSE", site / FONTS / "LICENSE")
    (site / STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
    (site / STYLESHEET).write_text(
        "/* Noto Sans KR (SIL OFL 1.1, fonts/noto-sans-kr/LICENSE), the chunks these pages use "
        "(macros/korean_font.py). */\n" + "\n".join(rules) +
        "\n:root{--md-text-font:'Noto Sans KR'}\n"
        "/* Hangul is not set in italic (the font has none; a browser would slant it). */\n"
        ".md-typeset em,.md-typeset figcaption{font-style:normal}\n",
        encoding="utf-8")
    return [file for _, file, _ in kept]
