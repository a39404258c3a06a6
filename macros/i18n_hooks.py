"""MkDocs hooks for one build per language (issue 14): English at the site root from docs/ with
mkdocs.yml, Korean under /ko/ from docs-ko/ with mkdocs.ko.yml (`INHERIT: mkdocs.yml`,
`theme.language: ko`), joined by Material's `extra.alternate`. A language's pages live in
`docs-<lang>/` under the same source paths as their English originals.

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
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.plugins import event_priority  # noqa: E402

SOURCE = "en"


def _lang(config) -> str:
    return str(config["theme"]["language"] or SOURCE)


def _docs(lang: str) -> Path:
    return ROOT / ("docs" if lang == SOURCE else f"docs-{lang}")


@functools.cache
def _pages(lang: str) -> frozenset[str]:
    from macros import i18n
    return frozenset(i18n.page_path(src) for src in i18n.pages_of(_docs(lang)))


def on_config(config, **kwargs):
    _pages.cache_clear()  # `mkdocs serve`: a page added since the last build
    lang = _lang(config)
    # Only languages this project builds are offered (a copy without docs-ko/ and
    # mkdocs.ko.yml has no /ko/ to link to, nor its sitemap for Material's switcher to read);
    # PORTAL_LANGUAGES=en says a build is published alone (tests of one language's output).
    from macros import i18n
    project = Path(config["config_file_path"]).resolve().parent
    built = i18n.offered(config["extra"].get("alternate"), project)
    if built:
        # each link relative to this build's root (Material resolves it with base_url, as on
        # 404.html, which on_post_page does not see): /ko/ is "./" from the Korean build
        config["extra"]["alternate"] = [
            {**alt, "link": root_of(alt["lang"], lang)} for alt in built]
    else:
        config["extra"].pop("alternate", None)
    if lang != SOURCE and config["site_url"] and not config["site_url"].rstrip("/").endswith(
            f"/{lang}"):
        config["site_url"] = config["site_url"].rstrip("/") + f"/{lang}/"
    if lang != SOURCE:
        # Material's edition switcher reads versions.json one folder above the build's root,
        # which for <edition>/ko/ is <edition>/, where mike writes none. In an edition, a
        # provider Material does not know keeps its "outdated" banner and drops its switcher;
        # docs/assets/javascripts/editions.js (extra_javascript of mkdocs.ko.yml) reads mike's
        # versions.json at the site root instead and keeps the reader in this language.
        version = config["extra"].pop("version", None)
        if version and config["extra"].get("edition", "dev") != "dev":
            config["extra"]["version"] = {**version, "provider": "portal"}
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


_SWITCH = re.compile(r'(<a href=")[^"]*(" hreflang="([a-z-]+)" class="md-select__link")')
_HEAD = re.compile(r'(<link rel="alternate" href=")[^"]*(" hreflang="([a-z-]+)">)')


def root_of(other: str, lang: str) -> str:
    """The `other` language's root, relative to the `lang` build's root."""
    if other == lang:
        return "./"
    up = "./" if lang == SOURCE else "../"
    return up if other == SOURCE else f"{up}{other}/"


def alternates(page_url: str, lang: str, other_pages: dict[str, set[str]]) -> dict[str, tuple]:
    """{lang: (same page or that language's home, language root)}, relative to `page_url`,
    for a page of the `lang` build; `other_pages` holds each language's site paths."""
    up = "../" * page_url.count("/")
    root = (up or "./") if lang == SOURCE else up + "../"  # the English root, from this page
    found = {}
    for other, pages in other_pages.items():
        home = root if other == SOURCE else f"{root}{other}/"
        same = other == lang or page_url in pages
        found[other] = (home + page_url if same else home, home)
    return found


def on_post_page(output, page, config, **kwargs):
    lang = _lang(config)
    langs = [alt.get("lang") for alt in config["extra"].get("alternate") or []]
    if not langs:
        return output
    links = alternates(page.url, lang, {other: _pages(other) for other in langs})
    output = _SWITCH.sub(lambda m: f"{m[1]}{links[m[3]][0]}{m[2]}", output)
    return _HEAD.sub(lambda m: f"{m[1]}{links[m[3]][1]}{m[2]}", output)

