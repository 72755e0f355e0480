"""Frozen pydantic models of the scenario format, version 1.

Defaults live here and nowhere else, and so do the descriptions: the attribute docstring
under each field is its description in `acsasim schema` (what an editor shows on hover)
and in the manual's format reference, which is generated from these models. A field
whose number has a unit its type does not tell says so with `Unit(...)`. Cross-references
between parts of a scenario (ids, routes, stock levels) are checked afterwards in
`checks.py`, so that every problem of a file is reported at once.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_serializer, model_validator

from acsasim.scenario.activities import ROUTINE as ROUTINE
from acsasim.scenario.activities import STANDARD_ACTIVITIES, Activity, activity_ids
from acsasim.scenario.agreement import DEFAULT_ACTIVITIES as DEFAULT_ACTIVITIES
from acsasim.scenario.agreement import Agreement as Agreement
from acsasim.scenario.agreement import Ceilings as Ceilings
from acsasim.scenario.agreement import Settlement as Settlement
from acsasim.scenario.base import Model as Model
from acsasim.scenario.goods import Commodity as Commodity
from acsasim.scenario.goods import Party as Party
from acsasim.scenario.goods import Task as Task
from acsasim.scenario.goods import Tax as Tax
from acsasim.scenario.timeline import CloseRoutes as CloseRoutes
from acsasim.scenario.timeline import DelaySupplyLines as DelaySupplyLines
from acsasim.scenario.timeline import DestroyStock as DestroyStock
from acsasim.scenario.timeline import Event, Phase, TimelineItem
from acsasim.scenario.timeline import HolderSet as HolderSet
from acsasim.scenario.types import (
    CurrencyCode,
    Duration,
    Id,
    Name,
    NonNegative,
    PlainOrMapping,
    Positive,
    RandomDuration,
    Timestamp,
    Unit,
)

# --- parties, commodities, prices -------------------------------------------------------------


# --- geography --------------------------------------------------------------------------------


class Site(Model):
    """A place where holders are and goods are delivered."""

    party: Id
    """Whose territory the site is in: that party's taxes are the ones waived on
    deliveries there (R7)."""


class Route(Model):
    """A road, sea or air leg between two sites, usable both ways."""

    between: tuple[Id, Id]
    """The two site ids the route joins."""
    time: RandomDuration
    """Travel time one way, drawn per trip; transit between sites is the shortest path
    over all routes (R6)."""


# --- supply -----------------------------------------------------------------------------------


class SupplyLine(Model):
    """A party's own national resupply (sealift, trucking) to a site."""

    id: Id
    """The line's id; holders name it in `supplied_by`."""
    party: Id
    """The party whose line it is."""
    deliver_to: Id
    """The site where shipments arrive; holders elsewhere add the route time from it."""
    commodities: tuple[Id, ...] = Field(min_length=1)
    """The commodity ids it carries."""
    every: Duration | None = None
    """Time between scheduled departures; left out, the line runs on demand and each
    order leaves when it is placed (R3, R6)."""
    first_departure: Duration = 0.0
    """Time from the scenario start to the first scheduled departure."""
    lead_time: RandomDuration
    """From departure to arrival at `deliver_to`, drawn per departure (R6)."""
    capacity: Annotated[dict[Id, NonNegative], Unit("commodity unit per departure")] = {}
    """Most of each commodity one departure carries; a commodity left out is unlimited.
    What does not fit waits for the next departure."""
    commercial: bool = False
    """`true` for local commercial purchase rather than the party's own resupply: every
    receipt is a purchase that pays the taxes of the territory of `deliver_to` (R21),
    recorded in `purchases.csv` with its value and tax."""
    prices: Annotated[dict[Id, NonNegative], Unit("local currency per commodity unit")] = {}
    """A commercial line's price per unit by commodity id, tax excluded, in the currency of
    the party whose territory `deliver_to` is in; a commodity left out is bought at that
    party's own price (R21)."""


class Stock(Model):
    """A holder's stock levels of one commodity, in the commodity's unit."""

    # capacity and reorder are filled in before validation, so a file may leave them out.
    model_config = ConfigDict(json_schema_extra=lambda schema: schema.update(required=["initial"]))

    initial: Annotated[NonNegative, Unit("commodity unit")]
    """On hand at the start; at most `capacity`."""
    capacity: Annotated[NonNegative, Unit("commodity unit")]
    """The most it can hold: a reorder fills up to it (R3). Left out: `initial`."""
    reorder: Annotated[NonNegative, Unit("commodity unit")]
    """When on hand plus inbound falls to this level, the holder orders up to `capacity`
    (R3); a unit lends only what it holds above it (R4). Left out: `reserve`."""
    reserve: Annotated[NonNegative, Unit("commodity unit")] = 0.0
    """The level the holder plans not to go below: the national line counts as late when
    it would arrive after stock reaches it (R3); a depot lends only what it holds above
    it (R4). At most `reorder`."""

    @model_validator(mode="before")
    @classmethod
    def _fill_levels(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            data.setdefault("capacity", _level_or_zero(data.get("initial")))
            data.setdefault("reorder", _level_or_zero(data.get("reserve", 0.0)))
        return data


def _level_or_zero(value: Any) -> Any:
    """`value` if it is a valid stock level, else 0: a wrong level is reported once, where the
    file gives it, not again through the default it feeds."""
    try:
        valid = not isinstance(value, bool) and 0 <= float(value) < math.inf
    except (TypeError, ValueError):
        valid = False
    return value if valid else 0.0


class Transport(Model):
    """A provider's own vehicles: deliveries wait for a free one (R6)."""

    vehicles: Annotated[int, Field(ge=1), Unit("vehicles")]
    """How many vehicles; each trip holds one for the way there and back."""
    load: Annotated[dict[Id, Positive], Unit("commodity unit per trip")] = {}
    """Most of each commodity one trip carries; a larger order goes in several trips. A
    commodity left out fits in one trip."""


class Holder(Model):
    """Anything that holds stock: a unit consumes and may provide; a depot only provides."""

    id: Id
    """The holder's id, e.g. jgsdf-coy."""
    party: Id
    """The party it belongs to."""
    kind: Literal["unit", "depot"] = "unit"
    """`unit`: consumes by its profiles and lends above its reorder level; `depot`: consumes
    nothing and lends above its reserve (R4)."""
    site: Id
    """Where it is: the site deliveries to and from it travel."""
    personnel: Annotated[int | None, Field(ge=0), Unit("persons")] = None
    """Head count; needed when `per_person` is true, shown in reports otherwise."""
    supplied_by: Id | None = None
    """Id of the supply line that resupplies it; left out, it is never resupplied
    nationally (only under an agreement)."""
    stock: dict[Id, Stock] = {}
    """Stock levels per commodity id; a commodity it consumes must be listed."""
    consumption: Annotated[
        dict[Id, dict[Id, NonNegative]], Unit("commodity unit per day (or per person per day)")
    ] = {}
    """Demand rates per profile name, then per commodity id; a phase switches a profile
    on, and the active profiles add up (R2)."""
    variability: Annotated[NonNegative, Unit("coefficient of variation")] = 0.0
    """Spread of each tick's demand around its rate: a lognormal factor with mean 1 and
    this coefficient of variation (R2); 0 draws no noise."""
    per_person: bool = False
    """`true`: the consumption rates are per person per day and are multiplied by
    `personnel`."""
    transport: Transport | None = None
    """Its vehicles for deliveries; left out, deliveries never wait for a vehicle."""


# --- the scenario -----------------------------------------------------------------------------


class PriceList(Model):
    """A dated price schedule of one provider party, with its basis (Pricing)."""

    party: Id
    """The providing party whose prices these are."""
    from_: Timestamp = Field(alias="from")
    """The date from which these prices apply (until a later list prices the commodity)."""
    basis: str = ""
    """What the prices rest on, e.g. `standard price`, `actual cost`, `replacement cost`:
    recorded on each order priced from this list."""
    prices: Annotated[dict[Id, NonNegative], Unit("provider's currency per commodity unit")]
    """Price per unit by commodity id, in the party's currency, tax excluded."""


class Policy(Model):
    """How holders source their reorders (R3)."""

    acsa: Literal["never", "when_national_late", "first"] = "when_national_late"
    """`never`: national supply line only (the world without the agreement; `--no-acsa`
    sets it). `when_national_late`: allies only when the national line would arrive after
    stock reaches its reserve. `first`: allies first, the national line for the rest."""
    cross_level: bool = False
    """`true`: a unit first draws on the holders of its own party with stock to spare (a
    national transfer, no ACSA order, no tax question), then asks as `acsa` says (R21)."""


Rates = Annotated[dict[CurrencyCode, Positive], Unit("currency units per reporting unit")]
PriceSchedules = Annotated[
    dict[Id, dict[Id, NonNegative]], Unit("provider's currency per commodity unit")
]


class Scenario(Model):
    """A scenario file: who takes part, what they hold and consume, where they are, what their
    agreements say, how they resupply and what happens when. (Validated; in Python, its
    times are hours from `start`, R1.)"""

    acsasim: Literal[1]
    """The format version of the file: 1."""
    name: Name
    """The scenario's name: run folders are written under reports/NAME/."""
    description: str = ""
    """A sentence or two shown at the top of the report."""
    start: Timestamp
    """Calendar date (or date-time) of the simulation's time zero (R1)."""
    duration: Duration
    """How long the simulation runs."""
    seed: int = Field(0, ge=0)
    """Default seed of the random streams; `--seed` overrides it."""
    tick: Duration = 6.0
    """How often each holder draws its demand (R2)."""
    handling: Duration = 1.0
    """Transit time between two holders at the same site (R6)."""
    reporting_currency: CurrencyCode = "USD"
    """The currency KPIs, ceilings and charts are expressed in."""
    currencies: Rates = {}
    """Exchange rates: units of each currency per one unit of the reporting currency
    (JPY: 155). The reporting currency's rate, if given, must be 1."""
    policy: Policy = Policy()
    """Sourcing policy of reorders (R3)."""
    activities: tuple[PlainOrMapping(Id, Activity), ...] = STANDARD_ACTIVITIES  # type: ignore[valid-type]  # built by a function
    """The activities phases and agreements may name (R5), each a name or `{id, gratis}`
    (R22: provided for free, recorded and not billed): a name not declared here is an
    error. `routine` (a holder with no active phase) is always known."""
    parties: dict[Id, Party] = Field(min_length=1)
    """The nations' forces, by party id (JP, PH...)."""
    commodities: dict[Id, Commodity] = Field(min_length=1)
    """Supplies and services, by commodity id."""
    prices: PriceSchedules = {}
    """What each provider party charges per unit, by party id then commodity id, tax
    excluded. A provider without a price for a commodity cannot provide it (R5)."""
    price_lists: tuple[PriceList, ...] = ()
    """Dated price schedules beside `prices`: an order takes its provider's price from the
    latest list in force that prices the commodity, else from `prices` (Pricing)."""
    sites: dict[Id, Site] = Field(min_length=1)
    """Places, by site id."""
    routes: tuple[Route, ...] = ()
    """Legs between sites; two sites with no path between them exchange nothing."""
    agreements: tuple[Agreement, ...] = ()
    """The ACSAs, one per pair of parties that has one."""
    supply_lines: tuple[SupplyLine, ...] = ()
    """Each party's national resupply."""
    holders: tuple[Holder, ...] = Field(min_length=1)
    """Units and depots with their stock and consumption."""
    timeline: tuple[TimelineItem, ...] = ()
    """Phases (from, to, holders, profile, activity) and events (at, ...), in any order."""

    @model_validator(mode="before")
    @classmethod
    def _agreement_activities(cls, data: Any) -> Any:
        """An agreement that lists no activities covers DEFAULT_ACTIVITIES, those of them the
        scenario declares: a default never names an activity the file did not declare."""
        if not isinstance(data, dict) or not isinstance(data.get("agreements"), list):
            return data
        declared = data.get("activities", STANDARD_ACTIVITIES)
        if not isinstance(declared, list | tuple):
            return data  # reported where it stands
        names = [a.get("id") if isinstance(a, dict) else a for a in declared]
        covered = [a for a in DEFAULT_ACTIVITIES if a in names]
        agreements = [
            {**ag, "activities": covered} if isinstance(ag, dict) and "activities" not in ag else ag
            for ag in data["agreements"]
        ]
        return {**data, "agreements": agreements}

    @field_serializer("timeline")
    def _dump_timeline(self, items: tuple[Phase | Event, ...], info: Any) -> list[Any]:
        # Serialise each item as its own class: the callable discriminator cannot.
        return [i.model_dump(mode=info.mode, by_alias=info.by_alias) for i in items]

    @property
    def activity_ids(self) -> tuple[str, ...]:
        """The names of the declared activities."""
        return activity_ids(self.activities)

    @property
    def gratis(self) -> frozenset[str]:
        """The activities whose provisions are recorded and not billed (R22)."""
        return frozenset(a.id for a in self.activities if isinstance(a, Activity) and a.gratis)

    @property
    def end(self) -> datetime:
        from datetime import timedelta

        return self.start + timedelta(hours=self.duration)

    @property
    def rates(self) -> dict[str, float]:
        """Every currency's rate, the reporting currency (rate 1) included."""
        return {**self.currencies, self.reporting_currency: 1.0}

    def rate(self, currency: str) -> float:
        """Units of `currency` per one reporting unit (the reporting currency is 1)."""
        return 1.0 if currency == self.reporting_currency else self.currencies[currency]

    def holder(self, holder_id: str) -> Holder:
        return next(h for h in self.holders if h.id == holder_id)

    @property
    def phases(self) -> tuple[Phase, ...]:
        return tuple(t for t in self.timeline if isinstance(t, Phase))

    @property
    def events(self) -> tuple[Event, ...]:
        return tuple(t for t in self.timeline if isinstance(t, Event))
