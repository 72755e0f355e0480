"""The world on SimPy: built from a Scenario, run, and returned as a RunResult.

`simulate(scenario, seed)` is the engine's one entry point. `World` is wiring: it numbers
the holders and commodities, lays out their stock levels as holders x commodities arrays,
builds the parts (agenda, network, transport, supply lines, desk, reorder, settlement,
clock) and hands each the world; it owns no rule beyond receipts and timeline events.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import simpy

from acsasim.ledger import Books, Converter, Order, StockBook
from acsasim.ledger.money import exact, half_up, minor
from acsasim.ledger.orders import order_id
from acsasim.ledger.records import Refusal
from acsasim.result import RunResult
from acsasim.scenario.model import Agreement, Event, Scenario, SupplyLine
from acsasim.sim.agenda import Agenda, Phase
from acsasim.sim.clock import Clock
from acsasim.sim.commercial import Purchases
from acsasim.sim.cross_level import CrossLevel
from acsasim.sim.desk import Desk
from acsasim.sim.gc_tuning import fewer_collections
from acsasim.sim.network import Network
from acsasim.sim.reorder import Reorder
from acsasim.sim.settle import Settlement
from acsasim.sim.streams import Streams
from acsasim.sim.supply import NationalLine
from acsasim.sim.terms import TermsBook
from acsasim.sim.timeline import Schedule
from acsasim.sim.transport import Fleet, Transport
from acsasim.vocab import FlowKind, Reason


def simulate(
    scenario: Scenario,
    seed: int | None = None,
    *,
    log: bool = False,
    on_order: Callable[[Order], None] | None = None,
) -> RunResult:
    """Run one replication. `seed` defaults to the scenario's; `log` keeps the event log;
    `on_order`, if given, is called with an order's new state each time it changes (for
    tracing an order's life; it slows the run)."""
    seed = scenario.seed if seed is None else int(seed)
    if seed != scenario.seed:
        scenario = scenario.model_copy(update={"seed": seed})
    started = time.perf_counter()
    with fewer_collections():
        world = World(scenario, log=log)
        if on_order is not None:
            orders = world.books.orders
            orders.observers.append(lambda row: on_order(orders.record(row)))
        world.env.run(until=scenario.duration)
        world.finish()
        return world.result(time.perf_counter() - started)


class World:
    def __init__(self, scenario: Scenario, *, log: bool = False) -> None:
        s = self.scenario = scenario
        self.env = simpy.Environment()
        self.agenda = Agenda(self.env)
        self.streams = Streams(s.seed)
        self.logging = log
        self._log: list[tuple[float, str]] = []
        self._number(s)
        self.stock = StockBook(self.ids, self.party, self.commodities, self.scale)
        self.books = Books(self.stock, Converter(s.rates, s.reporting_currency))
        self.inbound = np.zeros(self.stock.on_hand.shape, dtype=np.int64)
        self.refusals: list[Refusal] = []
        self._episodes: dict[tuple[int, int], set[tuple[str, int, Reason]]] = {}
        self.agreements = {ag.id: ag for ag in s.agreements}
        self.in_force_hours = {ag.id: self._hours(ag) for ag in s.agreements}
        self.network = Network(s, self.streams, self.agenda)
        self.lines = {spec.id: self._line(spec) for spec in s.supply_lines}
        self.line = [self.lines.get(h.supplied_by or "") for h in s.holders]
        self.transport = Transport(self.network, self.site, *self._fleets())
        self.terms = TermsBook(s, self.streams)
        self.desk = Desk(self)
        self.cross_level = CrossLevel(self)
        self.purchases = Purchases(self)
        self.reorder = Reorder(self)
        self.settlement = Settlement(self)
        self.can_order = self._can_order()
        self._stock_initial()
        self._schedule_events()
        self.clock = Clock(self)

    # --- numbering and levels -----------------------------------------------------------------

    def _number(self, s: Scenario) -> None:
        """Holders and commodities as rows and columns; stock levels as integer arrays of each
        commodity's resolution."""
        self.ids = [h.id for h in s.holders]
        self.hidx = {hid: i for i, hid in enumerate(self.ids)}
        self.party = [h.party for h in s.holders]
        self.site = [h.site for h in s.holders]
        self.territory = [s.sites[h.site].party for h in s.holders]
        self.is_depot = [h.kind == "depot" for h in s.holders]
        self.rank = np.argsort(np.argsort(self.ids)).tolist()  # R4 ties: by id
        self.schedules = [Schedule(s, h) for h in s.holders]
        self.holders_of_party: dict[str, list[int]] = {}
        for i, party in enumerate(self.party):
            self.holders_of_party.setdefault(party, []).append(i)
        self.commodities = list(s.commodities)
        self.cidx = {c: i for i, c in enumerate(self.commodities)}
        self.scale = [s.commodities[c].scale for c in self.commodities]
        self.unit = [s.commodities[c].unit for c in self.commodities]
        self.category = [s.commodities[c].category for c in self.commodities]
        self.service = [s.commodities[c].service for c in self.commodities]
        self.restricted = [s.commodities[c].restricted for c in self.commodities]
        self.task = [s.commodities[c].task for c in self.commodities]  # R22
        self.gratis = s.gratis  # R22: activities provided for as aid
        # R3, R4: requests and issues in whole units of issue (resolution units; 1: any)
        self.issue_unit = [
            1 if (u := s.commodities[c].unit_of_issue) is None else self.units(i, u)
            for i, c in enumerate(self.commodities)
        ]
        shape = (len(self.ids), len(self.commodities))
        self.stocked = np.zeros(shape, dtype=bool)
        self.initial, self.capacity, self.reorder_level, self.reserve, self.keep = (
            np.zeros(shape, dtype=np.int64) for _ in range(5)
        )
        for h, spec in enumerate(s.holders):
            for commodity, lv in spec.stock.items():
                c = self.cidx[commodity]
                self.stocked[h, c] = True
                for array, level in (
                    (self.initial, lv.initial),
                    (self.capacity, lv.capacity),
                    (self.reorder_level, lv.reorder),
                    (self.reserve, lv.reserve),
                ):
                    array[h, c] = self.units(c, level)
        # What a holder keeps for itself (R4): a unit its reorder level, a depot its reserve.
        depot = np.array(self.is_depot, dtype=bool)[:, None]
        self.keep = np.where(depot, self.reserve, self.reorder_level)

    def units(self, commodity: int, quantity: float) -> int:
        """A quantity of the scenario in whole units of the commodity's resolution, half up."""
        q = exact(quantity) * self.scale[commodity]
        return half_up(q.numerator, q.denominator)

    def amount(self, commodity: int, units: int) -> str:
        """A quantity for the event log, in the commodity's unit."""
        return f"{units / self.scale[commodity]:g}"

    def _hours(self, ag: Agreement) -> float:
        if ag.in_force is None:
            return -math.inf
        return (ag.in_force - self.scenario.start).total_seconds() / 3600

    def _line(self, spec: SupplyLine) -> NationalLine:
        return NationalLine(
            spec,
            capacity={self.cidx[c]: self.units(self.cidx[c], q) for c, q in spec.capacity.items()},
            commodities={self.cidx[c] for c in spec.commodities},
            streams=self.streams,
            agenda=self.agenda,
            network=self.network,
            sites=self.site,
            end=self.scenario.duration,
            receive=lambda h, c, q: self.receive_national(h, c, q, spec.id),
        )

    def _fleets(self) -> tuple[list[Fleet | None], list[dict[int, int]]]:
        fleets: list[Fleet | None] = []
        loads: list[dict[int, int]] = []
        for h in self.scenario.holders:
            t = h.transport
            fleets.append(Fleet(t.vehicles) if t else None)
            loads.append(
                {self.cidx[c]: max(1, self.units(self.cidx[c], q)) for c, q in t.load.items()}
                if t
                else {}
            )
        return fleets, loads

    def _can_order(self) -> np.ndarray:
        """Which holders and commodities can ever order (R3), so the clock looks at no other."""
        allies = self.scenario.policy.acsa != "never" and bool(self.scenario.agreements)
        # R21: a unit may draw on another holder of its party that stocks the commodity
        stocking = {(p, c): 0 for p in self.holders_of_party for c in range(len(self.scale))}
        for h, c in zip(*np.nonzero(self.stocked), strict=True):
            stocking[(self.party[h], int(c))] += 1
        cross = self.scenario.policy.cross_level
        can = np.zeros(self.stocked.shape, dtype=bool)
        for h, line in enumerate(self.line):
            for c in range(len(self.commodities)):
                national = line is not None and line.carries(c)
                unit = not self.is_depot[h]
                mine = cross and unit and stocking[(self.party[h], c)] > 1
                can[h, c] = self.stocked[h, c] and (national or (allies and unit) or mine)
        return can

    def _stock_initial(self) -> None:
        for h, c in zip(*np.nonzero(self.stocked), strict=True):
            self.stock.move(0.0, int(h), int(c), FlowKind.INITIAL, int(self.initial[h, c]))

    # --- what others ask of the world ---------------------------------------------------------

    def activity(self, holder: int, t: float) -> str:
        return self.schedules[holder].at(t).activity

    def log(self, line: str) -> None:
        """Keep a line of the event log (callers check `logging` first, so nothing is
        formatted when no log is kept)."""
        self._log.append((self.env.now, line))

    def refuse(
        self,
        ag: Agreement,
        receiver: int,
        provider: int | None,
        commodity: int,
        requested: int,
        refused: int,
        reason: Reason,
    ) -> None:
        """Record a refusal (R5) once per request episode: retries of the same request with the
        same outcome while the holder stays at or below its reorder level add no row."""
        seen = self._episodes.setdefault((receiver, commodity), set())
        mark = (ag.id, -1 if provider is None else provider, reason)
        if mark in seen:
            return
        seen.add(mark)
        scale = self.scale[commodity]
        self.refusals.append(
            Refusal(
                time=self.env.now,
                agreement=ag.id,
                requester=self.ids[receiver],
                requester_party=self.party[receiver],
                provider="" if provider is None else self.ids[provider],
                provider_party="" if provider is None else self.party[provider],
                commodity=self.commodities[commodity],
                requested=requested / scale,
                refused=refused / scale,
                reason=str(reason),
            )
        )
        if self.logging:
            by = "" if provider is None else f" by {self.ids[provider]}"
            self.log(
                f"refused {self.ids[receiver]} {self.commodities[commodity]} "
                f"{self.amount(commodity, refused)} {reason}{by}"
            )

    def end_episodes(self) -> None:
        """Request episodes end when the holder's position is back above its reorder level."""
        for key in list(self._episodes):
            h, c = key
            if self.stock.on_hand[h, c] + self.inbound[h, c] > self.reorder_level[h, c]:
                del self._episodes[key]

    def receive_national(self, holder: int, commodity: int, quantity: int, line: str) -> None:
        self.stock.move(self.env.now, holder, commodity, FlowKind.NATIONAL_RECEIPT, quantity)
        self.inbound[holder, commodity] -= quantity
        self.purchases.received(line, holder, commodity, quantity)
        if self.logging:
            self.log(
                f"{self.ids[holder]} receives {self.commodities[commodity]} "
                f"{self.amount(commodity, quantity)} from {line}"
            )
        self.settlement.received(holder, commodity)

    def receive_acsa(self, row: int, holder: int, commodity: int, quantity: int) -> None:
        now = self.env.now
        self.stock.move(now, holder, commodity, FlowKind.ACSA_RECEIPT, quantity, row, "a receipt")
        self.inbound[holder, commodity] -= quantity
        if self.logging:
            self.log(
                f"{order_id(row)} {self.ids[holder]} receives {self.commodities[commodity]} "
                f"{self.amount(commodity, quantity)}"
            )

    # --- timeline events ----------------------------------------------------------------------

    def _schedule_events(self) -> None:
        """Events act first in their instant, in file order (agenda phase EVENTS)."""
        for event in self.scenario.events:
            self.agenda.at(event.at, partial(self._apply, event), Phase.EVENTS)

    def _apply(self, event: Event) -> None:
        if self.logging:
            self.log(f"event {event.event}")
        if event.delay_supply_lines is not None:
            for line in event.delay_supply_lines.lines:
                self.lines[line].delay(event.delay_supply_lines.by)
        if event.close_routes is not None:
            pairs = {frozenset(p) for p in event.close_routes.routes}
            closed = [
                i for i, r in enumerate(self.scenario.routes) if frozenset(r.between) in pairs
            ]
            self.network.close(closed, event.close_routes.for_)
        if event.offset is not None:
            self.settlement.netting.offset_event(event.offset.agreement)
        if event.exchange is not None:
            x = event.exchange
            value = (
                None if x.value is None else minor(exact(x.value), self.books.converter.reporting)
            )
            self.settlement.netting.exchange_event(x.agreement, x.debtor, value)
        for d in event.destroy_stock:
            h, c = self.hidx[d.holder], self.cidx[d.commodity]
            share = exact(d.fraction) * self.stock.level(h, c)
            lost = half_up(share.numerator, share.denominator)
            cause = f"event {event.event}"
            self.stock.move(self.env.now, h, c, FlowKind.LOSS, -lost, cause=cause)
            self.reorder.check(h, c)

    # --- the end ------------------------------------------------------------------------------

    def end_day(self) -> None:
        """Close the day's consumption rows and check the day's books (R15)."""
        self.stock.end_day()
        self.books.check()

    def finish(self) -> None:
        """Close the books of the run and check all of them (R15)."""
        self.stock.end_day()
        self.books.check_all()

    def result(self, wall: float) -> RunResult:
        stockout = {
            (self.ids[h], self.commodities[c]): float(self.clock.stockout[h, c])
            for h, c in zip(*np.nonzero(self.clock.stockout), strict=True)
        }
        return RunResult(
            scenario=self.scenario,
            seed=self.scenario.seed,
            books=self.books,
            refusals=tuple(self.refusals),
            purchases=tuple(self.purchases.records),
            stockout_hours=stockout,
            log=tuple(self._log),
            events_dispatched=self.agenda.scheduled,
            wall_seconds=wall,
        )
