"""MkDocs hooks for one build per language (issue 14; the steps are macros/language_builds.py,
which a Zensical build calls from macros/build.py).

Events: `on_config` puts a translated build under `<site_url><lang>/` and gives it the edition
switcher of docs/assets/javascripts/editions.js; `on_files` (after
macros/mkdocs_hooks.py) keeps only the translated build's own pages (the generated indicator and
dataset pages exist in English only: links to them go to the English build, see
PageContext.link); `on_post_page` points each page's language switcher at the same page in the
other language (its home where there is none yet) and the `<link rel="alternate" hreflang>`
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

from mkdocs.plugins import event_priority  # noqa: E402

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


@event_priority(-100)  # after macros/mkdocs_hooks.py has added the generated pages
def on_files(files, config, **kwargs):
    if _lang(config) == SOURCE:
        return files
    docs = Path(config["docs_dir"]).resolve()
    for file in list(files.documentation_pages()):
        src = Path(file.abs_src_path).resolve() if file.abs_src_path else None
        if src is None or docs not in src.parents:
            files.remove(file)
    return files


def on_post_page(output, page, config, **kwargs):
    from macros import language_builds
    langs = [alt.get("lang") for alt in config["extra"].get("alternate") or []]
    return language_builds.link_languages(output, page.url, _lang(config),
                                          {other: _pages(other) for other in langs})
