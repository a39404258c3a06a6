"""The engine's build steps before and after the site generator, so that any generator builds the
same site: MkDocs and ProperDocs call them from macros/mkdocs_hooks.py, a Zensical build from
`python -m macros.build zensical` (it runs no hooks).

`prepare` runs first: it validates the datasets and renders the figure SVGs (a cold build's main
costs, into the content-addressed caches the macros read), then writes one Markdown page per
indicator and per dataset, and the nav entries for them, into a build folder under `.cache/build/`
(gitignored, never `docs/`), which the generator reads together with `docs/`. `finish` runs
last: the API, the downloads, the figure files, the edition record, citations and PDFs, from
what the pages used as they rendered (site_output). `fail` empties the output folder of a failed
build. Nothing here imports a site generator.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import artefacts, atomic, datasets, figures, indicators

ROOT = datasets.ROOT
# Where the generated pages go: one folder per project and data folder (a refresh builds the
# same project on staged data; scratch projects in tests share this .cache), so concurrent
# builds never read each other's pages.
BUILD_ROOT = ROOT / ".cache" / "build"
SECTIONS = ("indicators/", "data/")  # the generated folders; a nav section whose entry is the
#                                      folder's index.md (any language's name) lists their pages


def build_dir() -> Path:
    key = hashlib.sha256(f"{ROOT}\n{datasets.DATA_DIR}".encode()).hexdigest()[:10]
    return BUILD_ROOT / f"{ROOT.name}-{key}"


@dataclass(frozen=True)
class Prepared:
    """What `prepare` wrote: the folder of generated pages and, per page, its nav title in the
    build's language."""

    pages_dir: Path
    titles: dict  # src path (docs-relative, e.g. "indicators/us_kor_balance.md") -> nav title
    lang: str = "en"

    def fill_nav(self, nav: list | None) -> list:
        """`nav` with the sections of the generated folders expanded (in any language: the
        section whose entry is `indicators/index.md` or `data/index.md`): their overview page
        first, then one entry per generated page (same order as the registries)."""
        from . import i18n
        out = []
        for section in nav or []:
            if isinstance(section, dict):
                section = dict(section)
                for name, entry in section.items():
                    folder = next((f for f in SECTIONS if entry == f"{f}index.md"), None)
                    if folder:
                        section[name] = [{i18n.t(self.lang, "Overview"): entry}] + [
                            {title: src} for src, title in self.titles.items()
                            if src.startswith(folder)]
            out.append(section)
        return out


def generated_sources() -> list[str]:
    """The source paths of the generated pages, one per indicator and per dataset (every
    language's build has them all)."""
    return [*(f"indicators/{i}.md" for i in indicators.REGISTRY),
            *(f"data/{d}.md" for d in datasets.ids())]


def generated_pages(lang: str = "en") -> dict[str, tuple[str, str]]:
    """src path -> (nav title in `lang`, page source): each page is one macro call, rendered by
    the macros like any authored page, in the page's language."""
    from . import i18n
    pages = {}
    for ind in indicators.REGISTRY.values():
        title = html.escape(i18n.indicator(ind, "title", lang), quote=False)  # nav titles: HTML
        pages[f"indicators/{ind.id}.md"] = (title, f'{{{{ indicator_page("{ind.id}") }}}}\n')
    for dataset_id in datasets.ids():
        title = html.escape(i18n.dataset(datasets.get(dataset_id), "title", lang), quote=False)
        pages[f"data/{dataset_id}.md"] = (title, f'{{{{ dataset_page("{dataset_id}") }}}}\n')
    return pages


def prepare(lang: str = "en") -> Prepared:
    """Before the site generator: validate, prerender, and write the generated pages and their
    nav in `lang` (`nav.json`, `nav.<lang>.json`) into the build folder; a page is rewritten
    only when it changed, so a watching server sees no edit, and a page no longer generated is
    removed."""
    if lang != "en":  # the font cutters' forkserver imports the engine meanwhile
        from . import korean_font
        korean_font.warm()
    datasets.prevalidate()  # cold builds: validate all datasets in parallel, once
    if lang == "en":  # every figure some page shows, drawn while the pages render
        artefacts.prerender([*figures.REGISTRY.values(), *(
            f for i in indicators.REGISTRY for f in figures.indicator_figures(i))], wait=False)
    else:  # its pages show the charts in their language (beside the English build, that one
        artefacts.prerender_translated(lang)  # draws the English charts)
    pages = generated_pages(lang)
    folder = build_dir() / "pages"
    for src, (_, content) in pages.items():
        _write_if_changed(folder / src, content)
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        if path.relative_to(folder).as_posix() not in pages:
            path.unlink()
    prepared = Prepared(folder, {src: title for src, (title, _) in pages.items()}, lang)
    _write_if_changed(build_dir() / ("nav.json" if lang == "en" else f"nav.{lang}.json"),
                      json.dumps(prepared.titles, ensure_ascii=False, indent=1) + "\n")
    return prepared


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    atomic.write(path, text.encode("utf-8"))


def finish(site_dir: str | Path, *, edition: str, lang: str = "en") -> None:
    """After the site generator: the files the site ships besides pages (site_output.write);
    a translated build (site/ko/) links the English build's and adds only its font and the
    PDFs of its briefings (built beside the English build, `build_side_by_side`, it leaves its
    print plan for that to print once the English build is there)."""
    from . import i18n, pdf, runtime, site_output
    if lang != i18n.SOURCE:
        site_output.write_translation(Path(site_dir), lang, edition)
        runtime.close_workers()  # every chart drawn, every font cut
        if os.environ.get(PDF_LATER):
            atomic.write(Path(os.environ[PDF_LATER]), json.dumps(pdf.PLANNED).encode())
        else:
            pdf.write(Path(site_dir).parent, lang)  # its briefings, from the English build's root
        return
    site_output.write(str(site_dir), edition=edition)
    runtime.close_workers()


def edition_name(extra: dict | None = None) -> str:
    """The edition being built, as text (YAML would read `2026.10` from !ENV as 2026.1)."""
    return os.environ.get("MIKE_DOCS_VERSION") or str((extra or {}).get("edition", "dev"))


def fail(site_dir: str | Path, error: BaseException) -> None:
    """A failed build leaves no deployable site: the output folder is emptied, except for a
    BUILD-FAILED note."""
    from . import runtime
    runtime.close_workers()
    site = Path(site_dir)
    if site.is_dir():
        for child in site.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        (site / "BUILD-FAILED").write_text(
            "The last build of this site failed; nothing here is deployable.\n"
            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}\n",
            encoding="utf-8")


# --- Every language at once: the translations built beside the English build ----------------
PDF_LATER = "PORTAL_PDF_LATER"  # a translated build's print plan goes here, printed afterwards


def build_side_by_side(generator: str, site_dir: str | Path) -> int:
    """`<generator> build --strict` of the English site into `site_dir` and, at the same time,
    of each translation (mkdocs.<lang>.yml) into the build folder: each build is one process,
    and on two cores the pair takes little more than the longer one. A translation is moved to
    `site_dir/<lang>/` once both are done, and its briefings are printed then, from the English
    build's files they use. Returns the exit status; a failed build's folder holds only
    BUILD-FAILED (a translation's is moved in all the same, so the site is not deployable).
    Each line a build prints is shown with its language first (`[ko] ERROR - docs-ko/…`)."""
    import subprocess
    import sys

    site = Path(site_dir).resolve()
    # <lang>/ in it, as in the site (its parent is a root); one per site folder
    staging = build_dir() / "languages" / hashlib.sha256(str(site).encode()).hexdigest()[:10]

    import threading
    echoes = []

    def start(lang: str, *args: str, **env: str) -> subprocess.Popen:
        """The build of `lang`, each line it prints shown with its language first: the two
        builds' messages interleave."""
        process = subprocess.Popen([sys.executable, "-m", generator, "build", "--strict", *args],
                                   cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace")

        def echo():
            for line in process.stdout:
                sys.stderr.write(f"[{lang}] {line}")
        echoes.append(threading.Thread(target=echo, daemon=True))
        echoes[-1].start()
        return process

    translations = {}
    for lang in languages()[1:]:
        shutil.rmtree(staging / lang, ignore_errors=True)
        translations[lang] = start(lang, "-f", f"mkdocs.{lang}.yml", "-d", str(staging / lang),
                                   **{PDF_LATER: str(staging / f"{lang}.pdf-plan.json")})
    english = start(languages()[0], "-d", str(site))
    status = english.wait()
    done = {lang: process.wait() for lang, process in translations.items()}
    for echo in echoes:
        echo.join()
    if status:
        return status  # the English site says BUILD-FAILED; its translations are not moved in
    for lang, code in done.items():
        target = site / lang
        if target.exists():
            shutil.rmtree(target)
        if (staging / lang).is_dir():
            shutil.move(str(staging / lang), str(target))
        if code:  # failed before it wrote a file: the folder still says so
            if not (target / "BUILD-FAILED").is_file():
                target.mkdir(parents=True, exist_ok=True)
                fail(target, RuntimeError(f"the build of mkdocs.{lang}.yml failed"))
            return code
        try:
            _print_later(site, lang, staging / f"{lang}.pdf-plan.json")
        except Exception as error:  # noqa: BLE001  (as a build's own error: reported, emptied)
            fail(target, error)
            print(f"ERROR   -  {error}", file=sys.stderr)
            return 1
    return 0


def _print_later(site: Path, lang: str, plan: Path) -> None:
    """The PDFs of a translation built beside the English build, as its build would have
    printed them (pdf.write), from the finished site."""
    from . import pdf
    _log_as_mkdocs()
    pdf.PLANNED.update(json.loads(plan.read_text(encoding="utf-8")))
    try:
        pdf.write(site, lang)
    finally:
        pdf.PLANNED.clear()


def _log_as_mkdocs() -> None:
    """The engine's messages (loggers under `mkdocs.`, such as "PDF: no Chromium at …") shown
    as MkDocs shows them, in a process MkDocs does not run."""
    import logging
    import sys
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


# --- Zensical: the same steps around `zensical build` -------------------------------------------
ZENSICAL_EXTENSION = "macros.zensical_pages"  # the page steps MkDocs gets from its hooks


def _read_config(path: Path) -> dict:
    """mkdocs.yml as data, each `!ENV [NAME, default]` resolved as MkDocs resolves it, and an
    `INHERIT` merged over its parent as MkDocs merges it (mappings merged, lists replaced), and
    a `!!python/object/apply:` tag as the {object, kwds} mapping Zensical's loader calls."""
    import mergedeep
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def env_tag(loader, node):
        names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) \
            else [loader.construct_scalar(node)]
        *variables, default = names if len(names) > 1 else (*names, None)
        return next((os.environ[v] for v in variables if v in os.environ), default)

    def apply_tag(loader, suffix, node):  # as data (toc's slugify in mkdocs.ko.yml): nothing
        # is imported or called here, and the config written for Zensical stays plain YAML
        return {"object": suffix, "kwds": loader.construct_mapping(node, deep=True).get("kwds", {})}

    Loader.add_constructor("!ENV", env_tag)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", apply_tag)
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}
    if "INHERIT" in config:
        parent = _read_config(path.parent / config.pop("INHERIT"))
        config = mergedeep.merge(parent, config)
    return config


def languages() -> list[str]:
    """The languages this project builds, English first (i18n.offered: docs-<lang>/ and
    mkdocs.<lang>.yml exist, and PORTAL_LANGUAGES does not leave it out)."""
    from . import i18n
    alternate = _read_config(ROOT / "mkdocs.yml").get("extra", {}).get("alternate")
    return [alt["lang"] for alt in i18n.offered(alternate, ROOT)] or [i18n.SOURCE]


def zensical_config(prepared: Prepared, lang: str = "en") -> dict:
    """The portal's mkdocs.yml (mkdocs.<lang>.yml for a translation) as Zensical should read
    it: the merged docs folder, the nav with the generated pages, the page steps as a Markdown
    extension, the language switcher as the MkDocs build has it (language_builds.configure),
    and nothing Zensical ignores (hooks, the mike plugin) or cannot serve (the edition switcher
    outside `mike deploy`)."""
    from . import i18n, language_builds
    config = _read_config(ROOT / ("mkdocs.yml" if lang == i18n.SOURCE else f"mkdocs.{lang}.yml"))
    config["docs_dir"] = "docs"  # beside the config: Zensical panics on an absolute docs_dir
    config["site_dir"] = "site"
    config["theme"]["custom_dir"] = "overrides"  # the copy build_with_zensical makes
    config["theme"].setdefault("variant", "classic")  # Material's look, which overrides/ is for
    config.pop("hooks", None)
    config.pop("watch", None)
    config["plugins"] = [p for p in config.get("plugins", [])
                         if (p if isinstance(p, str) else next(iter(p))) in ("search", "macros")]
    if not os.environ.get("MIKE_DOCS_VERSION"):
        config.get("extra", {}).pop("version", None)
    config.setdefault("extra", {})
    language_builds.configure(config, lang, ROOT)
    config["nav"] = prepared.fill_nav(config.get("nav"))
    config["markdown_extensions"] = [*config.get("markdown_extensions", []), ZENSICAL_EXTENSION]
    return config


def build_with_zensical(site_dir: str | Path = ROOT / "site", lang: str = "en") -> Path:
    """prepare, `zensical build` of docs/ (a translation: docs-<lang>/) plus the generated pages,
    finish; into `site_dir`. Zensical wants its docs
    and site folders inside the project, so the build runs in the build folder (a copy of the
    docs with the config above) and the finished site is moved to `site_dir`."""
    import yaml
    import zensical

    from . import i18n, language_builds

    site = Path(site_dir).resolve()
    work = build_dir() / ("zensical" if lang == i18n.SOURCE else f"zensical-{lang}")
    try:
        prepared = prepare(lang)
        for stale in ("docs", "site", ".cache"):  # Zensical's cache would skip a page whose
            shutil.rmtree(work / stale, ignore_errors=True)  # Markdown is unchanged, not its data
        shutil.copytree(language_builds.docs_of(ROOT, lang), work / "docs")
        shutil.copytree(prepared.pages_dir, work / "docs", dirs_exist_ok=True)  # every language
        # overrides/ less Material's search partial: Zensical's search has other markup
        shutil.rmtree(work / "overrides", ignore_errors=True)
        shutil.copytree(ROOT / "overrides", work / "overrides",
                        ignore=lambda folder, names: [n for n in names if n == "search.html"])
        config = zensical_config(prepared, lang)
        (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True,
                                                        sort_keys=False), encoding="utf-8")
        zensical.build(str(work / "mkdocs.yml"), {"clean": True, "strict": False})
        offered = [alt["lang"] for alt in config["extra"].get("alternate") or []]
        if offered:  # the page step MkDocs runs as on_post_page
            language_builds.link_site(work / "site", lang, ROOT, offered)
        if site.exists():
            shutil.rmtree(site)
        shutil.move(str(work / "site"), site)
        # in place: a translation's PDFs print from the English build's root (site/..)
        finish(site, edition=edition_name(config.get("extra")), lang=lang)
    except BaseException as error:
        site.mkdir(parents=True, exist_ok=True)
        fail(site, error)
        raise
    return site


def main(argv: list[str] | None = None) -> int:
    """`scripts/build_site.py ENGINE [-d SITE_DIR]`: the portal and its translations built with
    MkDocs or ProperDocs (side by side, `build_side_by_side`) or Zensical (one after another)."""
    import argparse
    import sys
    import time

    from .errors import PortalError

    parser = argparse.ArgumentParser(prog="scripts/build_site.py", description=main.__doc__)
    parser.add_argument("engine", choices=["mkdocs", "properdocs", "zensical"])
    parser.add_argument("-d", "--site-dir", default=str(ROOT / "site"))
    parser.add_argument("--lang", help="Zensical: one language only (default: English into "
                        "SITE_DIR, then each translation into SITE_DIR/<lang>/, each in its own "
                        "process)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.engine != "zensical":
        status = build_side_by_side(args.engine, args.site_dir)
        if not status:
            print(f"INFO    -  {', '.join(languages())} built side by side into {args.site_dir} "
                  f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        return status
    _log_as_mkdocs()
    try:
        site = build_with_zensical(args.site_dir, args.lang or "en")
    except Exception as error:  # noqa: BLE001  (a page's error reaches here through Rust as a
        # RuntimeError "Python error: <type>: <message>" followed by its traceback)
        message = str(error).split("\n", 1)[0].removeprefix("Python error: ")
        if isinstance(error, PortalError):
            message = str(error)
        print(f"ERROR   -  {message.removeprefix('PortalError: ')}", file=sys.stderr)
        if os.environ.get("PORTAL_VERBOSE"):
            import traceback
            traceback.print_exc()
        return 1
    print(f"INFO    -  Zensical build of {site} in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    if args.lang is None:
        import subprocess
        for lang in languages()[1:]:  # a fresh process: one build's registries per language
            done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_site.py"),
                                   "zensical", "--lang", lang, "-d", str(site / lang)])
            if done.returncode:
                return done.returncode
    return 0
