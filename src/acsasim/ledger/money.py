"""Exact money: amounts rounded to each currency's minor unit (R7, R15).

Floats never reach the books. A number from the scenario enters through `exact`,
which reads it as the decimal a person typed (2.675 is 2.675, not the nearest
binary fraction) and keeps it as an exact fraction. Amounts are rounded once, half
up (away from zero), to the minor unit of their currency (0 decimals for JPY, 2 for
PHP or USD, 3 for BHD...). The journal keeps them as integers of minor units
(`minor`, `from_minor`); the Decimal functions (`to_money`, `value_of`,
`tax_waived`, `Converter.to_reporting`) are the same arithmetic for readers of the
books, written on the same integer core (`half_up`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction

#: Enough significant digits for any realistic amount divided by any rate.
PRECISION = 34
#: The one context of all money arithmetic, passed explicitly: cheaper than a
#: `localcontext()` per call, and immune to whatever the caller's context is.
MONEY = Context(prec=PRECISION, rounding=ROUND_HALF_UP)

# ISO 4217 currencies whose minor unit is not 2.
_ZERO_DECIMALS = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG"}
    | {"RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"}
)
_THREE_DECIMALS = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})

Number = int | float | str | Decimal


def minor_units(currency: str) -> int:
    """Number of decimals of `currency` (ISO 4217); 2 for any code not listed."""
    if not isinstance(currency, str) or not currency:
        raise ValueError(f"currency must be a non-empty code, got {currency!r}")
    if currency in _ZERO_DECIMALS:
        return 0
    if currency in _THREE_DECIMALS:
        return 3
    return 2


def quantum(currency: str) -> Decimal:
    """The smallest amount of `currency`: Decimal('1'), ('0.01') or ('0.001')."""
    return Decimal(1).scaleb(-minor_units(currency))


def to_decimal(x: Number) -> Decimal:
    """Exact Decimal of a number; a float (numpy's too) through its shortest repr.

    Booleans, NaN and infinities are refused: none of them is an amount.
    """
    if isinstance(x, bool) or not isinstance(x, int | float | str | Decimal):
        raise TypeError(f"not a number: {x!r}")
    try:
        d = Decimal(repr(float(x))) if isinstance(x, float) else Decimal(x)
    except InvalidOperation:
        raise ValueError(f"not a number: {x!r}") from None
    if not d.is_finite():
        raise ValueError(f"not a finite number: {x!r}")
    return d


def to_money(amount: Number, currency: str) -> Decimal:
    """`amount` rounded half up to the minor unit of `currency` (R15).

    The result is quantized (JPY -> Decimal('1300'), PHP -> Decimal('12.50')) and
    never a negative zero, so the journal prints the same text for the same value.
    """
    result = to_decimal(amount).quantize(quantum(currency), context=MONEY)
    return result.copy_abs() if result.is_zero() else result


def is_rounded(amount: Decimal, currency: str) -> bool:
    """True when `amount` has no digits below the minor unit of `currency`."""
    return amount.is_finite() and to_money(amount, currency) == amount


# --- the exact integer core -------------------------------------------------------------------


def exact(x: Number | Fraction) -> Fraction:
    """The exact value of a number as a person wrote it (a float through its shortest repr)."""
    return x if isinstance(x, Fraction) else Fraction(to_decimal(x))


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in integers (no precision limit)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def minor(amount: Fraction | int, currency: str) -> int:
    """`amount` (in whole units of `currency`) in integer minor units, rounded half up."""
    amount = Fraction(amount)
    return half_up(amount.numerator * 10 ** minor_units(currency), amount.denominator)


def from_minor(units: int, currency: str) -> Decimal:
    """Integer minor units as the Decimal `to_money` writes (JPY 1300, PHP 12.50)."""
    return Decimal(units).scaleb(-minor_units(currency))


def to_minor(amount: Decimal, currency: str) -> int:
    """A rounded Decimal amount as integer minor units; ValueError if it is not rounded."""
    units = amount.scaleb(minor_units(currency))
    if units != units.to_integral_value():
        raise ValueError(f"{amount} {currency} is not rounded to the currency's minor unit")
    return int(units)


class Converter:
    """Converts amounts to the reporting currency at the scenario's fixed rates (R7).

    `rates` gives units of each currency per 1 reporting unit (USD: 1, PHP: 58), the
    same convention as the scenario's `currencies` block. Rates are kept exact.
    """

    __slots__ = ("_exact", "_rates", "reporting")

    def __init__(self, rates: Mapping[str, float | int | Decimal], reporting: str) -> None:
        self._rates = {cur: _positive_rate(cur, r) for cur, r in rates.items()}
        if reporting not in self._rates:
            raise ValueError(f"reporting currency {reporting} has no rate")
        if self._rates[reporting] != 1:
            raise ValueError(f"reporting currency {reporting} must have rate 1")
        self._exact = {cur: Fraction(r) for cur, r in self._rates.items()}
        self.reporting = reporting

    def rate(self, currency: str) -> Decimal:
        """Units of `currency` per reporting unit; KeyError if the scenario lacks it."""
        try:
            return self._rates[currency]
        except KeyError:
            known = ", ".join(sorted(self._rates))
            raise KeyError(f"no exchange rate for currency {currency!r} (known: {known})") from None

    def fraction(self, currency: str) -> Fraction:
        """The exact rate of `currency` (units per reporting unit)."""
        self.rate(currency)  # the clear KeyError
        return self._exact[currency]

    def exact(self, amount: Decimal, currency: str) -> Decimal:
        """`amount` in reporting currency, not yet rounded (for sums rounded once)."""
        return MONEY.divide(to_decimal(amount), self.rate(currency))

    def to_reporting(self, amount: Decimal, currency: str) -> Decimal:
        """`amount` of `currency` in reporting currency, rounded to its minor unit."""
        units = self.reporting_minor(to_minor(to_money(amount, currency), currency), currency)
        return from_minor(units, self.reporting)

    def from_reporting(self, units: int, currency: str) -> int:
        """Minor units of the reporting currency -> minor units of `currency`, half up."""
        amount = Fraction(units, 10 ** minor_units(self.reporting)) * self.fraction(currency)
        return minor(amount, currency)

    def reporting_minor(self, units: int, currency: str) -> int:
        """Minor units of `currency` -> minor units of the reporting currency, half up."""
        amount = Fraction(units, 10 ** minor_units(currency)) / self.fraction(currency)
        return minor(amount, self.reporting)


def _positive_rate(currency: str, rate: float | int | Decimal) -> Decimal:
    minor_units(currency)  # validates the code
    d = to_decimal(rate)
    if d <= 0:
        raise ValueError(f"exchange rate of {currency} must be positive, got {rate!r}")
    return d


def value_of(quantity: Number | Fraction, price: Number | Fraction, currency: str) -> Decimal:
    """Value of an order: quantity x provider's price, in its currency (R7)."""
    return from_minor(minor(exact(quantity) * exact(price), currency), currency)


def tax_waived(
    value_reporting: Decimal,
    quantity: Number | Fraction,
    vat: Number | Fraction,
    excise_per_unit: Number | Fraction,
    excise_currency: str,
    converter: Converter,
    vat_on_excise: bool = False,
) -> Decimal:
    """VAT and excise a tax-exempt delivery does not pay, in reporting currency (R7).

    VAT is a rate on the order's reporting value, and on the excise too where the
    territory levies it on the price including excise (`vat_on_excise`); excise is
    per unit, in the currency of the party whose territory the delivery site is in.
    The parts are added exactly and rounded once, so the waiver does not depend on
    how it is split.
    """
    named = {"quantity": quantity, "vat": vat, "excise_per_unit": excise_per_unit}
    for name, x in named.items():
        if exact(x) < 0:
            raise ValueError(f"{name} must be a non-negative number, got {x!r}")
    excise = exact(excise_per_unit) * exact(quantity) / converter.fraction(excise_currency)
    on_excise = 1 + exact(vat) if vat_on_excise else 1
    total = exact(vat) * exact(value_reporting) + excise * on_excise
    return from_minor(minor(total, converter.reporting), converter.reporting)
