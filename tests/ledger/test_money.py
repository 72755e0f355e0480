"""Exact money: minor units, rounding, conversion, value and tax waived (R7, R15)."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsasim.ledger.money import (
    Converter,
    exact,
    from_minor,
    half_up,
    is_rounded,
    minor,
    minor_units,
    quantum,
    tax_waived,
    to_minor,
    to_money,
    value_of,
)

RATES = {"USD": 1, "JPY": 155, "PHP": 58}


@pytest.fixture
def usd() -> Converter:
    return Converter(RATES, "USD")


@pytest.mark.parametrize(
    ("currency", "digits"),
    [
        *[("JPY", 0), ("KRW", 0), ("XPF", 0), ("BHD", 3), ("KWD", 3), ("TND", 3)],
        *[("USD", 2), ("PHP", 2), ("EUR", 2), ("AUD", 2)],
    ],
)
def test_minor_units_follow_iso_4217(currency: str, digits: int) -> None:
    assert minor_units(currency) == digits


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (1299.5, "JPY", "1300"),  # R15: quantized to whole yen, half up
        (12.5, "PHP", "12.50"),  # quantized to centavos: trailing zero kept
        (0.125, "USD", "0.13"),
        (2.675, "USD", "2.68"),  # via str(): binary 2.67499... would give 2.67
        ("1.2345", "BHD", "1.235"),
        (-0.5, "JPY", "-1"),  # half up means away from zero
        (-0.001, "USD", "0.00"),  # never a negative zero in the journal
        (Decimal("480000"), "PHP", "480000.00"),
        (7, "USD", "7.00"),
    ],
)
def test_to_money_rounds_half_up_to_minor_unit(amount: object, currency: str, text: str) -> None:
    result = to_money(amount, currency)  # type: ignore[arg-type]
    assert isinstance(result, Decimal)
    assert str(result) == text


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (float("nan"), ValueError, "not a finite number: nan"),
        (float("inf"), ValueError, "not a finite number: inf"),
        ("-Infinity", ValueError, "not a finite number: '-Infinity'"),
        ("abc", ValueError, "not a number: 'abc'"),
        (True, TypeError, "not a number: True"),  # a bool is an int to Python, not an amount
        (None, TypeError, "not a number: None"),
        (Fraction(1, 3), TypeError, r"not a number: Fraction\(1, 3\)"),
    ],
)
def test_to_money_refuses_what_is_not_an_amount(bad: object, error: type, message: str) -> None:
    with pytest.raises(error, match=f"^{message}$"):
        to_money(bad, "USD")  # type: ignore[arg-type]


def test_a_numpy_float_is_read_as_the_decimal_it_prints() -> None:
    # a price read through pandas is a numpy float: 2.675, not the binary 2.67499999...
    assert to_money(np.float64(2.675), "USD") == Decimal("2.68")
    assert value_of(np.float64(0.1), 3, "USD") == Decimal("0.30")


@pytest.mark.parametrize("currency", ["", None, 840])
def test_a_currency_is_a_non_empty_code(currency: object) -> None:
    with pytest.raises(ValueError, match=f"^currency must be a non-empty code, got {currency!r}$"):
        minor_units(currency)  # type: ignore[arg-type]


def test_the_smallest_amount_of_each_currency() -> None:
    assert (quantum("JPY"), quantum("PHP"), quantum("BHD")) == (
        Decimal("1"), Decimal("0.01"), Decimal("0.001"),
    )  # fmt: skip


def test_is_rounded() -> None:
    assert is_rounded(Decimal("12.5"), "PHP")
    assert not is_rounded(Decimal("12.505"), "PHP")
    assert not is_rounded(Decimal("0.5"), "JPY")


@pytest.mark.parametrize(
    ("numerator", "denominator", "rounded"),
    [
        (5, 10, 1),  # a tie goes away from zero
        (15, 10, 2),
        (14, 10, 1),
        (-5, 10, -1),
        (-15, 10, -2),
        (-14, 10, -1),
        (-1, 3, 0),  # never a negative zero: 0
        (0, 7, 0),
        (7, 7, 1),
        (10**40 + 5, 10, 10**39 + 1),  # integers: no precision limit
    ],
)
def test_half_up_rounds_half_away_from_zero(numerator: int, denominator: int, rounded: int) -> None:
    assert half_up(numerator, denominator) == rounded


@pytest.mark.parametrize("denominator", [0, -10])
def test_half_up_needs_a_positive_denominator(denominator: int) -> None:
    with pytest.raises(ValueError, match=r"^denominator must be positive$"):
        half_up(5, denominator)


@pytest.mark.parametrize(
    ("amount", "currency", "units", "text"),
    [
        (Fraction(2675, 1000), "USD", 268, "2.68"),  # R15: half up to the cent
        (Fraction(-1, 2), "JPY", -1, "-1"),
        (Fraction(12345, 10000), "BHD", 1235, "1.235"),
        (Fraction(1, 3), "PHP", 33, "0.33"),
        (1300, "JPY", 1300, "1300"),
    ],
)
def test_the_integer_core_counts_minor_units(
    amount: Fraction | int, currency: str, units: int, text: str
) -> None:
    assert minor(amount, currency) == units
    assert str(from_minor(units, currency)) == text
    assert to_minor(from_minor(units, currency), currency) == units


def test_to_minor_refuses_an_amount_below_the_minor_unit() -> None:
    with pytest.raises(
        ValueError, match=r"^12\.505 PHP is not rounded to the currency's minor unit$"
    ):
        to_minor(Decimal("12.505"), "PHP")


def test_exact_keeps_fractions_and_reads_floats_as_written() -> None:
    assert exact(Fraction(1, 3)) == Fraction(1, 3)
    assert exact(0.1) == Fraction(1, 10)
    # a price kept as an exact fraction: 3 units at 1/3 USD are worth exactly 1.00
    assert value_of(3, Fraction(1, 3), "USD") == Decimal("1.00")


def test_value_of_diesel_order_r7() -> None:
    # 8000 L of diesel at PHP 60/L
    assert str(value_of(8000, 60, "PHP")) == "480000.00"
    # 2.5 units at JPY 130.3 = 325.75 -> 326 yen
    assert value_of(2.5, 130.3, "JPY") == Decimal("326")
    # float product 0.1 * 3 = 0.30000000000000004; exact decimals give 0.30
    assert str(value_of(0.1, 3, "USD")) == "0.30"


def test_converter_to_reporting(usd: Converter) -> None:
    # 480000 / 58 = 8275.862068... -> 8275.86
    assert usd.to_reporting(Decimal("480000.00"), "PHP") == Decimal("8275.86")
    # 1000 / 155 = 6.451612... -> 6.45
    assert usd.to_reporting(Decimal("1000"), "JPY") == Decimal("6.45")
    assert str(usd.to_reporting(Decimal("12.5"), "USD")) == "12.50"


def test_converter_in_minor_units(usd: Converter) -> None:
    # PHP 480,000.00 = 48,000,000 centavos; / 58 = USD 8275.862... -> 827,586 cents
    assert usd.reporting_minor(48_000_000, "PHP") == 827_586
    # JPY 1000 / 155 = 6.4516... -> 645 cents; a yen has no minor unit to divide by
    assert usd.reporting_minor(1000, "JPY") == 645
    assert usd.fraction("PHP") == 58 and usd.rate("JPY") == Decimal(155)


def test_converter_to_a_zero_decimal_reporting_currency() -> None:
    jpy = Converter({"JPY": 1, "USD": Decimal("0.0064516129")}, "JPY")
    # 10 / 0.0064516129 = 1550.0000...155 -> 1550
    assert str(jpy.to_reporting(Decimal("10.00"), "USD")) == "1550"


def test_converter_unknown_currency_is_a_clear_keyerror(usd: Converter) -> None:
    with pytest.raises(KeyError, match=r"EUR.*known: JPY, PHP, USD"):
        usd.to_reporting(Decimal(1), "EUR")


@pytest.mark.parametrize(
    ("rates", "reporting", "message"),
    [
        ({"USD": 1, "PHP": 0}, "USD", "positive"),
        ({"USD": 1, "PHP": -58}, "USD", "positive"),
        ({"PHP": 58}, "USD", "no rate"),
        ({"USD": 2}, "USD", "rate 1"),
    ],
)
def test_converter_refuses_bad_rates(rates: dict, reporting: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Converter(rates, reporting)


def test_tax_waived_php_vat_and_diesel_excise_r7(usd: Converter) -> None:
    # 1000 L at PHP 60 = PHP 60000.00 = USD 1034.48 (60000/58 = 1034.4827...)
    value = usd.to_reporting(value_of(1000, 60, "PHP"), "PHP")
    assert value == Decimal("1034.48")
    # VAT 12% x 1034.48 = 124.1376; excise 6 x 1000 = PHP 6000 = USD 103.448275862...
    # sum 227.585875862... -> 227.59
    assert tax_waived(value, 1000, 0.12, 6.0, "PHP", usd) == Decimal("227.59")


def test_tax_waived_is_rounded_once_not_per_part(usd: Converter) -> None:
    # VAT part 0.1 x 0.04 = 0.004; excise 0.232 PHP / 58 = 0.004 USD.
    # Rounded once: 0.008 -> 0.01. Rounding each part first would give 0.00.
    assert tax_waived(Decimal("0.04"), 1, 0.1, 0.232, "PHP", usd) == Decimal("0.01")


def test_tax_waived_zero_when_no_tax(usd: Converter) -> None:
    assert str(tax_waived(Decimal("1034.48"), 1000, 0, 0, "PHP", usd)) == "0.00"


def test_tax_waived_jp_territory_in_yen(usd: Converter) -> None:
    # 500 L at JPY 130 = JPY 65000 = USD 419.35 (65000/155 = 419.354...)
    value = usd.to_reporting(value_of(500, 130, "JPY"), "JPY")
    assert value == Decimal("419.35")
    # VAT 10% = 41.935; excise 32.1 x 500 = JPY 16050 = USD 103.548387...; sum 145.4833... -> 145.48
    assert tax_waived(value, 500, 0.10, 32.1, "JPY", usd) == Decimal("145.48")


@pytest.mark.parametrize(
    ("quantity", "vat", "excise", "name"),
    [(-1, 0.1, 0, "quantity"), (1, -0.1, 0, "vat"), (1, 0.1, -2, "excise_per_unit")],
)
def test_tax_waived_refuses_negative_inputs(
    usd: Converter, quantity: int, vat: float, excise: float, name: str
) -> None:
    bad = {"quantity": quantity, "vat": vat, "excise_per_unit": excise}[name]
    with pytest.raises(ValueError, match=f"^{name} must be a non-negative number, got {bad!r}$"):
        tax_waived(Decimal("10.00"), quantity, vat, excise, "PHP", usd)


amounts = st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=6)
currencies = st.sampled_from(["USD", "JPY", "PHP", "BHD", "KRW"])


@given(amounts, currencies)
def test_to_money_is_quantized_and_within_half_a_unit(amount: Decimal, currency: str) -> None:
    result = to_money(amount, currency)
    assert result.as_tuple().exponent == -minor_units(currency)
    assert abs(result - amount) <= Decimal(1).scaleb(-minor_units(currency)) / 2
    assert to_money(result, currency) == result  # idempotent


@given(amounts, currencies)
def test_the_integer_core_rounds_as_the_decimal_functions(amount: Decimal, currency: str) -> None:
    """`minor` (the journal's integers) and `to_money` (the readers' Decimals) agree (R15)."""
    assert from_minor(minor(exact(amount), currency), currency) == to_money(amount, currency)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), currencies)
def test_to_money_of_float_equals_to_money_of_its_text(x: float, currency: str) -> None:
    assert to_money(x, currency) == to_money(repr(x), currency)
