"""The timeline of a scenario: phases (who does what, and consumes how much, when) and events
(what disturbs the world, and when). Part of the format of `model.py`, described the same way.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, WithJsonSchema, model_serializer, model_validator

from acsasim.scenario.base import Model
from acsasim.scenario.types import ID_PATTERN, Duration, Fraction, Id, NonNegative, Unit


class HolderSet(Model):
    """`all`, a list of holder ids, or `{party: JP}`; dumps back to the form it was written in."""

    ids: tuple[Id, ...] | None = None
    """The holders named in a list; None for `all` or a party."""
    party: Id | None = None
    """Every holder of this party."""

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
                    "properties": {
                        "party": {"type": "string", "description": "Every holder of this party."}
                    },
                    "required": ["party"],
                    "additionalProperties": False,
                },
            ],
            "examples": ["all", ["jgsdf-coy", "ph-inf-bn"], {"party": "JP"}],
        }
    ),
]


class Phase(Model):
    """A period in which some holders follow a consumption profile and an activity."""

    from_: Duration = Field(0.0, alias="from")
    """Start, as a time from the scenario start."""
    to: Duration | None = None
    """End, as a time from the scenario start; left out, to the end of the scenario."""
    holders: HolderSelection = HolderSet()
    """Whom it applies to: `all`, a list of holder ids, or `{party: ID}`."""
    profile: Id | None = None
    """A consumption profile of those holders, added to their demand while the phase
    lasts (R2); left out, the phase adds no demand."""
    activity: Id | None = None
    """What the holders are doing (exercise, disaster_relief...): an agreement provides
    only for activities it lists (R5). The most recently started phase that names one
    sets it; with none, a holder's activity is `routine`."""
    demand_factor: Annotated[NonNegative, Unit("multiplier")] = 1.0
    """Multiplies the profile's rates during this phase (e.g. 1.5 for a surge)."""
    hostilities: bool = False
    """`true` while the holders of this phase are in active hostilities: no ceiling binds on
    what they receive, and it does not count against any (R14, 10 U.S.C. 2347)."""


class DelaySupplyLines(Model):
    """Shipments of some supply lines arrive later (R6)."""

    lines: tuple[Id, ...] = Field(min_length=1)
    """Ids of the supply lines delayed."""
    by: Duration
    """How much later every shipment under way at the event arrives."""


class CloseRoutes(Model):
    """Routes that cannot be travelled for a while (R6)."""

    routes: tuple[tuple[Id, Id], ...] = Field(min_length=1)
    """The routes closed, each as the pair of site ids it joins."""
    for_: Duration | None = Field(None, alias="for")
    """How long they stay closed; left out, to the end of the scenario."""


class DestroyStock(Model):
    """Part of a holder's stock is lost (recorded as a loss, not as consumption)."""

    holder: Id
    """The holder that loses stock."""
    commodity: Id
    """The commodity lost; it must be in the holder's stock."""
    fraction: Fraction
    """Share of its on-hand stock lost at that moment, e.g. 0.5 for half."""


class OffsetNow(Model):
    """The creditors of an agreement decide, at this moment, to offset (R13)."""

    agreement: Id
    """The agreement whose balances are offset: every unsettled balance that may be offset
    by its `offset` terms (all of them, if it has none) is netted against what is owed the
    other way, oldest first."""


class ExchangeNow(Model):
    """A debtor gives equal value outside the simulated flows, at this moment (R10)."""

    agreement: Id
    """The agreement whose equal-value balances are settled."""
    debtor: Id
    """The party that gives the equal value: its equal-value balances under the agreement
    are settled, oldest first."""
    value: Annotated[NonNegative | None, Unit("reporting currency")] = None
    """How much value it gives; left out, all it owes by equal value."""


class Hostilities(Model):
    """A period of active hostilities from an event (R14)."""

    for_: Duration | None = Field(None, alias="for")
    """How long it lasts; left out, to the end of the scenario. Meanwhile no ceiling of any
    agreement binds, and what is provided does not count against one."""


class Event(Model):
    """Something that happens at one moment and disturbs the world."""

    at: Duration
    """When, as a time from the scenario start."""
    event: str = "event"
    """A free name shown in the report, e.g. typhoon."""
    delay_supply_lines: DelaySupplyLines | None = None
    """Delay the shipments of some supply lines."""
    close_routes: CloseRoutes | None = None
    """Close some routes for a while."""
    destroy_stock: tuple[DestroyStock, ...] = ()  # the file may give one mapping or a list
    """Stock losses: one mapping or a list of them."""
    offset: OffsetNow | None = None
    """Offset the balances of an agreement now (R13)."""
    exchange: ExchangeNow | None = None
    """Settle equal-value balances by an exchange outside the simulated flows (R10)."""
    hostilities: Hostilities | None = None
    """Active hostilities begin: ceilings are lifted for a while (R14)."""

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
