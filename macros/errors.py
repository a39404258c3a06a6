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
