"""R7 in integers (ledger/valuation.py): an order's value, its value in the reporting currency
and the tax it does not pay, the same as money.py's Decimal functions give; and R14's largest
quantity within a ceiling. Every figure is worked out by hand.

Rates: USD 1 = PHP 50 = JPY 150.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from acsasim.ledger import Converter
from acsasim.ledger.money import tax_waived, to_minor, value_of
from acsasim.ledger.valuation import Valuation

USD = Converter({"USD": 1, "PHP": 50, "JPY": 150}, "USD")


def diesel(**taxes: object) -> Valuation:
    """PH diesel at PHP 60.50/L, counted in mL."""
    return Valuation(price=60.5, scale=1000, currency="PHP", converter=USD, **taxes)  # type: ignore[arg-type]


def test_value_and_reporting_value_of_an_order_r7() -> None:
    v = diesel()
    assert v.currency == "PHP"
    # 8000.5 L x PHP 60.50 = PHP 484,030.25
    assert v.value(8_000_500) == 48_403_025
    # PHP 484,030.25 / 50 = USD 9,680.605 -> 9,680.61 (half up)
    assert v.reporting(48_403_025) == 968_061
    # 1 mL = PHP 0.0605 -> 0.06; 9 mL = 0.5445 -> 0.54
    assert (v.value(1), v.value(9)) == (6, 54)


def test_tax_waived_vat_on_the_value_and_excise_per_unit_in_the_territorys_currency() -> None:
    """Delivered in PH: VAT 12% of USD 9,680.61 = 1,161.6732; excise PHP 6/L x 8000.5 L =
    PHP 48,003.00 = USD 960.06; together 2,121.7332 -> USD 2,121.73, rounded once."""
    v = diesel(vat=0.12, excise=6, territory_currency="PHP")
    assert v.tax(968_061, 8_000_500) == 212_173


def test_excise_in_yen_and_in_the_reporting_currency() -> None:
    # delivered in JP: excise JPY 32.1/L x 500 L = JPY 16,050 = USD 107.00; no VAT
    assert diesel(excise=32.1, territory_currency="JPY").tax(0, 500_000) == 10_700
    # no territory currency given: the excise is in the reporting currency, USD 0.25/L
    assert diesel(excise=0.25).tax(0, 500_000) == 12_500
    # VAT alone: 10% of USD 419.35 = 41.935 -> 41.94
    assert diesel(vat=Fraction(1, 10)).tax(41_935, 1) == 4_194


def test_without_taxes_nothing_is_waived() -> None:
    assert diesel().tax(968_061, 8_000_500) == 0


def test_r14_the_largest_quantity_within_a_ceiling() -> None:
    v = Valuation(price=60, scale=1, currency="PHP", converter=USD)  # 1 L = USD 1.20
    assert v.most_within(1_000) == 8  # USD 10.00 buys 8 L (9.60), not 9 (10.80)
    assert v.most_within(960) == 8  # exactly full
    assert v.most_within(119) == 0  # less than a litre's worth
    assert v.most_within(0) == 0  # a full ceiling


def test_r14_the_ceiling_holds_for_the_value_as_booked_rounded_twice() -> None:
    """Reporting in yen (USD 1 = JPY 155): 129 mL at USD 0.35/L is worth exactly JPY 6.998,
    within a room of JPY 7, but it is booked as USD 0.05 = JPY 8; 128 mL is booked as
    USD 0.04 = JPY 6."""
    jpy = Converter({"JPY": 1, "USD": Decimal("0.0064516129")}, "JPY")
    v = Valuation(price=0.35, scale=1000, currency="USD", converter=jpy)
    assert (v.reporting(v.value(129)), v.reporting(v.value(128))) == (8, 6)
    assert v.most_within(7) == 128


def test_excise_at_a_fractional_rate() -> None:
    """Reporting in yen, excise USD 0.10/L on 10 L: USD 1.00 / 0.0064516129 = JPY 155.0000002
    -> JPY 155."""
    jpy = Converter({"JPY": 1, "USD": Decimal("0.0064516129")}, "JPY")
    v = Valuation(price=1, scale=1, currency="JPY", converter=jpy, excise=0.1,
                  territory_currency="USD")  # fmt: skip
    assert v.tax(0, 10) == 155


def test_r14_a_free_commodity_has_no_largest_quantity() -> None:
    v = Valuation(price=0, scale=1, currency="PHP", converter=USD)
    assert v.value(10**9) == 0
    with pytest.raises(ValueError, match=r"^a free commodity has no largest quantity within"):
        v.most_within(100)


prices = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3)
scales = st.sampled_from([1, 10, 1000])
currencies = st.sampled_from(["PHP", "JPY", "USD"])


@given(prices, scales, currencies, currencies, st.integers(0, 10**10),
       st.decimals(min_value=0, max_value=1, places=3),
       st.decimals(min_value=0, max_value=100, places=2))  # fmt: skip
def test_the_integers_agree_with_money_functions(
    price: Decimal, scale: int, currency: str, territory: str, quantity: int, vat, excise
) -> None:
    """Valuation is money.value_of, Converter.to_reporting and money.tax_waived done once in
    integers (R7): the same figures to the minor unit."""
    rates = {"vat": Fraction(vat), "excise": Fraction(excise), "territory_currency": territory}
    v = Valuation(price=Fraction(price), scale=scale, currency=currency, converter=USD, **rates)
    units = Fraction(quantity, scale)
    value = value_of(units, Fraction(price), currency)
    assert v.value(quantity) == to_minor(value, currency)
    reporting = USD.to_reporting(value, currency)
    assert v.reporting(v.value(quantity)) == to_minor(reporting, "USD")
    waived = tax_waived(reporting, units, Fraction(vat), Fraction(excise), territory, USD)
    assert v.tax(v.reporting(v.value(quantity)), quantity) == to_minor(waived, "USD")


@given(prices, scales, currencies, st.integers(0, 10**8))
def test_r14_most_within_fits_and_one_more_unit_would_not(
    price: Decimal, scale: int, currency: str, room: int
) -> None:
    v = Valuation(price=Fraction(price), scale=scale, currency=currency, converter=USD)
    q = v.most_within(room)
    assert (
        v.reporting(v.value(q)) <= room
        and q * Fraction(price) / scale / USD.fraction(currency) * 100 <= room
    )
    more = q + 1
    exact_more = more * Fraction(price) / scale / USD.fraction(currency) * 100
    assert v.reporting(v.value(more)) > room or exact_more > room
