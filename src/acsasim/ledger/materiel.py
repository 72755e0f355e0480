"""Materiel books: every movement of stock, and on-hand per holder (R15).

R15 says materiel is conserved: for each holder and commodity, initial +
receipts - issues - consumption - losses = on hand, and on hand never goes below
zero. `StockBook.move` refuses a movement that would break that, naming the
event that caused it, so a bug in the engine shows up where it happens instead
of as a negative number in flows.csv.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from acsasim.ledger.entries import FLOW_KINDS, Flow

#: Kinds that bring stock into the holder (quantity >= 0) ...
INFLOW_KINDS = frozenset({"initial", "national_receipt", "acsa_receipt", "return_in"})
#: ... and kinds that take it out (quantity <= 0).
OUTFLOW_KINDS = frozenset({"consume", "acsa_issue", "return_out", "loss"})
#: Float noise below this is clamped instead of refused.
EPSILON = 1e-9
#: Tolerance of the conservation re-check (absolute; relative for big stocks).
TOLERANCE = 1e-6

HOURS_PER_DAY = 24.0

Key = tuple[str, str]  # (holder, commodity)


_KINDS = frozenset(FLOW_KINDS)  # membership on every move: a set, not a tuple scan


class MaterielError(Exception):
    """A movement of materiel that would break conservation (R15)."""


class StockBook:
    """Flows of materiel and on-hand stock of every holder and commodity."""

    def __init__(self) -> None:
        self._flows: list[Flow | None] = []
        self._on_hand: dict[Key, float] = {}
        # Read-only view for hot loops that cannot afford a method call per look-up.
        self.levels: Mapping[Key, float] = MappingProxyType(self._on_hand)
        self._open: dict[Key, _OpenConsume] = {}  # today's consume row, still growing
        self._party: dict[str, str] = {}  # holder -> party, fixed on first move
        self._clock = -math.inf
        self._clock_day = -1

    @property
    def flows(self) -> list[Flow]:
        """Every movement so far, in time order, today's consume rows as they stand."""
        for row in self._open.values():
            self._flows[row.index] = row.flow()
        return self._flows  # type: ignore[return-value]  # every None is an open row

    def on_hand(self, holder: str, commodity: str) -> float:
        """Current on-hand stock (0.0 for a holder or commodity never moved)."""
        return self._on_hand.get((holder, commodity), 0.0)

    def move(
        self,
        time: float,
        holder: str,
        party: str,
        commodity: str,
        kind: str,
        quantity: float,
        unmet: float = 0.0,
        order_id: str | None = None,
        cause: str = "",
    ) -> None:
        """Record a signed movement (+ into `holder`) and update on-hand (R15).

        `cause` names the event behind the movement (a demand tick, an order, a
        `destroy_stock` event...) and only serves the error message.
        """
        problem = self._problem(time, holder, party, kind, quantity, unmet)
        key = (holder, commodity)
        before = self._on_hand.get(key, 0.0)
        after = before + quantity
        if problem is None and after < -EPSILON:
            problem = f"on hand {before} would go below zero (R15)"
        if problem is not None:
            # the message is built only here: move() runs for every receipt, issue and return
            raise MaterielError(
                f"refused {kind} of {quantity} {commodity} at {holder} ({party}) at t={time}h"
                f" [cause: {cause or 'unspecified'}]: {problem}"
            )
        if after < 0.0:  # float noise: take exactly what is there
            quantity, after = -before, 0.0
        flow = Flow(float(time), holder, party, commodity, kind, quantity, unmet, order_id)
        self._record(key, flow)
        self._on_hand[key] = after
        self._party[holder] = party
        if time != self._clock:
            self._clock, self._clock_day = time, _day(time)

    def consumer(
        self, holder: str, party: str, demand: Sequence[tuple[str, Sequence[float]]]
    ) -> Consumer:
        """A holder's demand schedule, (commodity, demand in each tick), booked against this
        book one tick at a time by `Consumer.tick` (R2, R15)."""
        known = self._party.get(holder, party)
        if known != party:
            raise MaterielError(f"refused demand of {holder}: it belongs to {known}, not {party}")
        return Consumer(self, holder, party, demand)

    def _tick(self, time: float) -> int:
        """Move the clock to `time` (never back); the simulation day it falls in."""
        if time != self._clock:
            if time < self._clock:
                raise MaterielError(f"refused consume at t={time}h: time goes back")
            self._clock, self._clock_day = time, _day(time)
        return self._clock_day

    def _open_row(self, key: Key, time: float, party: str, served: float, unmet: float) -> None:
        """Start today's consume row of `key`, closing yesterday's (whose object is reused:
        this runs once a day for every holder and commodity)."""
        row = self._open.get(key)
        if row is None:
            self._party.setdefault(key[0], party)
            row = self._open[key] = _OpenConsume(len(self._flows), time, key, party, 0.0, 0.0)
        else:
            self._flows[row.index] = row.flow()  # yesterday's row is final
            row.index, row.day, row.time = len(self._flows), _day(time), time
        row.quantity, row.unmet = -served, unmet
        self._flows.append(None)

    def _problem(
        self,
        time: float,
        holder: str,
        party: str,
        kind: str,
        quantity: float,
        unmet: float,
    ) -> str | None:
        """What is malformed about a movement, checked before anything changes."""
        if kind not in _KINDS:
            return f"unknown kind, expected one of {FLOW_KINDS}"
        if not (math.isfinite(time) and math.isfinite(quantity) and math.isfinite(unmet)):
            return "time, quantity and unmet must be finite"
        if time < self._clock:
            # flows.csv is read in time order; out-of-order rows would hide a dip below zero
            return f"time goes back from t={self._clock}h"
        if (kind in INFLOW_KINDS and quantity < 0) or (kind in OUTFLOW_KINDS and quantity > 0):
            return f"wrong sign for {kind}"
        if unmet < 0 or (unmet and kind != "consume"):
            return f"unmet {unmet} (only >= 0, on consume rows)"
        known = self._party.get(holder, party)
        if known != party:
            return f"holder belongs to {known}, not {party}"
        return None

    def _record(self, key: Key, flow: Flow) -> None:
        """Append `flow`, or merge it into the same day's consume row (outputs.md).

        A consume merges into the last flow of its holder and commodity when that
        flow is a consume of the same simulation day: the merged row keeps the
        first time and sums quantity and unmet, so at most one consume row per day
        stands between other movements, and the running sum still never dips.
        """
        row = self._open.get(key)
        if flow.kind == "consume":
            if row is not None and row.day == _day(flow.time):
                row.quantity += flow.quantity
                row.unmet += flow.unmet
            else:
                self._open_row(key, flow.time, flow.party, -flow.quantity, flow.unmet)
            return
        if row is not None:
            self._flows[row.index] = row.flow()  # another movement closes today's row
            del self._open[key]
        self._flows.append(flow)

    def check_conservation(self) -> None:
        """Re-check R15 from the flows alone; raise MaterielError if it fails.

        Per holder and commodity, the signed flows sum to on hand and their
        running sum never dips below zero.
        """
        running: dict[Key, float] = {}
        for flow in self.flows:
            key = (flow.holder, flow.commodity)
            running[key] = running.get(key, 0.0) + flow.quantity
            if running[key] < -EPSILON:
                raise MaterielError(
                    f"{flow.commodity} at {flow.holder} dips to {running[key]} "
                    f"at t={flow.time}h ({flow.kind}) (R15)"
                )
        for key in running.keys() | self._on_hand.keys():
            total, stock = running.get(key, 0.0), self._on_hand.get(key, 0.0)
            if not math.isclose(total, stock, rel_tol=1e-12, abs_tol=TOLERANCE):
                raise MaterielError(
                    f"{key[1]} at {key[0]}: flows sum to {total} but on hand is {stock} (R15)"
                )


class Consumer:
    """One holder's demand, booked every tick for all its commodities in one call.

    The same books as `move(..., "consume", -served, unmet=...)` per commodity,
    without the checks that cannot fail here: the demand is checked finite and
    non-negative once, up front, and serving at most what is on hand keeps stock
    non-negative. It runs for every holder every tick, hence one call, not one
    per commodity.
    """

    def __init__(
        self,
        book: StockBook,
        holder: str,
        party: str,
        demand: Sequence[tuple[str, Sequence[float]]],
    ) -> None:
        for commodity, amounts in demand:
            # C-speed scan: a NaN or infinity makes the sum non-finite
            if amounts and not (min(amounts) >= 0 and math.isfinite(sum(amounts))):
                raise MaterielError(f"demand of {commodity} at {holder} must be finite and >= 0")
        self._book, self._party = book, party
        self._items = [((holder, commodity), amounts) for commodity, amounts in demand]

    def tick(self, time: float, k: int) -> list[tuple[str, float, float]]:
        """Serve tick `k`'s demand at `time`; (commodity, demand, unmet) of each one short."""
        book = self._book
        day = book._tick(time)
        on_hand, rows = book._on_hand, book._open
        short = []
        for key, amounts in self._items:
            wanted = amounts[k]
            if wanted <= 0:
                continue
            before = on_hand.get(key, 0.0)
            served = wanted if wanted <= before else before
            on_hand[key] = before - served
            unmet = wanted - served
            row = rows.get(key)
            if row is not None and row.day == day:
                row.quantity -= served
                row.unmet += unmet
            else:
                book._open_row(key, time, self._party, served, unmet)
            if unmet > EPSILON:
                short.append((key[1], wanted, unmet))
        return short


class _OpenConsume:
    """The consume row of a holder and commodity that today's demand still adds to."""

    __slots__ = ("commodity", "day", "holder", "index", "party", "quantity", "time", "unmet")

    def __init__(
        self, index: int, time: float, key: Key, party: str, quantity: float, unmet: float
    ) -> None:
        self.index, self.day, self.time, self.party = index, _day(time), time, party
        self.holder, self.commodity = key
        self.quantity, self.unmet = quantity, unmet

    def flow(self) -> Flow:
        return Flow(
            self.time,
            self.holder,
            self.party,
            self.commodity,
            "consume",
            self.quantity,
            self.unmet,
            None,
        )


def _day(time: float) -> int:
    """Simulation day of an hour count (day 0 is the first 24 hours)."""
    return math.floor(time / HOURS_PER_DAY)
