"""Numbers as readers see them: unit-aware, locale-formatted (Babel), with a true minus sign."""
from __future__ import annotations

from babel.numbers import format_decimal

LOCALE = "en_US"
MINUS = "\u2212"
DEFAULT_DIGITS = {"USD bn": 1, "%": 1, "ratio": 1, "rank": 0, "count": 0, "pp": 1}


def number(value: float, digits: int) -> str:
    """`value` with `digits` decimals and thousands separators, e.g. 1,234.5."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(abs(value), format=pattern, locale=LOCALE)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_value(value: float, unit: str, *, digits: int | None = None,
                 magnitude: bool = False, lang: str = "en") -> str:
    """Readable text for a value in `unit`: −$65.7 bn, 51.2%, 8th, 9.3× (lang="ko": −657억 달러,
    51.2%, 8위, 9.3배, macros/locale_ko.py), with the same rounding in every language."""
    digits = DEFAULT_DIGITS.get(unit, 1) if digits is None else digits
    if lang == "ko":
        from . import locale_ko
        return locale_ko.format_value(value, unit, digits=digits, magnitude=magnitude)
    if digits > 0 and round(value, digits) == 0:
        value = 0.0  # no "−0.0"
    sign = MINUS if value < 0 and not magnitude else ""
    text = number(value, digits)
    if unit == "USD bn":
        return f"{sign}${text} bn"
    if unit == "%":
        return f"{sign}{text}%"
    if unit == "pp":
        return f"{sign}{text} pp"
    if unit == "ratio":
        return f"{sign}{text}×"
    if unit == "rank":
        return ordinal(int(round(value)))
    return f"{sign}{text}"


def decimals_of(value: float) -> int:
    """How many decimals a reported figure was stated with (127.79 -> 2, 28.0 -> 0)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0
