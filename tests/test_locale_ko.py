"""Korean numbers, periods and ranks (macros/locale_ko.py): exact strings on the edge cases."""
import pandas as pd
import pytest

from macros import periods
from macros.formatting import format_value

M = "\u2212"


def ko(value, unit, **kw):
    return format_value(value, unit, lang="ko", **kw)


@pytest.mark.parametrize("value, digits, text", [
    (-65.686, 1, f"{M}657억 달러"),         # the 2024 balance: $65.7 bn, same precision
    (127.79, 2, "1,277.9억 달러"),           # KITA's 2024 exports, 0.01 bn = 0.1억
    (65.69, 2, "656.9억 달러"),
    (0, 1, "0달러"),                         # zero: no unit word, no sign
    (-0.04, 1, "0달러"),                     # rounds to zero at the English precision: no "−0"
    (0.05, 2, "5,000만 달러"),               # under 1억: in 만
    (0.005, 3, "500만 달러"),
    (-0.05, 2, f"{M}5,000만 달러"),
    (999.99, 2, "9,999.9억 달러"),
    (999.996, 2, "1조 달러"),                # 9,999.96억 carries across 조, never "10,000.0억"
    (1000.04, 1, "1조 달러"),
    (1234.56, 1, "1조 2,346억 달러"),         # 조 with the remainder in 억
    (56.54, 0, "570억 달러"),
    (65.65, 1, "656억 달러"),                # half-even, as the English form: $65.6 bn
    (65.75, 1, "658억 달러"),                # $65.8 bn
])
def test_korean_money_in_eok_and_jo_keeps_the_english_precision(value, digits, text):
    assert ko(value, "USD bn", digits=digits) == text


def test_korean_money_magnitude_drops_the_sign():
    assert ko(-65.686, "USD bn", magnitude=True) == "657억 달러"
    assert format_value(-65.686, "USD bn", magnitude=True) == "$65.7 bn"  # English unchanged


def test_korean_percent_points_ranks_and_ratios():
    assert ko(51.1777, "%") == "51.2%"
    assert ko(-0.01, "%") == "0.0%"
    assert ko(-12.34, "%") == f"{M}12.3%"
    assert ko(1234.5, "%") == "1,234.5%"
    assert ko(-1.25, "pp") == f"{M}1.2%p"
    assert ko(8, "rank") == "8위"
    assert ko(1, "rank") == "1위"
    assert ko(12, "rank") == "12위"
    assert ko(9.34, "ratio") == "9.3배"
    assert ko(0, "ratio") == "0.0배"


@pytest.mark.parametrize("value", [0.125, 2.675, 15.25, -65.65, 127.785, 0.05, 999.95])
def test_both_languages_round_the_same_digits(value):
    en = format_value(value, "%", digits=2).replace(M, "-").rstrip("%")
    assert ko(value, "%", digits=2).replace(M, "-").rstrip("%") == en


def test_korean_periods():
    assert periods.words("2024", "annual", 12, lang="ko") == "2024년"
    assert periods.words("2026", "annual", 7, lang="ko") == "2026년 1–7월"
    assert periods.words("2026", "annual", 1, lang="ko") == "2026년 1월"
    assert periods.words("2025-07", "monthly", 1, lang="ko") == "2025년 7월"
    assert periods.words("2024-Q3", "quarterly", 3, lang="ko") == "2024년 3분기"
    assert periods.month_span("2026", 7, lang="ko") == "1–7월"
    assert periods.month_span("2025-07", 1, lang="ko") == "7월"
    assert periods.label("2026", "annual", 7, lang="ko") == "2026(1–7월)"
    assert periods.label("2024", "annual", 12, lang="ko") == "2024"
    assert periods.note("annual", 7, "2026", lang="ko") == "1–7월 집계"
    assert periods.note("annual", 12, "2025", lang="ko") == ""


def test_korean_spans():
    years = pd.DataFrame({"period": ["1991", "2026"], "frequency": "annual", "months": [12, 7]})
    months = pd.DataFrame({"period": ["2010-01", "2026-07"], "frequency": "monthly", "months": 1})
    assert periods.span(years, lang="ko") == "1991–2026년"
    assert periods.span(years.iloc[:1], lang="ko") == "1991년"
    assert periods.span(months, short=False, lang="ko") == "2010년 1월 – 2026년 7월"
    assert periods.partial_note(years, lang="ko") == "2026년은 1–7월 자료이다."
    assert periods.span(years) == "1991–2026"  # English unchanged


def test_korean_ordinal_words():
    from macros import locale_ko
    assert locale_ko.nth(1, "높은") == "가장 높은"
    assert locale_ko.nth(3, "낮은") == "세 번째로 낮은"
    assert locale_ko.nth(14, "큰") == "14번째로 큰"
    assert locale_ko.count(3, "annual") == "3년"
    assert locale_ko.count(2, "quarterly") == "2개 분기"
    assert locale_ko.count(5, "monthly") == "5개월"


def test_babel_supplies_the_korean_magnitudes_and_symbols():
    from macros import locale_ko
    assert locale_ko.MAGNITUDES == [(10**12, "조"), (10**8, "억"), (10**4, "만")]
    assert locale_ko.MONTHS[7] == "7월"
    assert locale_ko.QUARTERS[3] == "3분기"
