"""`make serve` shows the truth: an edit to data/ or macros/ rebuilds with the new values, and
invalid data stops the rebuild with the validation error instead of showing the old number."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import portal_copy


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def _wait(predicate, what: str, log, seconds: float = 120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.5)
    log.seek(0)
    pytest.fail(f"timed out waiting for {what}; serve printed:\n{log.read()[-3000:]}")


@pytest.fixture
def served(tmp_path):
    project = portal_copy(tmp_path)  # built as a checkout that has built before; edits rebuild
    port = _free_port()
    log = open(tmp_path / "serve.log", "w+")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PORTAL_DATA_DIR", None)
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                            cwd=project, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/korea-us-briefings/"  # the path of site_url
    try:
        _wait(lambda: "US goods trade balance" in _get(base + "indicators/us_kor_balance/"),
              "the first build", log)
        yield project, base, log
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def _shown_2025(page: str) -> str:
    return re.search(r'<span id="p-2025"></span>2025</td>\s*<td[^>]*>([^<]+)</td>', page).group(1)


def test_editing_data_and_engine_rebuilds_with_new_values_or_the_error(served):
    project, base, log = served
    url = base + "indicators/us_kor_balance/"
    page = _get(url)
    assert _shown_2025(page) == "−$56.48 bn"
    # a briefing edited: rebuilt with the engine's tables kept, the edit shown, numbers as before
    briefing = project / "docs/briefings/trade-balance.md"
    briefing.write_text(briefing.read_text() + "\n\nAn added sentence, as an author edits.\n")
    _wait(lambda: "An added sentence" in _get(base + "briefings/trade-balance/"),
          "the edited briefing", log)
    log.seek(0)
    assert "unchanged: the engine's tables and figures are kept" in log.read()
    assert _shown_2025(_get(url)) == "−$56.48 bn"
    annual = project / "data/us_korea_goods_trade/annual.csv"
    text = annual.read_text()
    assert "2025,69068.6,125545.9,-56477.3," in text
    # one consistent edit (the descriptor's rules tie the year to its monthly lines): March
    # 2025 exports +1,000 in the lines, their annual total and the annual row
    for name, old, new in (("monthly_lines.csv", "KOR,2025,3,5861.8,", "KOR,2025,3,6861.8,"),
                           ("annual_lines.csv", "KOR,2025,69068.6,125545.9,-56477.3",
                            "KOR,2025,70068.6,125545.9,-55477.3")):
        lines = project / "data/us_korea_goods_trade" / name
        lines.write_text(lines.read_text().replace(old, new))
    annual.write_text(text.replace("2025,69068.6,125545.9,-56477.3,", "2025,70068.6,125545.9,-55477.3,"))
    _wait(lambda: _shown_2025(_get(url)) == "−$55.48 bn", "the rebuild with the edited value", log)

    module = project / "macros/indicators/us_trade.py"
    module.write_text(module.read_text().replace('title="US goods trade balance with Korea"',
                                                 'title="US goods balance with Korea"'))
    _wait(lambda: "<h1 id=\"us-goods-balance-with-korea\">" in _get(url), "the new title", log)

    annual.write_text(annual.read_text().replace("2025,70068.6,", "2025,lots,"))
    _wait(lambda: "field 'us_exports_musd'" in (log.seek(0) or log.read()),
          "the validation error", log)
    log.seek(0)
    assert "data/us_korea_goods_trade/annual.csv row" in log.read()


def test_what_serve_keeps_through_a_docs_edit_is_named_as_the_engine_names_it():
    """A misspelt name in runtime.DATA_CACHES would be silently cleared, not kept."""
    import importlib

    from macros import runtime
    for name in sorted(runtime.DATA_CACHES):
        module, attr = name.rsplit(".", 1)
        obj = getattr(importlib.import_module(f"macros.{module}"), attr)
        assert callable(getattr(obj, "cache_clear", None)) or (module, attr) in runtime.PER_BUILD
