"""Errors an author or a maintainer can act on: each names what is wrong and how to fix it."""
from __future__ import annotations

import difflib
import functools
import re
import sys
from collections.abc import Iterable


class PortalError(Exception):
    """A mistake in a page, a macro call or a data file that must stop the build."""


def unknown(kind: str, name: object, choices: Iterable[object], *, hint: str = "") -> PortalError:
    """An error for an unknown id/period/dimension that suggests the closest valid choices."""
    options = sorted({str(c) for c in choices})
    close = difflib.get_close_matches(str(name), options, n=3, cutoff=0.5)
    if options and all(_is_period(o) for o in options + [str(name)]):
        close = sorted(options, key=lambda o: abs(_period_number(o) - _period_number(str(name))))[:1]
        hint = hint or f"available: {options[0]} … {options[-1]}"
    message = f"unknown {kind} {str(name)!r}"
    if close:
        message += f"; did you mean {' or '.join(repr(c) for c in close)}?"
    elif len(options) <= 12:
        message += f"; valid: {', '.join(options)}"
    else:
        message += f"; {len(options)} valid values, e.g. {', '.join(options[:5])}, …, {options[-1]}"
    if hint:
        message += f" ({hint})"
    return PortalError(message)


def _is_period(text: str) -> bool:
    return len(text) in (4, 7) and text[:4].isdigit() and (len(text) == 4 or text[4] == "-")


def _period_number(text: str) -> float:
    """'2025-07' -> 2025.5; '2024' -> 2024: distance between periods for suggestions."""
    return int(text[:4]) + (int(text[5:7]) - 1) / 12 if len(text) == 7 else int(text[:4])


# --- where an error happened, and how the build shows it ------------------------------------
VERBOSE_ENV = "PORTAL_VERBOSE"


def line_of(markdown: str | None, macro: str, args: tuple, source: str | None = None,
            called_at: int | None = None) -> str:
    """' line N' of the call of `macro` in the page's Markdown, counted in the page's file
    (`source`: front matter included); else ''. The line is the one Jinja ran the call from
    (`called_at`, from `template_line`) when that line calls `macro`, else the first call of
    `macro` with its first argument, when given."""
    if not markdown:
        return ""
    lines = markdown.splitlines()
    calls = [i for i, text in enumerate(lines) if re.search(rf"\b{re.escape(macro)}\s*\(", text)]
    if called_at is not None and called_at - 1 in calls:
        calls = [called_at - 1]
    elif args:
        first = str(args[0])
        calls = [i for i in calls if f'"{first}"' in lines[i] or f"'{first}'" in lines[i]
                 or re.search(rf"\(\s*{re.escape(first)}\b", lines[i])] or calls
    if not calls:
        return ""
    return f" line {calls[0] + 1 + line_offset(markdown, source)}"


def template_line() -> int | None:
    """The line of the Jinja template (the page's Markdown) running the nearest template frame
    above the caller, mapped as Jinja maps its own tracebacks; None outside a template."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return None


def line_offset(markdown: str, source: str | None) -> int:
    """How many lines of the page's file come before its Markdown (the front matter)."""
    if source and markdown and markdown[:200] in source:
        return source[:source.index(markdown[:200])].count("\n")
    return 0


def check_arguments(fn, args: tuple, kwargs: dict) -> None:
    """A PortalError for a macro argument of the wrong kind (`digits="2"`), before it turns into
    a Python error deep inside the formatting: checked against the macro's annotations."""
    read = _annotations(fn)
    if isinstance(read, TypeError):
        raise PortalError(f"{read}; see the macro's signature in About → Writing a briefing")
    if read is None:  # annotations that cannot be resolved: nothing to check against
        return
    hints, signature = read
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError as exc:
        raise PortalError(f"{exc}; see the macro's signature in About → Writing a briefing") \
            from None
    for name, value in list(bound.arguments.items())[1:]:
        allowed = _allowed_types(hints.get(name))
        if allowed is None:
            continue
        wrong = (bool not in allowed) if isinstance(value, bool) else not (
            isinstance(value, allowed) or (float in allowed and isinstance(value, int)))
        if wrong:
            kinds = " or ".join(sorted({_KIND[t] for t in allowed}))
            fix = (f"; write {name}={value} (no quotes)"
                   if isinstance(value, str) and value.lstrip("-").isdigit() else "")
            raise PortalError(f"{name}={value!r} must be {kinds}, not "
                              f"{_KIND.get(type(value), type(value).__name__)}{fix}")


@functools.cache
def _annotations(fn):
    """The macro's type hints and signature, read once per macro (read on every call, they
    were a tenth of a warm build: each annotation string is compiled); a TypeError, or None
    when they cannot be resolved."""
    import inspect
    import typing
    try:
        return typing.get_type_hints(fn), inspect.signature(fn)
    except TypeError as exc:
        return exc
    except Exception:
        return None


_KIND = {int: "a whole number", float: "a number", str: "text in quotes", bool: "True or False",
         type(None): "None", dict: "a {…} mapping", list: "a […] list", tuple: "a (…) tuple"}


def _allowed_types(hint) -> tuple | None:
    """The plain classes an annotation allows (None when it is too general to check)."""
    import types
    import typing
    if hint is None or hint is typing.Any:
        return None
    if isinstance(hint, type):
        return (hint,) if hint in _KIND else None
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        parts = [_allowed_types(a) for a in typing.get_args(hint)]
        if any(p is None for p in parts):
            return None
        return tuple(t for p in parts for t in p)
    return None


def stop(error: Exception, cause: BaseException | None = None):
    """The exception that stops a MkDocs build showing `error`'s message first and alone: MkDocs
    prints a PluginError as one ERROR line, with no traceback; PORTAL_VERBOSE=1 appends the
    traceback. (Only the MkDocs adapters call this; the engine never imports MkDocs.)"""
    import os
    import traceback
    from mkdocs.exceptions import PluginError
    message = str(error)
    if os.environ.get(VERBOSE_ENV):
        cause = cause or error
        trace = "".join(traceback.format_exception(type(cause), cause, cause.__traceback__))
        message += f"\n\nTraceback ({VERBOSE_ENV}=1):\n{trace}"
    else:
        message += f"\n(set {VERBOSE_ENV}=1 for the Python traceback)"
    return PluginError(message)


def guard(step):
    """Run `step()`; a PortalError it raises stops the build with its message first and alone."""
    try:
        return step()
    except PortalError as exc:
        raise stop(exc) from exc
