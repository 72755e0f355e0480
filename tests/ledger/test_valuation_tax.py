"""R7: the engine's integer valuation (`valuation.Valuation`) and the Decimal reference
(`money.value_of`, `Converter.to_reporting`, `money.tax_waived`) give the same value and the
same tax waived to the minor unit, VAT on the excise or not."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from acsasim.ledger.money import Converter, tax_waived, to_minor, value_of
from acsasim.ledger.valuation import Valuation

RATES = {"USD": 1, "PHP": 58, "JPY": 155.5}
CURRENCIES = st.sampled_from(sorted(RATES))
CONVERTER = Converter(RATES, "USD")


def _decimal(places: int, top: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, top * 10**places).map(lambda n: Decimal(n).scaleb(-places))


@given(
    quantity=st.integers(1, 10**9),
    scale=st.sampled_from([1, 1000]),
    price=_decimal(2, 10**6),
    currency=CURRENCIES,
    territory=CURRENCIES,
    vat=_decimal(3, 1),
    excise=_decimal(2, 100),
    vat_on_excise=st.booleans(),
)
def test_the_integer_valuation_equals_the_decimal_reference(
    quantity: int,
    scale: int,
    price: Decimal,
    currency: str,
    territory: str,
    vat: Decimal,
    excise: Decimal,
    vat_on_excise: bool,
) -> None:
    v = Valuation(
        price=price,
        scale=scale,
        currency=currency,
        converter=CONVERTER,
        vat=vat,
        excise=excise,
        territory_currency=territory,
        vat_on_excise=vat_on_excise,
    )
    units = Fraction(quantity, scale)
    value = value_of(units, price, currency)
    assert v.value(quantity) == to_minor(value, currency)
    reporting = CONVERTER.to_reporting(value, currency)
    assert v.reporting(v.value(quantity)) == to_minor(reporting, "USD")
    waived = tax_waived(reporting, units, vat, excise, territory, CONVERTER, vat_on_excise)
    assert v.tax(v.reporting(v.value(quantity)), quantity) == to_minor(waived, "USD")


def test_vat_on_excise_by_hand() -> None:
    """500 L at PHP 60 in the Philippines (PHP 50 = USD 1): USD 600.00, excise USD 60.00;
    VAT 12% on both: 0.12 x 660 + 60 = 139.20; on the value only: 132.00."""
    rates = Converter({"USD": 1, "PHP": 50}, "USD")
    on = Valuation(price=60, scale=1, currency="PHP", converter=rates, vat=0.12, excise=6,
                   territory_currency="PHP", vat_on_excise=True)  # fmt: skip
    assert on.tax(60000, 500) == 13920
    assert tax_waived(Decimal("600.00"), 500, 0.12, 6, "PHP", rates, True) == Decimal("139.20")
    assert tax_waived(Decimal("600.00"), 500, 0.12, 6, "PHP", rates) == Decimal("132.00")
