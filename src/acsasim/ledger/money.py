"""Exact money: decimals rounded to each currency's minor unit (R7, R15).

Floats never reach the books. Every amount enters through `to_money`, which goes
through `Decimal(str(x))` so that 2.675 means the 2.675 a person typed, not the
nearest binary fraction, and is rounded once, half up, to the minor unit of the
currency (0 decimals for JPY, 2 for PHP or USD, 3 for BHD...).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

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
    q = _QUANTA.get(currency)
    if q is None:
        q = _QUANTA[currency] = Decimal(1).scaleb(-minor_units(currency))
    return q


_QUANTA: dict[str, Decimal] = {}  # a run uses a handful of currencies, each thousands of times


def to_decimal(x: Number) -> Decimal:
    """Exact Decimal of a number; floats go through their shortest repr (`str`).

    Booleans, NaN and infinities are refused: none of them is an amount.
    """
    kind = type(x)
    if kind is Decimal:
        d = x
    elif kind is float:
        d = Decimal(repr(x))  # repr is str for floats: the shortest round-tripping digits
    elif kind is int:
        return Decimal(x)
    elif isinstance(x, bool) or not isinstance(x, int | float | str | Decimal):
        raise TypeError(f"not a number: {x!r}")
    else:
        try:
            d = Decimal(str(x)) if isinstance(x, float) else Decimal(x)
        except InvalidOperation:
            raise ValueError(f"not a number: {x!r}") from None
    if not d.is_finite():
        raise ValueError(f"not a finite number: {x!r}")
    return d  # type: ignore[return-value]  # every branch above leaves a Decimal


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


class Converter:
    """Converts amounts to the reporting currency at the scenario's fixed rates (R7).

    `rates` gives units of each currency per 1 reporting unit (USD: 1, PHP: 58), the
    same convention as the scenario's `currencies` block.
    """

    __slots__ = ("_rates", "reporting")

    def __init__(self, rates: Mapping[str, float | int | Decimal], reporting: str) -> None:
        self._rates = {cur: _positive_rate(cur, r) for cur, r in rates.items()}
        if reporting not in self._rates:
            raise ValueError(f"reporting currency {reporting} has no rate")
        if self._rates[reporting] != 1:
            raise ValueError(f"reporting currency {reporting} must have rate 1")
        self.reporting = reporting

    def rate(self, currency: str) -> Decimal:
        """Units of `currency` per reporting unit; KeyError if the scenario lacks it."""
        try:
            return self._rates[currency]
        except KeyError:
            known = ", ".join(sorted(self._rates))
            raise KeyError(f"no exchange rate for currency {currency!r} (known: {known})") from None

    def exact(self, amount: Decimal, currency: str) -> Decimal:
        """`amount` in reporting currency, not yet rounded (for sums rounded once)."""
        return MONEY.divide(to_decimal(amount), self.rate(currency))

    def to_reporting(self, amount: Decimal, currency: str) -> Decimal:
        """`amount` of `currency` in reporting currency, rounded to its minor unit."""
        return to_money(self.exact(amount, currency), self.reporting)


def _positive_rate(currency: str, rate: float | int | Decimal) -> Decimal:
    minor_units(currency)  # validates the code
    d = to_decimal(rate)
    if d <= 0:
        raise ValueError(f"exchange rate of {currency} must be positive, got {rate!r}")
    return d


def value_of(quantity: float, price: float, currency: str) -> Decimal:
    """Value of an order: quantity x provider's price, in its currency (R7)."""
    return to_money(MONEY.multiply(to_decimal(quantity), to_decimal(price)), currency)


def tax_waived(
    value_reporting: Decimal,
    quantity: float,
    vat: float,
    excise_per_unit: float,
    excise_currency: str,
    converter: Converter,
) -> Decimal:
    """VAT and excise a tax-exempt delivery does not pay, in reporting currency (R7).

    VAT is a rate on the order's reporting value; excise is per unit, in the
    currency of the party whose territory the delivery site is in. The two parts
    are added exactly and rounded once, so the waiver does not depend on how it is
    split.
    """
    q, rate, excise = to_decimal(quantity), to_decimal(vat), to_decimal(excise_per_unit)
    if q < 0 or rate < 0 or excise < 0:
        named = {"quantity": quantity, "vat": vat, "excise_per_unit": excise_per_unit}
        name, x = next((n, x) for n, x in named.items() if to_decimal(x) < 0)
        raise ValueError(f"{name} must be a non-negative number, got {x!r}")
    total = MONEY.multiply(rate, to_decimal(value_reporting))
    if excise:
        total = MONEY.add(total, converter.exact(MONEY.multiply(excise, q), excise_currency))
    return to_money(total, converter.reporting)
