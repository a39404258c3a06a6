"""Numbers, periods and claim words as a Korean policy institute writes them: 656.9억 달러, 8위.

Money: US dollars in 억 (10⁸) with a decimal fraction and Korean grouping, "656.9억 달러",
switching to 조 (10¹²) with the remainder in 억 ("1조 2,345억 달러") and to 만 (10⁴) below one
억 ("5,000만 달러"). This is the convention of KITA's trade statistics and reports (대미 수출
"1,277.9억 달러"), of MOTIE's monthly trade releases and of KIEP's tables (unit line "억 달러"):
one figure a reader compares at a glance, where "656억 9천만 달러" spells the same number as two.
A value keeps the precision its English form has: $65.7 bn (0.1 bn = 1억) is "657억 달러", and
$127.79 bn (0.01 bn) is "1,277.9억 달러". Rounding happens once, on the dollar amount, before
the unit is chosen, so 9,999.96억 at one decimal carries to "1조 달러", never "10,000.0억 달러"
(Babel's compact formatter prints "10000억" there).

From Babel's `ko` locale data: the decimal and grouping symbols, the magnitudes and suffixes
of 만/억/조 (its compact decimal patterns), the percent pattern (no space: 51.2%), month names
(7월) and quarter names (3분기). Written here because Babel lacks them: the carry across
magnitudes, mixed 조·억 amounts, "달러" (Babel has only "미국 달러"), ranks (8위, Babel has no
Korean ordinal rule), ratios (9.3배), percentage points (%p), month ranges (1–7월) and the
words of claims.
"""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import format_decimal

LOCALE = "ko_KR"
MINUS = "\u2212"
DASH = "\u2013"
_KO = Locale.parse(LOCALE)


def _magnitudes() -> list[tuple[int, str]]:
    """[(10**12, '조'), (10**8, '억'), (10**4, '만')] from Babel's compact decimal patterns: each
    suffix at the magnitude where its pattern has one digit ('0억' at 100000000)."""
    patterns = _KO.compact_decimal_formats["short"]["other"]
    found = {}
    for magnitude, pattern in patterns.items():
        text = pattern.pattern
        suffix = text.lstrip("0")
        if text.count("0") == 1 and suffix and int(magnitude) >= 10_000:
            found[int(magnitude)] = suffix
    return sorted(found.items(), reverse=True)


MAGNITUDES = _magnitudes()
_JO, _EOK, _MAN = (m for m, _ in MAGNITUDES)
_SUFFIX = dict(MAGNITUDES)


def _decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def number(value: float | Decimal, digits: int) -> str:
    """`abs(value)` with `digits` decimals and Korean grouping (Babel), e.g. 1,234.5."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    value = value if isinstance(value, Decimal) else _decimal(value)
    return format_decimal(abs(value), format=pattern, locale=LOCALE)


def dollars(value_bn: float, digits: int = 1) -> str:
    """USD bn as Korean money text without sign: 656.9억 달러, 1조 2,345억 달러, 5,000만 달러, 0달러.
    `digits` are the decimals of the English form ($65.7 bn: 1), kept as the same precision."""
    step = Decimal(10) ** (9 - digits)  # the dollar amount the English form resolves
    amount = (abs(_decimal(value_bn)) * Decimal(10) ** 9 / step).quantize(
        Decimal(1), rounding=ROUND_HALF_EVEN) * step
    if amount == 0:
        return "0달러"
    if amount >= _JO:
        jo, rest = divmod(amount, _JO)
        text = f"{number(jo, 0)}{_SUFFIX[_JO]}"
        if rest:
            text += " " + _in(rest, _EOK, digits)
        return text + " 달러"
    unit = _EOK if amount >= _EOK else _MAN
    return _in(amount, unit, digits) + " 달러"


def _in(amount: Decimal, unit: int, digits: int) -> str:
    """`amount` dollars (already rounded) in `unit` (억 or 만), with the decimals that keep the
    English precision: 10**(9 − digits) dollars is 억 with digits − 1 decimals, 만 with
    digits − 5."""
    places = max(0, digits - (9 - (len(str(unit)) - 1)))
    return f"{number(amount / unit, places)}{_SUFFIX[unit]}"


def _percent_affixes() -> tuple[str, str]:
    """Prefix and suffix of Babel's ko percent pattern ('#,##0%': '', '%')."""
    pattern = _KO.percent_formats[None]
    return pattern.prefix[0], pattern.suffix[0]


_PERCENT = _percent_affixes()


def format_value(value: float, unit: str, *, digits: int, magnitude: bool = False) -> str:
    """Korean text for a value in `unit`: −656.9억 달러, 51.2%, 1.2%p, 8위, 9.3배."""
    if digits > 0 and round(value, digits) == 0:
        value = 0.0  # no "−0.0"
    if unit == "USD bn" and dollars(value, digits) == "0달러":
        value = 0.0
    sign = MINUS if value < 0 and not magnitude else ""
    if unit == "USD bn":
        return sign + dollars(value, digits)
    if unit == "%":
        return f"{sign}{_PERCENT[0]}{number(_decimal(value), digits)}{_PERCENT[1]}"
    if unit == "pp":
        return f"{sign}{number(_decimal(value), digits)}%p"
    if unit == "ratio":
        return f"{sign}{number(_decimal(value), digits)}배"
    if unit == "rank":
        return f"{int(round(value))}{RANK}"
    return sign + number(_decimal(value), digits)


# --- periods -----------------------------------------------------------------------------------

MONTHS = get_month_names("wide", locale=LOCALE)            # {7: '7월', …}
QUARTERS = _KO.quarters["format"]["abbreviated"]           # {3: '3분기', …}


def month_span(start: int, months: int) -> str:
    """'1–7월'; one month: '7월'."""
    end = start + int(months) - 1
    return MONTHS[start] if end == start else f"{start}{DASH}{MONTHS[end]}"


def words(period: str, frequency: str, months: int, first_month: int, partial: bool) -> str:
    """'2024년', '2026년 1–7월', '2025년 7월', '2024년 3분기'."""
    year = f"{period[:4]}년"
    if frequency == "monthly":
        return f"{year} {MONTHS[first_month]}"
    if frequency == "quarterly":
        return f"{year} {QUARTERS[int(period[-1])]}"
    return f"{year} {month_span(first_month, months)}" if partial else year


def label(period: str, frequency: str, months: int, first_month: int, partial: bool) -> str:
    """Axis and table label: '2024', '2026(1–7월)', '2025년 7월'."""
    if frequency == "monthly" or frequency == "quarterly":
        return words(period, frequency, months, first_month, partial)
    return f"{period}({month_span(first_month, months)})" if partial else str(period)


def year_span(first: str, last: str) -> str:
    """'1991–2026년' (one year: '2024년')."""
    return f"{first}년" if first == last else f"{first}{DASH}{last}년"


UNIT_COUNT = {"annual": "{n}년", "quarterly": "{n}개 분기", "monthly": "{n}개월"}
UNIT_EVERY = {"annual": "매년", "quarterly": "매 분기", "monthly": "매월"}


def count(n: int, frequency: str) -> str:
    """'3년', '3개 분기', '3개월'."""
    return UNIT_COUNT[frequency].format(n=n)


def nth(n: int, word: str) -> str:
    """'가장 높은', '세 번째로 높은' (11th and after: '11번째로 높은')."""
    if n == 1:
        return f"가장 {word}"
    native = ("", "", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열")
    return f"{native[n]} 번째로 {word}" if n < len(native) else f"{n}번째로 {word}"


# --- charts --------------------------------------------------------------------------------------

def vega_locale() -> dict:
    """vega's number and time format locale (d3-format, d3-time-format: a spec's config.locale)
    in Korean, from Babel's `ko` data: its decimal and group symbols, month, weekday and
    half-day names; the minus sign and the '%Y년 %-m월 %-d일' dates as the pages write them, and
    as currency the unit a chart counts money in (a `$` format: '657억 달러')."""
    from babel.dates import get_day_names, get_period_names
    from babel.numbers import get_decimal_symbol, get_group_symbol
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    days = get_day_names("wide", locale=LOCALE)
    short_days = get_day_names("abbreviated", locale=LOCALE)
    halves = get_period_names(locale=LOCALE)
    months = [MONTHS[m] for m in range(1, 13)]
    return {
        "number": {"decimal": get_decimal_symbol(LOCALE), "thousands": get_group_symbol(LOCALE),
                   "grouping": [3], "currency": ["", "억 달러"], "minus": MINUS},
        "time": {"dateTime": "%Y년 %-m월 %-d일 %A %X", "date": "%Y. %-m. %-d.",
                 "time": "%p %-I:%M:%S", "periods": [halves["am"], halves["pm"]],
                 "days": [days[d] for d in sunday_first],
                 "shortDays": [short_days[d] for d in sunday_first],
                 "months": months, "shortMonths": months},
    }


MONTH_AXIS = "%Y년 %b"  # a month axis, '2025년 7월' (%b is the locale's short month, '7월')
RANK = "위"             # 8위: a rank, in the pages and on a chart's rank axis
# A rank axis: whole ranks only (no 7.5위), each label the formatted number and 위, a vega
# expression, so vl-convert and vega-embed label alike.
RANK_AXIS = {"format": "d", "tickMinStep": 1, "labelExpr": f"datum.label + '{RANK}'"}
EOK_PER_BN = 10         # a chart's USD bn in 억 달러, the unit the pages write money in
