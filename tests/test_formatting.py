from macros.formatting import decimals_of, format_value


def test_units_render_with_sign_and_symbol():
    assert format_value(-65.686, "USD bn") == "\u2212$65.7 bn"
    assert format_value(-65.686, "USD bn", magnitude=True) == "$65.7 bn"
    assert format_value(1234.56, "USD bn") == "$1,234.6 bn"
    assert format_value(51.1777, "%") == "51.2%"
    assert format_value(9.3, "ratio") == "9.3×"
    assert format_value(8, "rank") == "8th"
    assert format_value(12, "rank") == "12th"
    assert format_value(-0.01, "%") == "0.0%"


def test_reported_precision_is_kept():
    assert decimals_of(127.79) == 2
    assert decimals_of(28.0) == 0
    assert format_value(127.79, "USD bn", digits=decimals_of(127.79)) == "$127.79 bn"
