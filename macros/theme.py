"""The portal's one Altair theme: fonts, colour-blind-safe colours (Okabe–Ito), axis formats.

Figure builders never style a chart by hand; they name a series and the theme colours it.
"""
from __future__ import annotations


class _Altair:
    """Altair, imported when a chart is first built, with this theme registered then: a warm
    build builds no chart (its specs are cached), and importing Altair costs a quarter second
    in each build's process. The builders use it as the module: `alt.Chart(...)`."""

    def __getattr__(self, name: str):
        import altair
        if "portal" not in altair.theme.names():
            altair.theme.register("portal", enable=True)(portal_theme)
        return getattr(altair, name)


alt = _Altair()

# The portal's own font (docs/assets/fonts/, registered by macros/artefacts.py): a family name no
# system font has, so vl-convert can take every glyph only from the portal's files; the generic
# fallback is for browsers before the web font has loaded.
FONT = "KUB Portal Sans, sans-serif"
# A translated chart's font (macros/chart_language.py): its pages' own, self-hosted and cut to the
# characters the pages and charts use, so chart and text are one face: for Korean, Noto Sans KR
# under a name of the portal's own, as KUB Portal Sans is Liberation Sans (macros/korean_font.py).
FAMILY_KO = "KUB Portal Noto Sans KR"
FONTS = {"en": FONT, "ko": f"{FAMILY_KO}, sans-serif"}
# Okabe–Ito palette: distinguishable under the common colour-vision deficiencies.
SERIES_COLOURS = {
    "Korea": "#0072B2",            # blue
    "United States": "#D55E00",    # vermillion
    "China": "#CC79A7",            # reddish purple
    "Japan": "#009E73",            # bluish green
    "Mexico": "#E69F00",           # orange
    "Canada": "#56B4E9",           # sky blue
    "All countries": "#555555",    # dark grey
    "Other": "#999999",
}
TEXT = "#1f2328"
WIDTH, HEIGHT = 640, 300
PARTIAL_OPACITY = 0.35  # a period still being published: drawn faint, never joined to full ones


def colour_scale(series: list[str]) -> alt.Scale:
    """A colour scale that gives each named series its house colour, in the order given."""
    return alt.Scale(domain=series, range=[SERIES_COLOURS.get(s, SERIES_COLOURS["Other"])
                                           for s in series])


def portal_theme() -> dict:
    """The theme (Altair's ThemeConfig, a dict), registered as "portal" by `alt` above."""
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "title": {"fontSize": 15, "anchor": "start", "color": TEXT, "fontWeight": 600},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": TEXT,
                     "titleColor": TEXT, "gridColor": "#e3e3e3", "domainColor": "#888888",
                     "tickColor": "#888888"},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top", "labelLimit": 0,
                       "labelColor": TEXT, "titleColor": TEXT},
            "range": {"category": list(SERIES_COLOURS.values())},
            "bar": {"color": SERIES_COLOURS["Korea"]},
            "line": {"color": SERIES_COLOURS["Korea"], "strokeWidth": 2},
            "point": {"color": SERIES_COLOURS["Korea"]},
        }
    }
