"""An edition publishes in full only the pages whose content changed (scripts/unchanged_pages.py):
the key ignores what only names the edition, and nothing else."""
from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import unchanged_pages as up  # noqa: E402

CSP = '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'">'


def page(edition: str, body: str, title: str = "Methodology - Portal") -> bytes:
    """A page as the build writes it, with everything that names its edition."""
    key = edition.replace(".", "_")
    return (f'<!doctype html><html lang="en"><head>{CSP}<title>{title}</title>'
            f'<link rel="canonical" href="https://x.org/p/{edition}/about/m/"></head><body>'
            f'<nav>Edition {edition}</nav>'
            f'<article class="md-content__inner md-typeset">'
            f'<div class="portal-print"><p>Edition {edition} · 1 December 2026</p></div>'
            f'<h1>Methodology</h1>{body}'
            f'<a class="portal-value" href="../x/#p-2024" data-value="1.5" '
            f'data-citation="{{&#34;URL&#34;: &#34;https://x.org/p/{edition}/&#34;}}">1.5</a>'
            f'<details class="portal-cite" data-portal-cite><summary>Cite</summary>'
            f'(Edition {edition}) https://x.org/p/{edition}/about/m/ <a download="kusb_{key}.bib" '
            f'href="data:application/x-bibtex;base64,QHRlY2hyZXBvcnR7a3VzYl8yMDI2XzEx">BibTeX</a>'
            f'</details><img src="../../_shared/aaa/fig.svg"></article></body></html>').encode()


def publish(files, edition, previous, before):
    return up.publish(files, edition, previous, before, "https://x.org/p/")


def test_a_page_that_differs_only_by_its_edition_has_the_same_key():
    assert up.content_key(page("2026.10", "<p>Text</p>"), "2026.10") == \
        up.content_key(page("2026.11", "<p>Text</p>"), "2026.11")


def test_a_changed_number_or_chart_is_a_changed_page():
    base = up.content_key(page("2026.10", "<p>Text</p>"), "2026.10")
    assert up.content_key(page("2026.11", "<p>Text.</p>"), "2026.11") != base
    moved = page("2026.11", "<p>Text</p>").replace(b"_shared/aaa/", b"_shared/bbb/")
    assert up.content_key(moved, "2026.11") != base  # the figure's content-addressed URL moved


LINKS = '<p>T</p><a href="m.pdf">PDF</a><a href="../../assets/figures/f.json">record</a>'


def test_an_unchanged_page_becomes_a_redirect_and_its_pdf_is_not_published_again():
    first = publish({"2026.10/about/m/index.html": page("2026.10", LINKS),
                     "2026.10/about/m/m.pdf": b"%PDF-1 2026.10",
                     "2026.10/assets/figures/f.json": b'{"edition": "2026.10"}'}, "2026.10", {}, None)
    assert first.stubbed == {} and b'<meta name="portal-content"' in \
        first.files["2026.10/about/m/index.html"]
    second = publish({"2026.11/about/m/index.html": page("2026.11", LINKS),
                      "2026.11/about/m/m.pdf": b"%PDF-1 2026.11",
                      "2026.11/assets/figures/f.json": b'{"edition": "2026.11"}'}, "2026.11",
                     first.files, "2026.10")
    assert second.stubbed == {"about/m/index.html": "2026.10"}
    assert second.dropped == ["2026.11/about/m/m.pdf", "2026.11/assets/figures/f.json"]
    assert not {"2026.11/about/m/m.pdf", "2026.11/assets/figures/f.json"} & set(second.files)
    assert second.full["2026.11/about/m/index.html"].count(b"<h1>") == 1  # latest/'s copy
    stub = second.files["2026.11/about/m/index.html"].decode()
    assert len(stub) < 1500
    assert 'content="0; url=../../../2026.10/about/m/"' in stub
    assert 'href="../../../2026.10/about/m/"' in stub
    assert '<link rel="canonical" href="https://x.org/p/2026.10/about/m/">' in stub
    assert CSP in stub  # the page's own policy: no second one under instant navigation
    assert f'src="../../../{up.REDIRECT_PATH}"' in stub
    assert second.files[up.REDIRECT_PATH] == up.REDIRECT_JS
    # A third edition, still unchanged, points to where the content is, not to the stub.
    third = publish({"2026.12/about/m/index.html": page("2026.12", LINKS)}, "2026.12",
                    second.files, "2026.11")
    assert third.stubbed == {"about/m/index.html": "2026.10"}
    # A change publishes the page in full again.
    fourth = publish({"2027.01/about/m/index.html": page("2027.01", "<p>U</p>")}, "2027.01",
                     third.files, "2026.12")
    assert fourth.stubbed == {} and b"<h1>Methodology</h1>" in fourth.files["2027.01/about/m/index.html"]


def test_a_pdf_that_a_published_page_links_is_kept():
    linked = '<p>T</p><a href="t.pdf">PDF</a>'
    first = publish({"2026.10/b/t/index.html": page("2026.10", linked)}, "2026.10", {}, None)
    changed = page("2026.11", '<p>V</p><a href="b/t/t.pdf">PDF</a>')
    second = publish({"2026.11/b/t/index.html": page("2026.11", linked),
                      "2026.11/b/t/t.pdf": b"%PDF", "2026.11/index.html": changed},
                     "2026.11", first.files, "2026.10")
    assert second.stubbed == {"b/t/index.html": "2026.10"}
    assert "2026.11/b/t/t.pdf" in second.files and second.dropped == []


def test_a_page_published_before_keys_existed_is_keyed_from_its_html():
    old = {"2026.10/about/m/index.html": page("2026.10", "<p>T</p>")}  # no portal-content meta
    second = publish({"2026.11/about/m/index.html": page("2026.11", "<p>T</p>")}, "2026.11",
                     old, "2026.10")
    assert second.stubbed == {"about/m/index.html": "2026.10"}


def test_the_stub_escapes_the_title_and_404_is_never_a_stub():
    hostile = "<script>alert(1)</script> &amp; Co"
    files = {"2026.10/about/m/index.html": page("2026.10", "<p>T</p>", title=hostile),
             "2026.10/404.html": page("2026.10", "<p>Not found</p>")}
    first = publish(files, "2026.10", {}, None)
    second = publish({k.replace("2026.10", "2026.11"): page("2026.11", "<p>T</p>", title=hostile)
                      if "about" in k else page("2026.11", "<p>Not found</p>") for k in files},
                     "2026.11", first.files, "2026.10")
    stub = second.files["2026.11/about/m/index.html"].decode()
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co</title>" in stub
    assert "<script>alert" not in stub
    assert list(second.stubbed) == ["about/m/index.html"]


def test_a_korean_stub_speaks_korean():
    ko = lambda e: page(e, "<p>T</p>").replace(b'<html lang="en">', b'<html lang="ko">')  # noqa: E731
    first = publish({"2026.10/ko/index.html": ko("2026.10")}, "2026.10", {}, None)
    second = publish({"2026.11/ko/index.html": ko("2026.11")}, "2026.11", first.files, "2026.10")
    stub = second.files["2026.11/ko/index.html"].decode()
    assert '<html lang="ko">' in stub and "이 페이지는 2026.10판 이후 바뀌지 않았습니다." in stub
    assert 'href="../../2026.10/ko/">2026.10판에서 읽기</a>' in stub
