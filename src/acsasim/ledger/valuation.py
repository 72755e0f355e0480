"""The value and the tax waived of an order (R7), precomputed exactly for one provider's
commodity delivered into one territory.

An order's value is quantity x the provider's price in the provider's currency; its value
in the reporting currency is that converted at the scenario's rate; the tax waived is the
VAT (on the value, or on the value plus the excise where the territory levies it so) and
excise of the delivery site's territory, added exactly and rounded once. The same
arithmetic as `money.value_of`, `Converter.to_reporting` and `money.tax_waived` (the tests
hold them equal), done in integers prepared once per (price, territory): an order then costs
a few integer multiplications, not a chain of decimal or fraction operations.
"""

from __future__ import annotations

from fractions import Fraction

from acsasim.ledger.money import Converter, exact, half_up, minor_units


class Valuation:
    """R7 for quantities counted in `scale`-ths of a unit (an integer quantity q means q/scale
    units), priced at `price` per unit in `currency`, delivered into a territory whose VAT is
    `vat` and whose excise is `excise` per unit in `territory_currency`; with `vat_on_excise`
    the VAT is levied on the value plus the excise (R7)."""

    __slots__ = ("_exact", "_rep", "_tax", "_value", "currency")

    def __init__(
        self,
        *,
        price: float | Fraction,
        scale: int,
        currency: str,
        converter: Converter,
        vat: float | Fraction = 0,
        excise: float | Fraction = 0,
        territory_currency: str | None = None,
        vat_on_excise: bool = False,
    ) -> None:
        p, digits = exact(price), 10 ** minor_units(currency)
        rep = 10 ** minor_units(converter.reporting)
        rate = converter.fraction(currency)
        self.currency = currency
        # value minor = q/scale x p x 10^d
        self._value = (p.numerator * digits, scale * p.denominator)
        # reporting minor = value minor / 10^d / rate x 10^dr
        self._rep = (rate.denominator * rep, digits * rate.numerator)
        # the exact (unrounded) reporting value in minor units = q x A / B
        self._exact = (
            p.numerator * rate.denominator * rep,
            scale * p.denominator * rate.numerator,
        )
        # tax minor x G = vat x reporting minor x G + excise x q/scale / territory rate x 10^dr x G
        # x (1 + vat where VAT is levied on the excise too)
        v, e = exact(vat), exact(excise)
        t = converter.fraction(territory_currency or converter.reporting)
        den = v.denominator * e.denominator * scale * t.numerator
        on_excise = v.denominator + v.numerator if vat_on_excise else v.denominator
        self._tax = (
            v.numerator * e.denominator * scale * t.numerator,
            e.numerator * t.denominator * rep * on_excise,
            den,
        )

    def value(self, quantity: int) -> int:
        """Value of `quantity` (in scale-ths) in minor units of the provider's currency."""
        num, den = self._value
        return half_up(quantity * num, den)

    def reporting(self, value: int) -> int:
        """A value in minor units of the provider's currency, in reporting minor units."""
        num, den = self._rep
        return half_up(value * num, den)

    def most_within(self, room: int) -> int:
        """The largest quantity whose value in the reporting currency, exact and as booked
        (rounded twice), stays within `room` >= 0 minor units (R14): no order slips through a
        full ceiling because rounding makes it worth nothing. A free commodity (price 0) has
        no largest quantity: the ceiling does not bind it (`CeilingBook.fit`)."""
        a, b = self._exact
        if not a:
            raise ValueError("a free commodity has no largest quantity within a ceiling")
        quantity = room * b // a  # the exact value fits; rounded twice it may not
        while self.reporting(self.value(quantity)) > room:
            quantity -= 1  # quantity 0 is worth 0: the loop ends there at the latest
        return quantity

    def tax(self, reporting: int, quantity: int) -> int:
        """Tax waived on an order of `quantity` worth `reporting`, in reporting minor units."""
        vat, excise, den = self._tax
        return half_up(vat * reporting + excise * quantity, den)
