"""MkDocs hooks for one build per language (issue 14; the steps are macros/language_builds.py,
which a Zensical build calls from macros/build.py).

Events: `on_config` puts a translated build under `<site_url><lang>/` and gives it the edition
switcher of docs/assets/javascripts/editions.js; `on_post_page` points each page's language
switcher at the same page in the other language (its home where there is none yet; the
generated indicator and dataset pages, which macros/mkdocs_hooks.py adds, every language has) and the `<link rel="alternate" hreflang>`
tags at the language roots, whose sitemaps Material's switcher script reads. A translated
build's own files (its font) come from the engine's last step, build.finish.
"""
from __future__ import annotations

import functools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SOURCE = "en"


def _lang(config) -> str:
    return str(config["theme"]["language"] or SOURCE)


@functools.cache
def _pages(lang: str) -> frozenset[str]:
    from macros import language_builds
    return language_builds.page_paths(ROOT, lang)


def on_config(config, **kwargs):
    _pages.cache_clear()  # `mkdocs serve`: a page added since the last build
    from macros import language_builds
    project = Path(config["config_file_path"]).resolve().parent
    language_builds.configure(config, _lang(config), project)
    return config


def on_post_page(output, page, config, **kwargs):
    from macros import language_builds
    langs = [alt.get("lang") for alt in config["extra"].get("alternate") or []]
    return language_builds.link_languages(output, page.url, _lang(config),
                                          {other: _pages(other) for other in langs})
