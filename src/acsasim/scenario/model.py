"""Frozen pydantic models of the scenario format, version 1 (shared/design/scenario-format.md).

Defaults live here and nowhere else. Cross-references between parts of a
scenario (ids, routes, stock levels) are checked afterwards in `checks.py`, so
that every problem of a file is reported at once.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_serializer,
    model_serializer,
    model_validator,
)

from acsasim.scenario.quantities import Dist
from acsasim.scenario.types import (
    CATEGORIES,
    ID_PATTERN,
    Category,
    CurrencyCode,
    Duration,
    Fraction,
    Id,
    Method,
    Name,
    NonNegative,
    Positive,
    RandomDuration,
    Timestamp,
)

# The standard ACSA situations: the activities a scenario declares unless it lists its own.
STANDARD_ACTIVITIES = (
    "exercise", "disaster_relief", "peacekeeping", "evacuation", "liaison", "training_support",
)  # fmt: skip
# What an agreement that lists no activities covers (format version 1; those of them declared).
DEFAULT_ACTIVITIES = ("exercise", "disaster_relief", "peacekeeping", "evacuation", "liaison")
ROUTINE = "routine"  # the activity of a holder with no active phase: always known, never declared


class Model(BaseModel):
    """Every part of a scenario: immutable; unknown keys are errors (typos are never ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- parties, commodities, prices -------------------------------------------------------------


class Tax(Model):
    vat: Fraction = 0.0
    excise: dict[Id, NonNegative] = {}  # per commodity unit, in the party's currency


class Party(Model):
    name: str = ""
    currency: CurrencyCode
    tax: Tax = Tax()


class Commodity(Model):
    unit: str
    category: Category
    service: bool = False  # services settle in cash or equal value, never in kind (R8)


# --- geography --------------------------------------------------------------------------------


class Site(Model):
    party: Id  # whose territory: its taxes are the ones waived (R7)


class Route(Model):
    between: tuple[Id, Id]
    time: RandomDuration


# --- agreements -------------------------------------------------------------------------------


class Settlement(Model):
    methods: tuple[Method, ...] = Field(
        ("replacement_in_kind", "equal_value_exchange", "cash"), min_length=1
    )
    deadline: Duration = 365 * 24.0
    on_deadline: Literal["convert_to_cash", "stay_overdue"] = "convert_to_cash"
    invoice_after: RandomDuration = Dist("fixed", (30 * 24.0,), True)
    payment_terms: RandomDuration = Dist("fixed", (30 * 24.0,), True)
    offset_after: Duration | None = None


class Ceilings(Model):
    value: NonNegative | None = None  # per provider and agreement year, reporting currency (R14)
    supplies_value: NonNegative | None = None  # goods only


class Agreement(Model):
    id: Id
    parties: tuple[Id, Id]
    in_force: Timestamp | None = None  # None: in force from the scenario start (R1)
    activities: tuple[Id, ...] = DEFAULT_ACTIVITIES
    categories: tuple[Category, ...] = tuple(c for c in CATEGORIES if c != "weapons")
    excluded: tuple[Id, ...] = ()
    tax_exempt: bool = True
    settlement: Settlement = Settlement()
    ceilings: Ceilings = Ceilings()


# --- supply -----------------------------------------------------------------------------------


class SupplyLine(Model):
    id: Id
    party: Id
    deliver_to: Id
    commodities: tuple[Id, ...] = Field(min_length=1)
    every: Duration | None = None  # None: on demand, leaving when a holder orders
    first_departure: Duration = 0.0
    lead_time: RandomDuration
    capacity: dict[Id, NonNegative] = {}  # per departure; a commodity left out is unlimited


class Stock(Model):
    # capacity and reorder are filled in before validation, so a file may leave them out.
    model_config = ConfigDict(json_schema_extra=lambda schema: schema.update(required=["initial"]))

    initial: NonNegative
    capacity: NonNegative  # defaults to initial
    reorder: NonNegative  # defaults to reserve: a depot that names only a reserve
    reserve: NonNegative = 0.0

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
    vehicles: int = Field(ge=1)
    load: dict[Id, Positive] = {}  # per trip; a commodity left out fits in one trip


class Holder(Model):
    id: Id
    party: Id
    kind: Literal["unit", "depot"] = "unit"
    site: Id
    personnel: int | None = Field(None, ge=0)
    supplied_by: Id | None = None
    stock: dict[Id, Stock] = {}
    consumption: dict[Id, dict[Id, NonNegative]] = {}  # profile -> commodity -> per day
    variability: NonNegative = 0.0
    per_person: bool = False
    transport: Transport | None = None


# --- timeline ---------------------------------------------------------------------------------


class HolderSet(Model):
    """`all`, a list of holder ids, or `{party: JP}`; dumps back to the form it was written in."""

    ids: tuple[Id, ...] | None = None
    party: Id | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_file(cls, data: Any) -> Any:
        if data == "all":
            return {}
        if isinstance(data, list):
            return {"ids": data}
        if isinstance(data, dict) and set(data) == {"party"}:
            return data
        if isinstance(data, dict) and set(data) <= {"ids", "party"}:
            return data  # the model's own form, for Python callers
        raise ValueError("holders is `all`, a list of holder ids, or {party: ID}")

    @model_serializer
    def _to_file(self) -> Any:
        if self.ids is not None:
            return list(self.ids)
        return {"party": self.party} if self.party is not None else "all"


HolderSelection = Annotated[
    HolderSet,
    WithJsonSchema(
        {
            "anyOf": [
                {"const": "all"},
                {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}},
                {
                    "type": "object",
                    "properties": {"party": {"type": "string"}},
                    "required": ["party"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]


class Phase(Model):
    from_: Duration = Field(0.0, alias="from")
    to: Duration | None = None  # None: until the end of the scenario
    holders: HolderSelection = HolderSet()
    profile: Id | None = None  # a consumption profile of the holders; None adds no demand
    activity: Id | None = None  # None: the phase does not change what the holders are doing
    demand_factor: NonNegative = 1.0


class DelaySupplyLines(Model):
    lines: tuple[Id, ...] = Field(min_length=1)
    by: Duration


class CloseRoutes(Model):
    routes: tuple[tuple[Id, Id], ...] = Field(min_length=1)
    for_: Duration | None = Field(None, alias="for")  # None: closed to the end


class DestroyStock(Model):
    holder: Id
    commodity: Id
    fraction: Fraction


class Event(Model):
    at: Duration
    event: str = "event"  # a free name, shown in the report
    delay_supply_lines: DelaySupplyLines | None = None
    close_routes: CloseRoutes | None = None
    destroy_stock: tuple[DestroyStock, ...] = ()  # the file may give one mapping or a list

    @model_validator(mode="before")
    @classmethod
    def _one_or_many(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("destroy_stock"), dict):
            data = {**data, "destroy_stock": [data["destroy_stock"]]}
        return data


def _timeline_kind(item: Any) -> str:
    return "event" if isinstance(item, dict) and ("at" in item or "event" in item) else "phase"


TimelineItem = Annotated[
    Annotated[Phase, Tag("phase")] | Annotated[Event, Tag("event")],
    Discriminator(_timeline_kind),
]


# --- the scenario -----------------------------------------------------------------------------


class Policy(Model):
    acsa: Literal["never", "when_national_late", "first"] = "when_national_late"


class Scenario(Model):
    """A whole scenario file, validated. Times inside are hours from `start` (R1)."""

    acsasim: Literal[1]
    name: Name
    description: str = ""
    start: Timestamp
    duration: Duration
    seed: int = Field(0, ge=0)
    tick: Duration = 6.0
    handling: Duration = 1.0  # transit time within one site
    reporting_currency: CurrencyCode = "USD"
    currencies: dict[CurrencyCode, Positive] = {}  # units per 1 reporting unit
    policy: Policy = Policy()
    activities: tuple[Id, ...] = STANDARD_ACTIVITIES  # the ids phases and agreements may name
    parties: dict[Id, Party] = Field(min_length=1)
    commodities: dict[Id, Commodity] = Field(min_length=1)
    prices: dict[Id, dict[Id, NonNegative]] = {}
    sites: dict[Id, Site] = Field(min_length=1)
    routes: tuple[Route, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    supply_lines: tuple[SupplyLine, ...] = ()
    holders: tuple[Holder, ...] = Field(min_length=1)
    timeline: tuple[TimelineItem, ...] = ()

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
        covered = [a for a in DEFAULT_ACTIVITIES if a in declared]
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
