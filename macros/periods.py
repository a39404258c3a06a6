"""Time: an observation's frequency and the months it covers, as data rather than words.

Every indicator observation carries `frequency` (annual, quarterly, monthly) and `months` (how
many months of the period it covers, from the period's first month). A year with `months` < 12
is partial: it is labelled, drawn and worded as partial, never joined to full years, and
`latest` can be asked for with or without partial periods. Words ("January–July 2026",
"2026 (Jan–Jul)") are made here from those two fields and nowhere else.
"""
from __future__ import annotations

import calendar
import re

import pandas as pd

from .errors import PortalError

FREQUENCIES = ("annual", "quarterly", "monthly")
FULL_MONTHS = {"annual": 12, "quarterly": 3, "monthly": 1}
LATEST = "latest"

_PATTERNS = {"annual": re.compile(r"\d{4}"), "quarterly": re.compile(r"\d{4}-Q[1-4]"),
             "monthly": re.compile(r"\d{4}-(0[1-9]|1[0-2])")}


def frequency_of(period: str) -> str:
    """'2024' -> annual, '2024-Q3' -> quarterly, '2025-07' -> monthly; anything else is an error."""
    for frequency, pattern in _PATTERNS.items():
        if pattern.fullmatch(str(period)):
            return frequency
    raise PortalError(f"period {period!r} is not a year (2024), a quarter (2024-Q3) or a month "
                      "(2025-07)")


def first_month(period: str) -> int:
    """The calendar month a period starts in (1 for a year, 7 for 2025-07 or 2025-Q3)."""
    frequency = frequency_of(period)
    if frequency == "monthly":
        return int(period[5:7])
    if frequency == "quarterly":
        return 3 * int(period[-1]) - 2
    return 1


def is_partial(frequency: str, months: int) -> bool:
    return int(months) < FULL_MONTHS[frequency]


def month_span(period: str, months: int, *, short: bool = False, lang: str = "en") -> str:
    """The months a period covers: 'January–July' (short: 'Jan–Jul'); one month: 'July'
    (lang="ko": '1–7월')."""
    if lang == "ko":
        from . import locale_ko
        return locale_ko.month_span(first_month(period), months)
    names = calendar.month_abbr if short else calendar.month_name
    start = first_month(period)
    end = start + int(months) - 1
    return names[start] if end == start else f"{names[start]}–{names[end]}"


def label(period: str, frequency: str, months: int, *, lang: str = "en") -> str:
    """Axis and table label: '2024', '2026 (Jan–Jul)', 'Jul 2025' (ko: '2026(1–7월)')."""
    if lang == "ko":
        from . import locale_ko
        return locale_ko.label(period, frequency, months, first_month(period),
                               is_partial(frequency, months))
    if frequency == "monthly":
        return f"{calendar.month_abbr[first_month(period)]} {period[:4]}"
    if is_partial(frequency, months):
        return f"{period} ({month_span(period, months, short=True)})"
    return str(period)


def words(period: str, frequency: str, months: int, *, lang: str = "en") -> str:
    """The period as prose: '2024', 'January–July 2026', 'July 2025', 'the third quarter of 2024'
    (ko: '2024년', '2026년 1–7월', '2025년 7월', '2024년 3분기')."""
    if lang == "ko":
        from . import locale_ko
        return locale_ko.words(period, frequency, months, first_month(period),
                               is_partial(frequency, months))
    if frequency == "monthly":
        return f"{calendar.month_name[first_month(period)]} {period[:4]}"
    if frequency == "quarterly":
        nth = ("first", "second", "third", "fourth")[int(period[-1]) - 1]
        return f"the {nth} quarter of {period[:4]}"
    if is_partial(frequency, months):
        return f"{month_span(period, months)} {period[:4]}"
    return str(period)


def note(frequency: str, months: int, period: str, *, lang: str = "en") -> str:
    """A table's note for a partial period: 'partial: January–July', else ''."""
    if lang == "ko":
        return f"{month_span(period, months, lang=lang)} 집계" if is_partial(frequency, months) else ""
    return f"partial: {month_span(period, months)}" if is_partial(frequency, months) else ""


def normalise(table: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """`table` with `frequency` and `months` filled in (from the period where not given)."""
    table = table.copy()
    inferred = table["period"].map(frequency_of)
    if "frequency" in table:
        given = table["frequency"].fillna(inferred)
        wrong = given != inferred
        if wrong.any():
            row = table[wrong].iloc[0]
            raise PortalError(f"indicator {indicator_id!r}: period {row['period']!r} is "
                              f"{inferred[wrong].iloc[0]}, but its frequency says "
                              f"{row['frequency']!r}")
        table["frequency"] = given
    else:
        table["frequency"] = inferred
    full = table["frequency"].map(FULL_MONTHS)
    table["months"] = (table["months"].fillna(full) if "months" in table else full).astype(int)
    bad = (table["months"] < 1) | (table["months"] > full)
    if bad.any():
        row = table[bad].iloc[0]
        raise PortalError(f"indicator {indicator_id!r}: period {row['period']} covers "
                          f"{row['months']} months, but a {row['frequency']} period has 1 to "
                          f"{FULL_MONTHS[row['frequency']]}")
    first = ["period", "frequency", "months"]
    return table[first + [c for c in table.columns if c not in first]]


def of_frequency(table: pd.DataFrame, frequency: str) -> pd.DataFrame:
    return table[table["frequency"] == frequency]


def complete(table: pd.DataFrame) -> pd.DataFrame:
    """Only the observations that cover their whole period."""
    return table[table["months"].to_numpy() == table["frequency"].map(FULL_MONTHS).to_numpy()]


def frequencies(table: pd.DataFrame) -> list[str]:
    """The frequencies present, in the order annual, quarterly, monthly."""
    present = set(table["frequency"])
    return [f for f in FREQUENCIES if f in present]


def pick_frequency(table: pd.DataFrame, frequency: str | None, what: str) -> str:
    """`frequency`, or the table's only one; an error names the choices when it is ambiguous."""
    present = frequencies(table)
    if frequency is None:
        if len(present) == 1:
            return present[0]
        raise PortalError(f"{what} has {' and '.join(present)} observations; say which with "
                          f"frequency=\"{present[0]}\" or frequency=\"{present[-1]}\"")
    if frequency not in present:
        raise PortalError(f"{what} has no {frequency} observations; it has "
                          f"{', '.join(present) or 'none'}")
    return frequency


def latest(table: pd.DataFrame, *, frequency: str | None = None, partial: bool = True,
           what: str = "the series") -> str:
    """The most recent period of one frequency (with `partial=False`, the latest complete one)."""
    frequency = pick_frequency(table, frequency, what)
    rows = of_frequency(table, frequency)
    if not partial:
        rows = complete(rows)
    if rows.empty:
        raise PortalError(f"{what} has no complete {frequency} period")
    return max(rows["period"], key=sort_key)


def sort_key(period: str) -> tuple:
    """Chronological order across frequencies: by first month, then by length."""
    return (int(period[:4]), first_month(period), -FULL_MONTHS[frequency_of(period)])


def span(table: pd.DataFrame, *, short: bool = True, lang: str = "en") -> str:
    """Coverage of one frequency's observations: '1991–2026', 'Jan 2010 – Jul 2026' (in prose,
    `short=False`: 'January 2010 – July 2026'; ko: '1991–2026년', '2010년 1월 – 2026년 7월')."""
    if table.empty:
        return ""
    ordered = table.assign(_k=table["period"].map(sort_key)).sort_values("_k")
    first, last = ordered.iloc[0], ordered.iloc[-1]
    if first["frequency"] != "annual":
        name = label if short else words
        return (f"{name(first['period'], first['frequency'], 1, lang=lang)} – "
                f"{name(last['period'], last['frequency'], 1, lang=lang)}")
    if lang == "ko":
        from . import locale_ko
        return locale_ko.year_span(first["period"], last["period"])
    text = f"{first['period']}–{last['period']}" if first["period"] != last["period"] \
        else str(first["period"])
    return text


def partial_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The observations that cover only part of their period."""
    return table[[is_partial(f, m) for f, m in zip(table["frequency"], table["months"])]]


def partial_note(table: pd.DataFrame, *, lang: str = "en") -> str:
    """'2026 covers January–July only.' for each partial period in `table`, else ''
    (ko: '2026년은 1–7월 자료이다.')."""
    if lang == "ko":
        return " ".join(f"{r.period}년은 {month_span(r.period, r.months, lang=lang)} 자료이다."
                        for r in partial_rows(table).drop_duplicates("period").itertuples())
    return " ".join(f"{r.period} covers {month_span(r.period, r.months)} only."
                    for r in partial_rows(table).drop_duplicates("period").itertuples())
