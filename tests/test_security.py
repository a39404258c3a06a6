"""Strings from data never become markup or a script: the escaped rendering layer
(macros/render.py and macros/templates/), checked URLs, and the Content-Security-Policy.

The portal is built from a copy of data/ with hostile strings in every place a string from data
lands (dataset title, description, publisher, vintage, resource and field descriptions, source
and licence titles, country names in CSVs, a report's title and publisher, reported figures'
descriptions), via PORTAL_DATA_DIR; the built HTML is parsed and loaded in Chromium, and no
script may run (the `window.__pwned` canary stays unset, no dialog opens) and no element from
data may appear. A `javascript:` or `data:` URL in a descriptor or report stops the build with
a message naming the file and field.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT, Watch, serve

sys.path.insert(0, str(ROOT))
from macros import citations, render  # noqa: E402
from macros.errors import PortalError  # noqa: E402

CANARY = "window.__pwned"


def payload(n: int) -> str:
    """Every breakout at once, each setting the canary to its own number."""
    return (f'P{n} <script>{CANARY}={n}</script> <img src=x onerror="{CANARY}={n}"> '
            f'"><svg onload={CANARY}={n}> </script><script>{CANARY}={n}</script> '
            f'[link{n}](javascript:{CANARY}={n}) {{: onclick="{CANARY}={n}" }} '
            f'`code`<img src=y onerror={CANARY}={n}>` *{n}*')


# --- Unit: the rendering layer -----------------------------------------------------------------

def test_escape_neutralises_html_and_markdown():
    out = render.escape('<img src=x onerror="a()"> [x](javascript:a()) {: onclick=a } `c` |')
    assert "<" not in out and '"' not in out and "[" not in out and "{" not in out
    assert "`" not in out and "|" not in out
    assert lxml.html.fromstring(f"<p>{out}</p>").text_content() == \
        '<img src=x onerror="a()"> [x](javascript:a()) {: onclick=a } `c` |'


def test_single_quoted_attribute_content_cannot_leave_its_quotes():
    hostile = """x' onmouseover='a()' data-x="<script>{: onclick=a }[y](javascript:a())&amp;"""
    out = render.single_quoted(hostile)
    assert "'" not in out and "<" not in out and "{" not in out and "[" not in out
    element = lxml.html.fromstring(f"<a data-c='{out}'>n</a>")
    assert element.get("data-c") == hostile and element.get("onmouseover") is None
    md = __import__("markdown").markdown(f"A <a data-c='{out}'>n</a> b", extensions=["attr_list"])
    assert lxml.html.fromstring(md).xpath("//a")[0].get("data-c") == hostile


def test_markdown_renders_escaped_text_literally():
    import markdown
    text = payload(1)
    md = markdown.Markdown(extensions=["attr_list", "tables", "abbr", "toc"])
    html = md.convert(f"# {render.md(text)}\n\n| a |\n|---|\n| {render.md(text)} |\n\n"
                      f"- {render.md(text)}: {render.link('https://x.org/', text)}")
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    assert not tree.xpath("//script|//img|//svg|//em|//code|//*[@onclick]|//*[@onerror]")
    assert [a.get("href") for a in tree.xpath("//a")] == ["https://x.org/"]
    assert tree.xpath("//h1")[0].text_content() == text
    assert tree.xpath("//td")[0].text_content() == text


def test_templates_escape_every_value_and_raise_on_undefined():
    out = render.page_fragment("claim.html", title='"><script>', text="<b>")
    assert out == '<span class="portal-claim" title="&#34;&gt;&lt;script&gt;">&lt;b&gt;</span>'
    with pytest.raises(Exception, match="undefined"):
        render.page_fragment("claim.html", title="t")


@pytest.mark.parametrize("url", ["https://x.org/a?b=1&c=2", "http://x.org", "datapackage.json",
                                 "../data/x/", "/abs/path", "#p-2024"])
def test_href_allows_http_and_site_relative(url):
    assert render.href(url, where="f") == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x",
                                 "java\tscript:x", "data:text/html,<script>", "vbscript:x",
                                 "//evil.example/", "\\\\evil.example", "https:evil", "",
                                 "file:///etc/passwd"])
def test_href_refuses_everything_else_naming_where(url):
    with pytest.raises(PortalError) as error:
        render.href(url, where="data/x/datapackage.json: sources[0].path")
    assert str(error.value) == (
        f"data/x/datapackage.json: sources[0].path: {url!r} is not an http(s) URL or a "
        "site-relative path; links built from data may only be http:// or https:// URLs")


def test_script_json_cannot_close_its_element():
    text = render.script_json({"name": "</script><script>x()</script><!--", "a": "&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>x()</script><!--", "a": "&"}


@pytest.mark.parametrize("cell,out", [("=1+2", "'=1+2"), ("+A1", "'+A1"), ("@SUM(A1)", "'@SUM(A1)"),
                                      ("-2+3", "'-2+3"), ("\t=1", "'\t=1"), ("KOREA", "KOREA"),
                                      ("-", "-"), ("-65.7", "-65.7"), (-65.7, -65.7)])
def test_csv_cell_neutralises_formulas(cell, out):
    assert render.csv_cell(cell) == out


def test_a_csv_comment_line_splits_into_no_formula():
    """A figure download's '#' lines hold words from data (titles, publishers): a spreadsheet
    splits them at commas, so no cell it makes may start a formula, with or without a quote."""
    import csv
    line = render.csv_comment('Census, =HYPERLINK("http://x"), "+SUM(A1), @x,-2+3, -65.7, a\nb')
    assert line.endswith(" a b\n") and line.count("\n") == 1 and line.startswith("# Census,")
    cells = next(csv.reader([line]))
    assert not any(c.lstrip(' "').startswith(("=", "+", "@", "-2")) for c in cells), cells
    assert cells[-2] == " -65.7"  # a number stays a number


def test_citeproc_output_escapes_record_text():
    ed = citations.edition("2026.11", "https://x.org/r/2026.11/")
    record = citations.figure_record(ed, figure_id="f", title=payload(2), number=1,
                                     page_title="<b>page</b>", path="briefings/x/",
                                     publishers=["<script>x()</script>"])
    for style in ("apa", "chicago"):
        html = citations.formatted(record, style, html=True)
        tree = lxml.html.fromstring(f"<div>{html}</div>")
        assert not tree.xpath("//script|//img|//svg|//b"), html
        assert "P2 <script>" in tree.text_content() or "P2 <Script>" in tree.text_content()
    assert "<script>" in citations.formatted(record, "apa")  # the plain text is the text


def test_ris_values_stay_on_one_line():
    ed = citations.edition("2026.11", "https://x.org/r/2026.11/")
    record = citations.page_record(ed, title="A\nTY  - JOUR\nER  - ", path="briefings/x/")
    lines = citations.ris(record).splitlines()
    assert sum(line.startswith("TY  - ") for line in lines) == 1
    assert sum(line.startswith("ER  - ") for line in lines) == 1


# --- Builds from hostile data ------------------------------------------------------------------

HOSTILE_DATASET = "us_korea_goods_trade"
HOSTILE_PARTNER = "AUSTRIA"


def _descriptor(folder: Path, dataset_id: str) -> tuple[Path, dict]:
    path = folder / dataset_id / "datapackage.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def _write(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _rewrite_csv(path: Path, change) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows = [rows[0]] + [change(rows[0], r) for r in rows[1:]]
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def hostile_copy(target: Path) -> Path:
    """data/ with a hostile string in every place a string from data reaches a page."""
    shutil.copytree(ROOT / "data", target)
    path, d = _descriptor(target, HOSTILE_DATASET)
    d["title"] = "Goods " + payload(1)
    d["description"] = payload(2)
    d["publisher"] = "U.S. Census Bureau " + payload(3)
    d["vintage"] = "2026 " + payload(4)
    d["sources"][0]["title"] = payload(5)
    d["licenses"][0]["title"] = payload(6)
    res = d["resources"][0]
    res["title"], res["description"] = payload(7), payload(8)
    res["schema"]["fields"][0]["description"] = payload(9)
    _write(path, d)
    name = payload(10).replace(",", " ")
    formula = f'=HYPERLINK("https://example.invalid/";"{HOSTILE_PARTNER}") {payload(11)}'

    def partner(header, row):
        i = header.index("cty_name")
        row[i] = formula if row[i] == HOSTILE_PARTNER else row[i]
        return row
    _rewrite_csv(target / "us_tariff_tracker_daily" / "daily.csv", partner)

    def report(header, row):
        if row[0] == "kita_2025_01":
            row[header.index("title")] = payload(12)
            row[header.index("publisher")] = "Korea International Trade Association (KITA) " + \
                payload(13).replace("(", "").replace(")", "")
        return row
    _rewrite_csv(target / "reported_figures" / "reports.csv", report)

    def figure(header, row):
        row[header.index("description")] = payload(14)
        row[header.index("location")] = payload(15)
        return row
    _rewrite_csv(target / "reported_figures" / "reported_figures.csv", figure)
    assert name  # (commas stay out of names that CSV readers split on)
    return target


def build(data_dir: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PORTAL_DATA_DIR": str(data_dir), "NO_MKDOCS_2_WARNING": "1",
           "PORTAL_LANGUAGES": "en"}  # the English site alone: its Korean edition is not built
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    site = base / "site"
    result = build(hostile_copy(base / "data"), site)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return site


ALLOWED_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def injected(tree) -> list[str]:
    """Elements and attributes in a built page that only data could have put there."""
    found = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag == "script" and not el.get("src") and el.get("type") not in ALLOWED_SCRIPT_TYPES:
            found.append(f"inline script: {el.text!r:.80}")
        if tag == "script" and el.get("src") and "assets/" not in el.get("src"):
            found.append(f"script src {el.get('src')}")
        if tag in ("img", "svg", "iframe", "object", "embed") and \
                (el.get("src") in ("x", "y") or el.get("onload") or el.get("onerror")):
            found.append(f"<{tag}> {dict(el.attrib)}")
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag} {name}={value!r}>")
            if name.lower() in ("href", "src", "action", "formaction") and \
                    re.match(r"\s*(javascript|vbscript):", value, re.I):
                found.append(f"<{tag} {name}={value!r}>")
            if name.lower() in ("href", "src") and value.lower().startswith("data:") and not (
                    tag == "a" and el.get("download") and value.startswith("data:application/")):
                found.append(f"<{tag} {name}={value[:60]!r}>")
    return found


def test_hostile_data_builds_pages_with_no_injected_markup(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 30
    problems = {str(p.relative_to(hostile_site)): injected(lxml.html.fromstring(p.read_bytes()))
                for p in pages}
    assert {k: v for k, v in problems.items() if v} == {}
    page = lxml.html.fromstring((hostile_site / "data" / HOSTILE_DATASET / "index.html")
                                .read_bytes())
    assert page.xpath("//article//h1")[0].text_content().rstrip("¶") == "Goods " + payload(1)
    assert payload(2) in page.xpath("//article")[0].text_content()
    title = page.xpath("//title")[0].text_content()
    assert title.startswith("Goods " + payload(1)), title
    # the nav on every page shows the title as text
    home = lxml.html.fromstring((hostile_site / "index.html").read_bytes())
    assert any(a.text_content().strip() == "Goods " + payload(1)
               for a in home.xpath("//nav//a"))


def test_hostile_data_reaches_json_ld_and_highwire_as_text(hostile_site):
    raw = (hostile_site / "data" / HOSTILE_DATASET / "index.html").read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S)[1]
    assert "<" not in block
    data = json.loads(block)
    assert data["description"] == payload(2)
    assert data["creator"]["name"] == "U.S. Census Bureau " + payload(3)
    tags = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', raw))
    import html as html_lib
    assert html_lib.unescape(tags["citation_title"]) == "Goods " + payload(1)


def test_hostile_data_downloads_carry_no_live_formula(hostile_site):
    figures = hostile_site / "assets" / "figures"
    checked = 0
    for path in figures.glob("*.csv"):
        for row in csv.reader(line for line in path.read_text().splitlines()
                              if not line.startswith("#")):
            assert not any(c.startswith(("=", "+", "@")) for c in row), (path.name, row)
            checked += "HYPERLINK" in ",".join(row)
    assert checked, "no figure CSV drew the hostile partner"
    spec = json.loads((figures / "indicator-us_partner_effective_duty_rate.vl.json").read_text())
    assert not re.search(r'"(href|url)"\s*:\s*\{', json.dumps(spec.get("encoding", {})))


def test_hostile_pages_run_no_script_in_chromium(hostile_site, browser):
    from test_browser import pages, wait_for_figures
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve(hostile_site) as url:
        watch = Watch(page, url)
        visited = 0
        for path in pages(hostile_site):
            page.goto(url + (path + "/" if path else ""), wait_until="load")
            wait_for_figures(page)
            assert page.evaluate(CANARY) is None, (path, page.evaluate(CANARY))
            found = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
                [...el.attributes].filter(a => /^on/i.test(a.name)).map(a => el.tagName + ' ' + a.name))
                .concat([...document.querySelectorAll('script:not([src])')]
                  .filter(s => !['application/json', 'application/ld+json'].includes(s.type))
                  .map(s => 'inline script ' + s.textContent.slice(0, 60)))
                .concat([...document.querySelectorAll('img[src=x], img[src=y], svg[onload]')]
                  .map(e => e.outerHTML.slice(0, 80)))""")
            assert found == [], (path, found)
            visited += 1
        assert visited > 30
        # instant navigation re-inserts every script of the next page's content: still none runs
        page.goto(url + "about/methodology/", wait_until="load")
        page.locator(f"nav a[href$='data/{HOSTILE_DATASET}/']").first.click()
        page.wait_for_url(f"**/data/{HOSTILE_DATASET}/")
        page.wait_for_timeout(500)
        assert page.evaluate(CANARY) is None
        # the hostile country name in a chart tooltip and in search results stays text
        page.goto(url + "indicators/us_partner_effective_duty_rate/", wait_until="load")
        wait_for_figures(page)
        box = page.locator(".portal-figure__interactive svg").first.bounding_box()
        for x in range(0, int(box["width"]), 25):
            page.mouse.move(box["x"] + x, box["y"] + box["height"] / 3)
        page.keyboard.press("s")
        page.keyboard.type("P12", delay=60)  # Material reads key events, not fill()
        page.wait_for_timeout(1500)
        assert page.evaluate(CANARY) is None
        assert page.locator(".md-search-result img, .md-search-result script, "
                            "#vg-tooltip-element img").count() == 0
        assert dialogs == []
        assert watch.outside == []
        assert not [e for e in watch.errors if "Content Security Policy" not in e], watch.errors
    context.close()


@pytest.mark.parametrize("where,url,message", [
    ("source", "javascript:alert(1)",
     f"data/{HOSTILE_DATASET}/datapackage.json: sources[0].path: 'javascript:alert(1)' is not an "
     "http(s) URL or a site-relative path; links built from data may only be http:// or "
     "https:// URLs"),
    ("licence", "data:text/html,<script>alert(1)</script>",
     f"data/{HOSTILE_DATASET}/datapackage.json: licenses[0].path: "
     "'data:text/html,<script>alert(1)</script>' is not an http(s) URL or a site-relative path; "
     "links built from data may only be http:// or https:// URLs"),
    # reports.csv's schema allows only ^https?:// (validation stops it before any page; the
    # rendering layer's own check, citations.report_url, is the second line)
    ("report", "javascript:alert(1)",
     "data/reported_figures/reports.csv row 2, field 'url': 'javascript:alert(1)' is not of the "
     "form ^https?://.+$ that the schema allows"),
])
def test_bad_url_in_data_stops_the_build_naming_file_and_field(tmp_path, where, url, message):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    if where == "report":
        def change(header, row):
            if row[0] == "kita_2025_01":
                row[header.index("url")] = url
            return row
        _rewrite_csv(data / "reported_figures" / "reports.csv", change)
    else:
        path, d = _descriptor(data, HOSTILE_DATASET)
        d["sources" if where == "source" else "licenses"][0]["path"] = url
        _write(path, d)
    result = build(data, tmp_path / "site")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert message in out, out[-3000:]
    assert not (tmp_path / "site" / "index.html").exists()


# --- The CSP on the real site ------------------------------------------------------------------

CSP_META = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'")


def test_every_page_carries_the_csp_and_no_inline_script(site):
    for path in site.rglob("*.html"):
        tree = lxml.html.fromstring(path.read_bytes())
        meta = tree.xpath('//head/meta[@http-equiv="Content-Security-Policy"]')
        if not meta:  # redirect stubs (mike aliases) have no scripts at all
            assert not tree.xpath("//script"), path
            continue
        assert meta[0].get("content") == CSP_META, path
        head = list(tree.xpath("//head")[0])
        first_script = next(i for i, el in enumerate(head) if el.tag == "script")
        assert head.index(meta[0]) < first_script, path
        assert "unsafe-eval" not in CSP_META and "unsafe-inline" not in CSP_META.split(";")[1]
        assert injected(tree) == [], path


def _until(page, expression: str, seconds: float = 10) -> None:
    """Poll `expression` from outside the page: Playwright's wait_for_function evaluates a
    string inside the page, which the page's own CSP (rightly) refuses as eval."""
    import time
    deadline = time.time() + seconds
    while not page.evaluate(expression):
        assert time.time() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(100)


def test_site_works_under_its_own_csp(site, browser):
    """Search, instant navigation, interactive figures, the cite copy button and the palette
    toggle, with the page's <meta> CSP as the only policy (no header)."""
    import functools
    import http.server
    import threading

    class Plain(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                            functools.partial(Plain, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/"
    from test_browser import wait_for_figures
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    watch = Watch(page, url)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    try:
        page.goto(url + "briefings/trade-balance/", wait_until="load")
        assert page.evaluate("typeof __md_get") == "function"
        states = wait_for_figures(page)
        assert states and all(s == "interactive" for s in states), (states, watch.errors)
        page.locator("#cite-this-page summary").click()
        page.locator("#cite-this-page [data-portal-copy]").first.click()
        _until(page, "document.querySelector('#cite-this-page [data-portal-copy]')"
                     ".textContent === 'Copied'")
        page.locator("form[data-md-component=palette] label:visible").first.click()
        _until(page, "document.body.dataset.mdColorScheme === 'slate'")
        page.keyboard.press("s")
        page.keyboard.type("tariff", delay=60)  # Material reads key events, not fill()
        page.wait_for_selector(".md-search-result__item", timeout=45000)  # lunr indexes first
        page.keyboard.press("Escape")
        page.locator("a[href$='briefings/tariffs/']").first.click()
        page.wait_for_url("**/briefings/tariffs/")
        states = wait_for_figures(page)
        assert states and all(s == "interactive" for s in states), (states, watch.errors)
        assert violations == [] and watch.errors == [] and watch.outside == []
    finally:
        context.close()
        httpd.shutdown()
