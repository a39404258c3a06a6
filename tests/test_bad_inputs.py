"""The build is a gatekeeper: each case of tests/bad_inputs/*.yaml is one small change to a real
dataset, descriptor or page, and the step that reads it must stop with the message the case
states (file, row and field, or page and line, and what to fix), never publish a number from it.

Most cases run in-process (dataset validation, an indicator, a page's macros); the `build`
cases run a real `mkdocs build --strict`. `test_corpus_covers_every_category` keeps the corpus
at 80 cases or more across every category of issue 10.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "bad_inputs"))
import harness  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

from conftest import korean_labels_changed  # noqa: E402
from macros import datasets, indicators  # noqa: E402
from macros.errors import PortalError  # noqa: E402

CASES = harness.load_cases()
CATEGORIES = {
    "units and scale", "implausible values", "partial years", "sums", "identities",
    "file shape", "missing files", "macro calls", "columns", "page syntax", "code blocks",
    "nav and titles", "sources", "descriptor units", "encoding", "notes rows", "excel artefacts",
    "decimal commas", "revisions", "future periods", "schema", "rules",
}


def _ids(kind):
    return [pytest.param(c, id=c["id"]) for c in CASES if _kind(c) == kind]


def _kind(case):
    step = case.get("step", "validate")
    return "build" if step == "build" else "page" if step == "page" else "data"


def _message(run) -> str | None:
    """The stop message of `run()`, or None if it went through."""
    from mkdocs.exceptions import PluginError
    try:
        run()
    except (PortalError, PluginError) as exc:
        return str(exc)
    return None


def _assert_message(case, message):
    if case.get("ok"):
        assert message is None, f"{case['id']}: a valid input was refused:\n{message}"
        return
    assert message is not None, f"{case['id']}: accepted — a wrong number would be published"
    for part in case["expect"]:
        assert part in message, f"{case['id']}: {part!r} not in the message:\n{message}"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "CACHE_DIR", tmp_path / "validation")
    yield lambda case: datasets.use_data_dir(harness.data_copy(case, tmp_path))
    datasets.use_data_dir(datasets.ROOT / "data")


@pytest.mark.parametrize("case", _ids("data"))
def test_bad_data_is_refused_with_its_message(case, data_dir):
    data_dir(case)
    step = case.get("step", "validate")
    if step == "validate":
        message = _message(lambda: datasets.get(case["dataset"]))
    else:
        message = _message(lambda: indicators.observations(step["indicator"]))
    _assert_message(case, message)


@pytest.mark.parametrize("case", _ids("page"))
def test_bad_page_is_refused_with_its_message(case):
    text = case["text"]
    result = {}
    message = _message(lambda: result.setdefault("out", harness.render_page(case["page"], text)))
    _assert_message(case, message)
    for part in case.get("expect_html", []):
        assert part in result["out"], f"{case['id']}: {part!r} not shown"


@pytest.mark.parametrize("case", _ids("build"))
def test_bad_input_stops_the_real_build_message_first_and_no_site_left(case, tmp_path):
    project = harness.scratch_project(tmp_path, case)
    site = tmp_path / "site"
    result = harness.build(project, site)
    if case.get("ok"):
        assert result.returncode == 0, result.stderr[-3000:]
        for page, part in case.get("expect_html", []):
            assert part in (site / page).read_text(encoding="utf-8"), (case["id"], part)
        return
    assert result.returncode != 0, f"{case['id']}: the build succeeded"
    shown = harness.error_lines(result.stderr)
    assert shown, result.stderr[-3000:]
    message = "\n".join(shown)
    for part in case["expect"]:
        assert part in message, f"{case['id']}: {part!r} not in:\n{message}"
    # the message first and alone: no traceback unless PORTAL_VERBOSE=1
    assert "Traceback" not in harness.without_server_noise(result.stderr), result.stderr[-3000:]
    # a failed build leaves nothing deployable
    left = sorted(p.name for p in site.iterdir()) if site.exists() else []
    assert left in ([], ["BUILD-FAILED"]), f"{case['id']}: the failed build left {left[:10]}"


def test_verbose_mode_adds_the_traceback_after_the_message(tmp_path):
    case = next(c for c in CASES if c["id"] == "build_digits_as_text")
    project = harness.scratch_project(tmp_path, case)
    result = harness.build(project, tmp_path / "site", PORTAL_VERBOSE="1")
    assert result.returncode != 0
    shown = "\n".join(harness.error_lines(result.stderr))
    assert shown.index("digits='2' must be") < shown.index("Traceback (PORTAL_VERBOSE=1)")


def test_corpus_covers_every_category():
    counts = Counter(c["category"] for c in CASES)
    assert not set(counts) - CATEGORIES, set(counts) - CATEGORIES
    assert CATEGORIES <= set(counts), CATEGORIES - set(counts)
    assert len(CASES) >= 80, len(CASES)
    assert len({c["id"] for c in CASES}) == len(CASES), "case ids must be unique"


def test_two_korean_pages_with_one_title_are_named_in_the_folder_the_author_edits():
    """The same-title check names docs-ko/ for the Korean build, not docs/."""
    import importlib.util
    from types import SimpleNamespace
    spec = importlib.util.spec_from_file_location("portal_hooks", ROOT / "macros/mkdocs_hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    pages = [SimpleNamespace(src_uri=src, page=SimpleNamespace(markdown="# 관세\n", title=None))
             for src in ("briefings/tariffs.md", "briefings/tariffs-2.md")]
    files = SimpleNamespace(documentation_pages=lambda: pages)
    with pytest.raises(Exception) as raised:
        hooks.on_env(None, {"docs_dir": str(ROOT / "docs-ko")}, files)
    assert ("docs-ko/briefings/tariffs-2.md and docs-ko/briefings/tariffs.md have the same "
            "title '관세'") in str(raised.value)


@pytest.fixture
def korean_label_missing(monkeypatch):
    """The Korean figure catalogue without the label 'USD bn' of trade_balance_mirror."""
    with korean_labels_changed(monkeypatch, "trade_balance_mirror", "USD bn"):
        yield


def test_a_missing_korean_word_is_named_at_the_call_that_needs_it(korean_label_missing):
    """The Korean charts' font holds the characters of every Korean figure, so a page's first
    figure call translates them all; a word missing from another figure is still that figure's
    call's error, on its own line, not the first call's."""
    text = ('# 시험\n\n{{ figure("us_deficit_rank_kor") }}\n\n본문.\n\n'
            '{{ figure("trade_balance_mirror") }}\n')
    message = _message(lambda: harness.render_page("briefings/test.md", text, lang="ko"))
    assert message is not None, "the Korean page was built without the word"
    assert message.startswith(
        "docs-ko/briefings/test.md line 7: figure('trade_balance_mirror'): no ko translation of "
        "figure 'trade_balance_mirror' label 'USD bn': add it under 'trade_balance_mirror.labels' "
        "in macros/figure_catalogue.ko.yaml"), message
