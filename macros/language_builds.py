"""One build per language, joined by Material's `extra.alternate` (issue 14): English at the
site root from docs/ with mkdocs.yml, each other language under /<lang>/ from docs-<lang>/ with
mkdocs.<lang>.yml (`INHERIT: mkdocs.yml`, `theme.language: <lang>`). A language's pages live in
docs-<lang>/ under the same source paths as their English originals.

The steps are the generator's business only in when they run: MkDocs and ProperDocs call them
from macros/i18n_hooks.py, a Zensical build (which runs no hooks) from macros/build.py. Nothing
here imports a site generator.
"""
from __future__ import annotations

import re
from pathlib import Path

from . import i18n

SOURCE = i18n.SOURCE
_SWITCH = re.compile(r'(<a href=")[^"]*(" hreflang="([a-z-]+)" class="md-select__link")')
_HEAD = re.compile(r'(<link rel="alternate" href=")[^"]*(" hreflang="([a-z-]+)">)')


def docs_of(project: Path, lang: str) -> Path:
    return project / ("docs" if lang == SOURCE else f"docs-{lang}")


def configure(config, lang: str, project: Path) -> None:
    """The `lang` build's config (a mapping, changed in place): only languages this project
    builds are offered (a copy without docs-ko/ and mkdocs.ko.yml has no /ko/ to link to, nor
    its sitemap for Material's switcher to read; PORTAL_LANGUAGES=en publishes a build alone),
    each link relative to this build's root (Material resolves it with base_url, as on
    404.html, which the page step does not see), and a translated build under
    `<site_url><lang>/`."""
    extra = config["extra"]
    offered = i18n.offered(extra.get("alternate"), project)
    if offered:
        extra["alternate"] = [{**alt, "link": root_of(alt["lang"], lang)} for alt in offered]
    else:
        extra.pop("alternate", None)
    site_url = config.get("site_url") or ""
    if lang != SOURCE and site_url and not site_url.rstrip("/").endswith(f"/{lang}"):
        config["site_url"] = site_url.rstrip("/") + f"/{lang}/"
    if lang != SOURCE:
        # Material's edition switcher reads versions.json one folder above the build's root,
        # which for <edition>/ko/ is <edition>/, where mike writes none. In an edition, a
        # provider Material does not know keeps its "outdated" banner and drops its switcher;
        # docs/assets/javascripts/editions.js (extra_javascript of mkdocs.ko.yml) reads mike's
        # versions.json at the site root instead and keeps the reader in this language.
        version = extra.pop("version", None)
        if version and extra.get("edition", "dev") != "dev":
            extra["version"] = {**version, "provider": "portal"}


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


def page_paths(project: Path, lang: str) -> frozenset[str]:
    """The site paths of the `lang` build's pages ('', 'briefings/tariffs/', …): its own and
    the generated indicator and dataset pages, which every language's build has."""
    from . import build
    return frozenset(i18n.page_path(src) for src in
                     [*i18n.pages_of(docs_of(project, lang)), *build.generated_sources()])


def link_languages(output: str, page_url: str, lang: str, pages: dict[str, frozenset]) -> str:
    """A page's HTML with its language switcher pointing at the same page in each other
    language (that language's home where there is none yet) and its `<link rel="alternate"
    hreflang>` tags at the language roots, whose sitemaps Material's switcher script reads;
    `pages` holds each offered language's page paths."""
    if not pages:
        return output
    links = alternates(page_url, lang, pages)
    output = _SWITCH.sub(lambda m: f"{m[1]}{links[m[3]][0]}{m[2]}", output)
    return _HEAD.sub(lambda m: f"{m[1]}{links[m[3]][1]}{m[2]}", output)


def link_site(site: Path, lang: str, project: Path, langs: list[str]) -> None:
    """`link_languages` over every page of a built site, as a generator without a page hook
    needs it (Zensical); 404.html keeps the roots, as MkDocs leaves it."""
    pages = {other: page_paths(project, other) for other in langs}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html" or (lang == SOURCE and rel.split("/")[0] in langs):
            continue
        url = "" if rel == "index.html" else rel.removesuffix("index.html")
        text = path.read_text(encoding="utf-8")
        linked = link_languages(text, url, lang, pages)
        if linked != text:
            path.write_text(linked, encoding="utf-8")
