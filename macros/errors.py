"""Errors an author or a maintainer can act on: each names what is wrong and how to fix it."""
from __future__ import annotations

import difflib
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
