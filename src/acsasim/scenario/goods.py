"""Parties and commodities of a scenario: who takes part and pays which taxes, and what they
stock, consume and provide. Part of the format of `model.py` (re-exported there), described
the same way."""

from __future__ import annotations

from typing import Annotated

from acsasim.scenario.base import Model
from acsasim.scenario.quantities import Dist
from acsasim.scenario.types import (
    COUNTED_UNITS,
    DEFAULT_RESOLUTION,
    Category,
    CurrencyCode,
    Duration,
    Fraction,
    Id,
    NonNegative,
    PlainOrMapping,
    Positive,
    RandomNumber,
    Resolution,
    Restricted,
    Unit,
)


class Task(Model):
    """A service performed over a duration and billed on what it used (R22)."""

    per_unit: Duration = 1.0
    """How long one unit of the service takes to perform (1h for flight hours, 1d for a
    bed-night): an order of N units is performed over N x this, at the receiver, with no
    trip."""
    used: RandomNumber = Dist("fixed", (1.0,), False)
    """The units actually used for each unit estimated, drawn per order (e.g.
    `{triangular: [0.8, 1.0, 1.3]}`); the order is billed on them after completion."""


class Tax(Model):
    """The taxes a commercial purchase in a party's territory would pay (R7)."""

    vat: Fraction = 0.0
    """Value-added or consumption tax rate on the price, e.g. 0.12 for 12%. Waived on
    deliveries in this party's territory under a tax-exempt agreement (R7)."""
    excise: Annotated[dict[Id, NonNegative], Unit("party's currency per commodity unit")] = {}
    """Excise duty per commodity id, per unit of the commodity, in the party's currency
    (e.g. diesel: 6.0 for PHP 6 per litre). Waived like VAT (R7)."""
    vat_on_excise: PlainOrMapping(bool, dict[Id, bool]) = False  # type: ignore[valid-type]  # built by a function
    """Whether the territory's VAT is levied on the price including the excise (the
    Philippines: yes, NIRC Sec. 106; Japan's diesel delivery tax: no): `true` or `false`
    for every commodity, or per commodity id (one left out: false) (R7)."""

    def vat_on_excise_for(self, commodity: str) -> bool:
        """R7: whether VAT is levied on the excise of `commodity` too."""
        if isinstance(self.vat_on_excise, bool):
            return self.vat_on_excise
        return self.vat_on_excise.get(commodity, False)


class Party(Model):
    """A nation's forces: who owns stock, provides, receives and keeps books."""

    name: str = ""
    """Full name shown in reports, e.g. Japan Self-Defense Forces."""
    currency: CurrencyCode
    """The currency the party prices and keeps its books in; it needs a rate in
    `currencies` unless it is the reporting currency."""
    tax: Tax = Tax()
    """What a commercial purchase in the party's territory pays: the taxes an agreement
    waives on deliveries there."""
    price_on_order: Duration | None = None
    """When this party provides something it has no price for: priced this long after the
    order instead of refused (`no_price`), unless the agreement says otherwise (Pricing)."""


class Commodity(Model):
    """A supply or service that holders stock, consume and provide."""

    unit: str
    """The unit every quantity of this commodity is counted in (L, meal, round, each, h):
    stock levels, consumption, prices and orders all use it."""
    category: Category
    """The ACSA category; an agreement provides only the categories it lists (R5)."""
    service: bool = False
    """`true` for a service (airlift hours, billeting): settled in cash or equal value,
    never replaced in kind (R8), and outside the supplies ceiling (R14)."""
    resolution: Resolution | None = None
    """The smallest quantity counted, a power of ten (1, 0.1, 0.001...): every stock,
    demand and order is a whole multiple of it. Left out: 1 for units counted in whole
    items (each, meal, round, box, case...), 0.001 otherwise (a millilitre of a litre)."""

    restricted: Restricted | None = None
    """What the standard exclusion list calls this item, if it is on it: `weapon`,
    `weapon_system`, `major_end_item`, `initial_spares` (initial spare parts of major end
    items), `guided_missile`, `naval_mine`, `torpedo`, `nuclear_ammunition`,
    `bomb_guidance_kit`, `chemical_munition`. An agreement never provides the classes it
    prohibits (R5)."""
    unit_of_issue: Annotated[Positive | None, Unit("commodity unit")] = None
    """The quantity it is issued in (a case of 12 meals: 12; a box of 840 rounds: 840): every
    request and issue is a whole number of them, rounded down, at least one for a request
    (R3, R4). Left out: the resolution."""
    equivalent: tuple[Id, ...] = ()
    """Other commodity ids that may repay this one in kind (same type and quality, counted
    in the same unit and resolution), e.g. F-76 and JIS No. 2 diesel; the same item is
    returned first (R9)."""
    task: Task | None = None
    """For a service performed rather than shipped (airlift, billeting, port services,
    repair): how long each unit takes and the share of the estimate actually used (R22).
    Left out, a service is delivered like goods."""

    @property
    def scale(self) -> int:
        """Counting units per whole unit: quantities are whole multiples of 1/scale."""
        counted = self.unit.strip().lower().rstrip("s") in COUNTED_UNITS
        resolution = self.resolution or (1.0 if counted else DEFAULT_RESOLUTION)
        return round(1 / resolution)
