"""One switch for everything the engine remembers within a process.

Datasets, indicator tables, figures and citations are cached in memory for the length of a
build, and each build collects what its pages used (figures, numbers, citations, PDFs to print,
briefings for the feed). A long-lived process (a data refresh comparing two data folders) calls
`reset` before it reads again, so it never shows a value computed from files that changed.
The build's worker processes (`Workers`: the drawing process, the font cutters) are per-build
state too: made on first use, ended by `close_workers` when the build is done.
"""
from __future__ import annotations

import functools
import hashlib
import pickle
import sys
import threading
from concurrent.futures import Future, wait
from pathlib import Path

# What one build collects as its pages render: (module, name) of each dict.
PER_BUILD = (("authoring", "FIGURES_USED"), ("authoring", "NUMBERS_USED"),
             ("authoring", "FIGURE_CITATIONS"), ("pdf", "PLANNED"), ("feed", "BRIEFINGS"),
             ("citations", "_BUILDING"), ("figures", "KNOWN"), ("artefacts", "_PENDING"),
             ("korean_font", "_CUTTING"))


class Workers:
    """A process pool made on its first job (a build that needs none starts none) and ended by
    `close_workers`. Never forked from the build, whose threads (a pool's own, numpy's,
    vl-convert's) a fork would copy mid-step: spawned (`start`), or forked from a forkserver that
    has imported `preload` once for them all, started ahead by `warm`."""

    def __init__(self, workers: int, start: str = "forkserver", preload: tuple[str, ...] = ()):
        self.workers, self.start, self.preload = workers, start, preload
        self._pool = None
        self._lock = threading.Lock()  # jobs come from the drawing's callbacks too
        self._waiting: set[Future] = set()  # submit_after's jobs, not yet submitted or done
        _WORKERS.append(self)

    def _context(self):
        import multiprocessing
        context = multiprocessing.get_context(self.start)
        if self.start == "forkserver":
            context.set_forkserver_preload(list(self.preload))
        return context

    def warm(self) -> None:
        """Start the forkserver now, so that it imports `preload` while the build goes on."""
        if self.start == "forkserver":
            self._context()
            from multiprocessing import forkserver
            forkserver.ensure_running()

    def submit(self, fn, *args):
        with self._lock:
            if self._pool is None:
                from concurrent.futures import ProcessPoolExecutor
                self._pool = ProcessPoolExecutor(self.workers, mp_context=self._context())
            return self._pool.submit(fn, *args)

    def submit_after(self, first: Future, fn, *args) -> Future:
        """`fn(*args)` in a worker once `first` is done (a PNG is rasterised from its SVG's file,
        which another worker may still be drawing); `first`'s error is this job's."""
        later: Future = Future()
        with self._lock:
            self._waiting.add(later)
        later.add_done_callback(self._waiting.discard)

        def start(done: Future) -> None:
            try:
                done.result()
                job = self.submit(fn, *args)
            except BaseException as error:  # noqa: BLE001  (it is the job's result)
                later.set_exception(error)
                return
            job.add_done_callback(lambda job: later.set_exception(job.exception())
                                  if job.exception() else later.set_result(job.result()))
        first.add_done_callback(start)
        return later

    def close(self) -> None:
        """Wait for every job and end the processes (the next job starts new ones)."""
        wait(list(self._waiting))  # each submits its job to this pool before it is done
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown()


_WORKERS: list[Workers] = []


def close_workers() -> None:
    """End every pool once all their jobs are done; a job finishing in one may give another
    pool a job (a drawn chart's font cut), so until all are idle."""
    while any(w._pool is not None for w in _WORKERS):
        for workers in _WORKERS:
            workers.close()


@functools.cache
def engine_key() -> str:
    """Every file of the engine (code, templates, styles, translations) and the libraries that
    shape its results: what every on-disk cache of a computed result is keyed by, besides that
    result's own inputs, so a changed builder, indicator or theme is a changed input."""
    from importlib.metadata import version  # not `import altair`, which a warm build skips
    digest = hashlib.sha256(f"{version('altair')} {version('pandas')}".encode())
    engine = Path(__file__).parent
    for path in sorted(p for p in engine.rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(engine).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cached_pickle(path: Path):
    """The object pickled at `path` by this engine, or None when there is none or it cannot be
    read here (torn, or made where a module it names, such as pyarrow, is installed)."""
    try:
        return pickle.loads(path.read_bytes())  # our own cache file
    except (OSError, pickle.UnpicklingError, EOFError, ImportError, AttributeError):
        return None


TEMPLATE_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "templates"


@functools.cache
def compiled_templates():
    """Jinja's own cache of compiled templates, on disk: the theme's (Material's, overrides/)
    and the engine's (macros/templates/) are compiled once, not in every build (about 0.2 s of a
    build, a fifth of a `mkdocs serve` rebuild). Jinja checks each entry against the template's
    source and writes it atomically; an entry is keyed by the template's name, not its path, so
    every copy of the project shares it."""
    import jinja2

    class ByName(jinja2.FileSystemBytecodeCache):
        def get_cache_key(self, name, filename=None):
            return hashlib.sha1(name.encode("utf-8")).hexdigest()
    TEMPLATE_CACHE.mkdir(parents=True, exist_ok=True)
    return ByName(str(TEMPLATE_CACHE))


# What is a function of the data folder and the engine's code alone (not of docs/, the config
# or the clock): `mkdocs serve` keeps these through a rebuild after an edit to docs/ only
# (macros/mkdocs_hooks.py), and forgets them, with everything else, after any other edit.
DATA_CACHES = frozenset({
    "datasets.get", "datasets._read_table", "indicators.observations", "indicators._index",
    "indicators._dimension_values", "indicators._cache_path", "figures._chart",
    "figures._alt_text", "figures._coverage", "figures.indicator_figure", "figures.KNOWN",
    "artefacts.spec", "artefacts.narrow_patch", "artefacts._key", "artefacts.svg",
    "artefacts.narrow_svg", "runtime.engine_key",
    "authoring._figure_table", "figure_text._indicator_words", "citations._formatted",
    "citations._style", "citations.style_source", "citations._text", "citations._renderer_key",
    "citations.reports", "citations.figures", "download_parts._of", "i18n._yaml",
    "i18n._translations"})


def reset(keep: frozenset[str] = frozenset()) -> None:
    """Forget every in-memory result but those named in `keep` (`module.name`, as in
    DATA_CACHES); on-disk caches are content-addressed and stay valid."""
    from . import (artefacts, authoring, citations, feed, figures,  # noqa: F401  (PER_BUILD's
                   korean_font, pdf)  # modules)
    close_workers()
    engine = [m for name, m in list(sys.modules.items())
              if m is not None and (name == "macros" or name.startswith("macros."))]
    for module in engine:
        for obj in list(vars(module).values()):
            if callable(getattr(obj, "cache_clear", None)) and \
                    getattr(obj, "__module__", "").startswith("macros") and \
                    f"{obj.__module__.removeprefix('macros.')}.{obj.__name__}" not in keep:
                obj.cache_clear()
    for module, name in PER_BUILD:
        if f"{module}.{name}" not in keep:
            getattr(sys.modules[f"macros.{module}"], name).clear()
