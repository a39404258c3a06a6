"""The portal's own font for pages, as WOFF2 cut down to the characters the site can show.

docs/assets/fonts/ keeps the TrueType files: vl-convert measures and draws the charts' text with
them at build time (macros/artefacts.py). Pages get the same glyphs as WOFF2 (Brotli-compressed,
about a fifth of the TrueType size), subset by fontTools to every character of the built pages,
charts and chart specs (what the interactive charts and the printed PDFs draw), plus ASCII,
Latin-1 and the punctuation, currency and minus signs numbers are formatted with, so a chart
that a reader re-renders (a tooltip, a value from the spec) finds its glyphs. A character outside
the subset would fall back to another font, which the PDF check (macros/pdf.check_fonts) would
stop; the subset is cached by the font's bytes and the characters, so an unchanged site is not
subset again.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from . import artefacts, atomic

TARGET = "assets/fonts"  # where portal.css's @font-face rules look, beside the TrueType files
CACHE_DIR = artefacts.CACHE_DIR.parent / "fonts"
ALWAYS = {*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2000, 0x2070),
          *range(0x20A0, 0x20C1), 0x2212}  # ASCII, Latin-1, punctuation, currency, minus
SCANNED = ("*.html", "*.svg", "*.vl.json")  # the text a page, a chart or a chart's spec holds


def used(site: Path) -> set[int]:
    """Every code point in the English site's pages, chart SVGs and chart specs, plus ALWAYS."""
    chars = set(ALWAYS)
    for pattern in SCANNED:
        for path in site.rglob(pattern):
            if path.relative_to(site).parts[0] != "ko":  # the Korean pages have their own font
                chars.update(map(ord, set(path.read_text(encoding="utf-8", errors="ignore"))))
    return chars


def woff2(ttf: bytes, unicodes: set[int]) -> bytes:
    """`ttf` subset to `unicodes` (layout features and hinting as fontTools keeps by default),
    as WOFF2."""
    from fontTools import subset
    options = subset.Options()
    options.flavor = "woff2"
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing renders them
    font = subset.load_font(io.BytesIO(ttf), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def write(site: Path) -> list[Path]:
    """site/assets/fonts/<name>.woff2 for each TrueType font of docs/assets/fonts/."""
    from fontTools import version
    unicodes = used(site)
    key = ",".join(map(str, sorted(unicodes))) + version
    written = []
    for ttf in sorted(artefacts.FONT_DIR.glob("*.ttf")):
        data = ttf.read_bytes()
        cached = CACHE_DIR / (hashlib.sha256(data + key.encode()).hexdigest()[:20] + ".woff2")
        if not cached.exists():
            atomic.write(cached, woff2(data, unicodes))
        out = site / TARGET / f"{ttf.stem}.woff2"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(cached.read_bytes())
        written.append(out)
    return written
