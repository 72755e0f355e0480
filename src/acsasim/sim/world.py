"""The world on SimPy: built from a Scenario, run, and returned as a RunResult.

`simulate(scenario, seed)` is the engine's one entry point. The world holds the
shared state (stock book, ledger, network, holders) and the handlers that touch
more than one part of it: receipts, the settlement method on receipt (R8), and
timeline events.
"""

from __future__ import annotations

import math
import time

import simpy

from acsasim.ledger import Converter, Ledger, Order, StockBook
from acsasim.ledger.entries import evolve
from acsasim.ledger.settlement import method_for
from acsasim.result import RunResult
from acsasim.scenario.model import Agreement, Event, Scenario
from acsasim.sim.desk import Desk
from acsasim.sim.gc_tuning import fewer_collections
from acsasim.sim.holders import HolderState
from acsasim.sim.logistics import NationalLine, Network
from acsasim.sim.reorder import Reorder
from acsasim.sim.settle import Settlement
from acsasim.sim.streams import Streams


def simulate(scenario: Scenario, seed: int | None = None, *, log: bool = False) -> RunResult:
    """Run one replication. `seed` defaults to the scenario's; `log` keeps the event log."""
    seed = scenario.seed if seed is None else int(seed)
    if seed != scenario.seed:
        scenario = scenario.model_copy(update={"seed": seed})
    started = time.perf_counter()
    with fewer_collections():
        world = World(scenario, log=log)
        world.env.run(until=scenario.duration)
        world.stock.check_conservation()
        return world.result(time.perf_counter() - started)


class World:
    def __init__(self, scenario: Scenario, *, log: bool = False) -> None:
        s = self.scenario = scenario
        self.env = simpy.Environment()
        self.streams = Streams(s.seed)
        self.n_ticks = math.ceil(s.duration / s.tick - 1e-9)
        self.stock = StockBook()
        self.ledger = Ledger()
        self.converter = Converter(s.rates, s.reporting_currency)
        self._log: list[tuple[float, str]] | None = [] if log else None
        self.agreements = {ag.id: ag for ag in s.agreements}
        self.network = Network(self)
        self.lines = {spec.id: NationalLine(self, spec) for spec in s.supply_lines}
        self.holders = {spec.id: HolderState(self, spec) for spec in s.holders}
        self.holders_of_party: dict[str, list[HolderState]] = {}
        for h in self.holders.values():
            self.holders_of_party.setdefault(h.spec.party, []).append(h)
        self.desk = Desk(self)
        self.reorder = Reorder(self)
        self.settlement = Settlement(self)
        self._stock_initial()
        self._schedule_events()
        for h in self.holders.values():
            self.env.process(h.run())

    def log(self, template: str, *args: object) -> None:
        """Keep `template.format(*args)` in the event log; formatted only when the log is kept,
        since the engine logs every receipt and order."""
        if self._log is not None:
            self._log.append((self.env.now, template.format(*args)))

    def in_force_hours(self, ag: Agreement) -> float:
        if ag.in_force is None:
            return -math.inf
        return (ag.in_force - self.scenario.start).total_seconds() / 3600

    def _stock_initial(self) -> None:
        for h in self.holders.values():
            for commodity, level in h.spec.stock.items():
                h.move("initial", commodity, level.initial, cause="initial stock")

    # --- receipts ----------------------------------------------------------------------------

    def receive_national(self, holder: str, commodity: str, quantity: float, line: str) -> None:
        h = self.holders[holder]
        h.move("national_receipt", commodity, quantity, cause=f"supply line {line}")
        h.inbound[commodity] -= quantity
        self.log("{} receives {} {:g} from {}", holder, commodity, quantity, line)
        self.settlement.received(h, commodity)

    def receive_acsa(self, receiver: HolderState, order: Order, quantity: float) -> None:
        oid = order.order_id
        receiver.move("acsa_receipt", order.commodity, quantity, order_id=oid, cause=oid)
        receiver.inbound[order.commodity] -= quantity
        self.log("{} {} receives {} {:g}", oid, receiver.spec.id, order.commodity, quantity)

    def settle_on_receipt(self, order: Order) -> None:
        """R8: the order takes the first settlement method that applies; due = delivery +
        deadline."""
        ag = self.agreements[order.agreement]
        service = self.scenario.commodities[order.commodity].service
        now = self.env.now
        delivered = evolve(
            order,
            delivered_at=now,
            method=method_for(ag.settlement.methods, service),
            due_at=now + ag.settlement.deadline,
            status="open",
        )
        self.ledger.update_order(delivered)
        self.ledger.post_issue(now, delivered)
        self.log("{} delivered, {}, due {:g}h", order.order_id, delivered.method, delivered.due_at)
        self.settlement.delivered(delivered)

    # --- timeline events ---------------------------------------------------------------------

    def _schedule_events(self) -> None:
        """All events are scheduled now, before any holder tick exists: SimPy fires equal times
        in scheduling order, so an event at t acts before demand at t, and events at one
        time act in file order."""
        for event in sorted(self.scenario.events, key=lambda e: e.at):
            self.env.timeout(event.at).callbacks.append(lambda _, e=event: self._apply(e))

    def _apply(self, event: Event) -> None:
        self.log("event {}", event.event)
        if event.delay_supply_lines is not None:
            for line in event.delay_supply_lines.lines:
                self.lines[line].delay(event.delay_supply_lines.by)
        if event.close_routes is not None:
            pairs = {frozenset(p) for p in event.close_routes.routes}
            closed = [
                i for i, r in enumerate(self.scenario.routes) if frozenset(r.between) in pairs
            ]
            self.network.close(closed, event.close_routes.for_)
        for d in event.destroy_stock:
            h = self.holders[d.holder]
            lost = h.on_hand(d.commodity) * d.fraction
            h.move("loss", d.commodity, -lost, cause=f"event {event.event}")
            self.reorder.check(h, d.commodity)

    # --- the result --------------------------------------------------------------------------

    def result(self, wall: float) -> RunResult:
        stockout = {
            (h.spec.id, c): hours
            for h in self.holders.values()
            for c, hours in h.stockout_hours.items()
        }
        return RunResult(
            scenario=self.scenario,
            seed=self.scenario.seed,
            orders=tuple(self.ledger.orders),
            transactions=tuple(self.ledger.transactions),
            flows=tuple(self.stock.flows),
            refusals=tuple(self.desk.refusals),
            stockout_hours=stockout,
            log=tuple(self._log or ()),
            events_dispatched=_dispatched(self.env),
            wall_seconds=wall,
        )


def _dispatched(env: simpy.Environment) -> int:
    # SimPy numbers every scheduled event from one counter; reading it costs nothing per event.
    counter = getattr(env, "_eid", None)
    return next(counter) if counter is not None else 0
