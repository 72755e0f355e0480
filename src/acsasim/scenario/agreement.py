"""The agreements of a scenario: what each ACSA covers, how it settles and its ceilings.

Part of the format of `model.py` (re-exported there), described the same way: each field's
attribute docstring is its description in `acsasim schema` and the manual.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from acsasim.scenario.base import Model
from acsasim.scenario.quantities import Dist
from acsasim.scenario.types import (
    CATEGORIES,
    RESTRICTED,
    Category,
    Duration,
    Fraction,
    Id,
    Method,
    NonNegative,
    PlainOrMapping,
    RandomDuration,
    Restricted,
    Timestamp,
    Unit,
)

# What an agreement that lists no activities covers (format version 1; those of them declared).
DEFAULT_ACTIVITIES = ("exercise", "disaster_relief", "peacekeeping", "evacuation", "liaison")


class Offset(Model):
    """Offset of long-unsettled balances against counter-balances (R13)."""

    after: Duration
    """How long a balance must stay unsettled before it may be offset, e.g. 540d (18
    months after delivery under 10 U.S.C. 2345)."""
    from_: Literal["delivery", "due"] = Field("delivery", alias="from")
    """What `after` counts from: the delivery (the statute's clock, the default) or the due
    date."""
    probability: Fraction = 1.0
    """The chance that the creditor decides to offset a balance once it may: drawn once per
    balance from its own random stream; 1 offsets every eligible balance."""


#: The version-1 preference: in kind, then equal value, then cash.
DEFAULT_METHODS: tuple[Method, ...] = ("replacement_in_kind", "equal_value_exchange", "cash")
MethodList = Annotated[tuple[Method, ...], Field(min_length=1)]
#: `settlement.methods` as a mapping: `default`, categories, or receiving party ids (whose
#: value is a list, or a mapping of `default` and categories to lists).
MethodTable = dict[str, PlainOrMapping(MethodList, dict[str, MethodList])]  # type: ignore[valid-type,misc]  # built by a function


class Settlement(Model):
    """How and when a delivery is paid back (R8-R13)."""

    methods: PlainOrMapping(MethodList, MethodTable) = DEFAULT_METHODS  # type: ignore[valid-type]  # built by a function
    """The receiver's order of preference; an order takes the first that applies
    (replacement in kind never applies to a service) (R8). One list for every order, or a
    mapping by category and direction: `default`, a category (`food: [cash]`), or a
    receiving party id with its own `default` and categories (`PH: {fuel: [cash]}`); the
    most specific entry that names the order's category and receiver is used."""
    deadline: Duration = 365 * 24.0
    """From delivery to the date an in-kind or equal-value balance is due (R8, R12)."""
    on_deadline: Literal["convert_to_cash", "stay_overdue"] = "convert_to_cash"
    """What happens to a balance still unsettled at its due date: it becomes a cash claim
    and is invoiced, or it stays open and ages as overdue (R12)."""
    invoice_after: RandomDuration = Dist("fixed", (30 * 24.0,), True)
    """From delivery (or conversion at the deadline) to the invoice of a cash balance (R11)."""
    payment_terms: RandomDuration = Dist("fixed", (30 * 24.0,), True)
    """From invoice to payment (R11)."""
    offset_after: Duration | None = None
    """Version-1 spelling of `offset: {after: ...}`: balances unsettled this long after
    delivery may be offset (R13). Give one of `offset_after` and `offset`."""
    offset: Offset | None = None
    """When an unsettled balance may be offset against what is owed the other way under the
    same agreement, and how likely the creditor is to do it (R13); left out (and no
    `offset_after`), balances are offset only by an `offset` event of the timeline."""
    return_every: Duration = 7 * 24.0
    """Returns in kind are consolidated: a receiver ships back to one provider holder, for
    one commodity, at most once per this period (R9)."""
    return_after: Duration = 0.0
    """The least time from delivery before an order in kind may be repaid (R9): returns
    wait for it, so they do not come back hours after the delivery."""
    exchange: dict[Id, tuple[Id, ...]] = {}
    """What may be given back for an equal-value balance, by the commodity or category
    provided: `{airlift: [diesel, water], food: [ration]}`. Only a later delivery of one of
    these items the other way settles the balance (R10). Left out for a commodity: any
    item of its own category."""

    @property
    def offset_rule(self) -> Offset | None:
        """R13: the offset terms, `offset_after` read as `offset: {after: ...}`."""
        if self.offset is None and self.offset_after is not None:
            return Offset.model_construct(after=self.offset_after)
        return self.offset

    def methods_for(self, receiver: str, category: str) -> tuple[str, ...]:
        """R8: the preference list for an order of `category` received by party `receiver`:
        the receiver's entry for the category, else its default, else the category's entry,
        else the table's default, else the version-1 list."""
        table = self.methods
        if isinstance(table, tuple):
            return table
        mine = table.get(receiver)
        if isinstance(mine, dict):
            found = mine.get(category) or mine.get("default")
            if found:
                return found
        elif mine:
            return mine
        shared = table.get(category) or table.get("default")
        return shared if isinstance(shared, tuple) else DEFAULT_METHODS


class Limits(Model):
    """One direction's yearly limits under an agreement (R14), in the reporting currency."""

    value: Annotated[NonNegative | None, Unit("reporting currency")] = None
    """Most value per year, all commodities; left out, no limit."""
    supplies_value: Annotated[NonNegative | None, Unit("reporting currency")] = None
    """Most value of goods (not services) per year; left out, no limit."""


MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class PartyCeilings(Model):
    """One party's own ceilings under the agreement (R14), instead of the agreement's."""

    fiscal_year_start: MonthDay | None = None
    """The first day of this party's fiscal year, `MM-DD` (the United States: 10-01)."""
    provided: Limits | None = None
    """Limits on what this party provides per year."""
    acquired: Limits | None = None
    """Limits on what this party acquires per year (10 U.S.C. 2347: the US's liabilities)."""


class Ceilings(Model):
    """Yearly limits on what each party provides or acquires under the agreement (R14),
    counted before offset and lifted during hostilities; an agreement without any has none."""

    value: Annotated[NonNegative | None, Unit("reporting currency")] = None
    """Version-1 key, the same as `provided: {value: ...}`: most value one party may provide
    per year, all commodities; left out, no limit. A request that would pass a ceiling is
    trimmed to fit (R5, R14)."""
    supplies_value: Annotated[NonNegative | None, Unit("reporting currency")] = None
    """Version-1 key, the same as `provided: {supplies_value: ...}`: most value of goods (not
    services) one party may provide per year; left out, no limit (R14)."""
    fiscal_year_start: MonthDay | None = None
    """The first day of the years ceilings count, `MM-DD`, for every party without its own;
    left out, years run from the agreement's `in_force` by anniversary."""
    provided: Limits | None = None
    """Limits on what each party provides per year (a party's own entry replaces them)."""
    acquired: Limits | None = None
    """Limits on what each party acquires per year (a party's own entry replaces them)."""
    parties: dict[Id, PartyCeilings] = {}
    """Ceilings of one party, by party id: its fiscal year, and what it may provide and
    acquire (10 U.S.C. 2347 limits what the United States acquires)."""

    def limits(self, party: str, direction: str) -> tuple[float | None, float | None]:
        """(all value, goods value) limits of `party` in `direction` (`provided` or
        `acquired`); (None, None) where none binds."""
        own = self.parties.get(party)
        found = getattr(own, direction) if own is not None else None
        if found is None:
            found = getattr(self, direction)
        if found is None and direction == "provided":
            return self.value, self.supplies_value
        return (found.value, found.supplies_value) if found is not None else (None, None)

    def year_start(self, party: str) -> str | None:
        """The `MM-DD` a party's ceiling years start on; None: agreement years."""
        own = self.parties.get(party)
        return (own.fiscal_year_start if own else None) or self.fiscal_year_start


class Charges(Model):
    """Transport and handling charged on each order besides the goods (Pricing)."""

    handling: Annotated[NonNegative, Unit("fraction of the goods' value")] = 0.0
    """A handling charge as a share of the goods' value, e.g. 0.02 for 2%."""
    per_trip: Annotated[NonNegative, Unit("reporting currency per trip")] = 0.0
    """A transport charge per vehicle trip the delivery takes (R6), in the reporting
    currency, charged in the provider's currency at the scenario's rate."""


class Agreement(Model):
    """An ACSA between two parties: what it covers and how it settles."""

    id: Id
    """The agreement's id, e.g. JP-PH-ACSA; orders and refusals name it."""
    parties: tuple[Id, Id]
    """The two party ids it binds; a pair has at most one agreement."""
    signed: Timestamp | None = None
    """Date of signature, recorded and shown; it gives no right to provide anything: only
    `in_force` does (an agreement enters into force after ratification)."""
    in_force: Timestamp | None = None
    """Date from which it applies (requests before it are refused as not_in_force) and
    from which agreement years are counted (R1, R14); left out: the scenario start."""
    activities: tuple[Id, ...] = DEFAULT_ACTIVITIES
    """The activities under which a receiver may be provided for (R5); a phase sets a
    holder's activity. Left out: the default below, those of it the scenario declares."""
    categories: tuple[Category, ...] = tuple(c for c in CATEGORIES if c != "weapons")
    """The commodity categories it covers (R5); the default is every category but
    weapons."""
    excluded: tuple[Id, ...] = ()
    """Commodity ids never provided even though their category is covered (R5)."""
    prohibited: tuple[Restricted, ...] = RESTRICTED
    """The classes of items it never provides (a commodity's `restricted`), refused as
    `prohibited` (R5); the default is the standard exclusion list, all of them."""
    tax_exempt: bool = True
    """Whether deliveries are free of the site's VAT and excise; the tax waived is
    recorded on each order (R7)."""
    settlement: Settlement = Settlement()
    """Settlement methods, deadline and payment terms (R8-R13)."""
    price_on_order: Duration | None = None
    """A provider with no price for a commodity still provides it, and the order is priced
    this long after it is placed (Pricing); left out, the provider party's own
    `price_on_order`, else the request is refused (`no_price`)."""
    charges: Charges | None = None
    """Transport and handling charges added to each order's value (Pricing); left out, none."""
    ceilings: Ceilings = Ceilings()
    """Yearly value limits per provider (R14); left out, no limits."""
