"""The docs are tested against the code: every example an author can copy, from the macro
reference and from the README's author guide, renders with the real macros and data."""
from __future__ import annotations

import functools
import inspect
import re

import jinja2
import pytest

from conftest import ROOT
from macros.authoring import PageContext
from macros.registry import MACROS

EXAMPLE = re.compile(r"`(\{\{ .+? \}\})`")


def render(snippet: str) -> str:
    """`snippet` rendered as a page would render it, with every macro bound to one page."""
    page = PageContext(src="briefings/example.md", url="briefings/example/", title="Example",
                       site_url="https://example.org/", edition="dev", year="2026")
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals.update({name: functools.partial(fn, page) for name, fn in MACROS.items()})
    if "sources()" in snippet:  # sources() lists what the page showed before it
        snippet = '{{ value("us_kor_balance", 2024) }}' + snippet
    return env.from_string(snippet).render()


def _reference_examples():
    for name, fn in MACROS.items():
        for example in EXAMPLE.findall(inspect.getdoc(fn) or ""):
            yield pytest.param(example, id=name)


@pytest.mark.parametrize("example", list(_reference_examples()))
def test_every_macro_reference_example_renders(example):
    assert render(example).strip()


def _readme_examples():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = text.split("## Author guide", 1)[1].split("\n## ", 1)[0]
    found = [e for e in EXAMPLE.findall(guide)
             if not e.startswith('{{ "{{') and "<" not in e]  # placeholders such as "<id>"
    assert len(found) >= 5, "the author guide lost its examples"
    return found


@pytest.mark.parametrize("example", _readme_examples())
def test_every_readme_author_guide_example_renders(example):
    assert render(example).strip()
