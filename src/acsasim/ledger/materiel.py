"""Materiel books: on-hand stock of every holder and commodity, and every movement (R15).

R15 says materiel is conserved: for each holder and commodity, initial + receipts -
issues - consumption - losses = on hand, and on hand never goes below zero. Quantities
are integers of each commodity's resolution (a litre counted in thousandths, a meal or a
round in ones), so the books are exact at any tick length and any run length: no float
residue, no negative dust.

Stock is a holders x commodities array. Two kinds of booking write it, both here:
`consume` books one tick's demand of every holder at once (R2), and `move` books one
movement (a receipt, an issue, a return, a loss). Consumption is written to flows.csv as
one row per holder, commodity and day, placed at the day's first consumption; any other
movement of that holder and commodity closes the row, and a new one opens after it, so
the running sum of flows.csv in row order is the stock over time and never dips (R15).
`checks.check_materiel` re-checks all of it in batches.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from acsasim.ledger.entries import Flow
from acsasim.ledger.orders import order_id
from acsasim.vocab import INFLOWS, FlowKind

#: Flow kinds by their code in the flow columns, and back.
KINDS = tuple(FlowKind)
CODE = {kind: i for i, kind in enumerate(KINDS)}
_INFLOW_CODES = frozenset(CODE[k] for k in INFLOWS)
_CONSUME = CODE[FlowKind.CONSUME]
NO_ORDER = -1
NO_ROW = -1  # no consume row open for a holder and commodity


class MaterielError(Exception):
    """A movement of materiel that would break conservation (R15)."""


class StockBook:
    """On-hand stock and the flows of a run (see the module's docstring).

    `holders`, `parties` (each holder's party), `commodities` and `scales` (each
    commodity's units per whole unit: 1000 counts litres in millilitres) fix the rows
    and columns of the stock array.
    """

    def __init__(
        self,
        holders: Sequence[str],
        parties: Sequence[str],
        commodities: Sequence[str],
        scales: Sequence[int],
    ) -> None:
        self.holders, self.parties = list(holders), list(parties)
        self.commodities, self.scales = list(commodities), list(scales)
        shape = (len(self.holders), len(self.commodities))
        self.on_hand = np.zeros(shape, dtype=np.int64)
        # flow columns (append order is time order)
        self.time: list[float] = []
        self.holder: list[int] = []
        self.commodity: list[int] = []
        self.kind: list[int] = []
        self.quantity: list[int] = []
        self.unmet: list[int] = []
        self.order: list[int] = []
        # today's consume rows, still growing: flow row (or NO_ROW), served and unmet so far
        self._open = np.full(shape, NO_ROW, dtype=np.int64)
        self._served = np.zeros(shape, dtype=np.int64)
        self._short = np.zeros(shape, dtype=np.int64)
        self._clock = -np.inf

    def __len__(self) -> int:
        return len(self.time)

    # --- booking ------------------------------------------------------------------------------

    def move(
        self,
        time: float,
        holder: int,
        commodity: int,
        kind: FlowKind,
        quantity: int,
        order: int = NO_ORDER,
        cause: str = "",
    ) -> None:
        """Book one signed movement (+ into `holder`) of `quantity` (integer resolution units).

        `cause` names the event behind it for the error message only. Refused, with nothing
        changed, if it is malformed or would take stock below zero (R15).
        """
        code = CODE[kind]
        after = self.on_hand.item(holder, commodity) + quantity
        # a quick look first: `_problem` decides, and is asked only when something may be wrong
        signed = (code in _INFLOW_CODES) == (quantity >= 0)
        if after < 0 or time < self._clock or not signed or not isinstance(quantity, int):
            self._refuse(time, holder, commodity, kind, quantity, after, cause)
        if self._open.item(holder, commodity) >= 0:
            self._close(holder, commodity)
        self.on_hand[holder, commodity] = after
        self._clock = time
        self.time.append(time)
        self.holder.append(holder)
        self.commodity.append(commodity)
        self.kind.append(code)
        self.quantity.append(quantity)
        self.unmet.append(0)
        self.order.append(order)

    def _refuse(
        self,
        time: float,
        holder: int,
        commodity: int,
        kind: FlowKind,
        quantity: int,
        after: int,
        cause: str,
    ) -> None:
        problem = self._problem(time, CODE[kind], quantity, after)
        if problem:
            name = f"{self.commodities[commodity]} at {self.holders[holder]}"
            raise MaterielError(
                f"refused {kind} of {quantity} units of {name} at t={time}h"
                f" [cause: {cause or 'unspecified'}]: {problem}"
            )

    def consume(self, time: float, demand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Serve one tick's demand (holders x commodities, integer units) from stock (R2):
        returns (served, unmet). Demand must be >= 0; what stock cannot serve is unmet."""
        if time < self._clock:
            raise MaterielError(f"refused consumption at t={time}h: time goes back")
        self._clock = time
        served = np.minimum(demand, self.on_hand)
        self.on_hand -= served
        unmet = demand - served
        opening = (demand > 0) & (self._open < 0)
        if opening.any():
            hs, cs = np.nonzero(opening)
            n, first = len(hs), len(self.time)
            self._open[hs, cs] = np.arange(first, first + n)
            self.time.extend([time] * n)
            self.holder.extend(hs.tolist())
            self.commodity.extend(cs.tolist())
            self.kind.extend([_CONSUME] * n)
            self.quantity.extend([0] * n)
            self.unmet.extend([0] * n)
            self.order.extend([NO_ORDER] * n)
        self._served += served
        self._short += unmet
        return served, unmet

    def end_day(self) -> None:
        """Close every consume row: a new day starts new rows."""
        hs, cs = np.nonzero(self._open >= 0)
        rows = self._open[hs, cs].tolist()
        served = self._served[hs, cs].tolist()
        short = self._short[hs, cs].tolist()
        for row, q, u in zip(rows, served, short, strict=True):
            self.quantity[row], self.unmet[row] = -q, u
        self._open[hs, cs] = NO_ROW
        self._served[hs, cs] = 0
        self._short[hs, cs] = 0

    def _close(self, holder: int, commodity: int) -> None:
        row = int(self._open[holder, commodity])
        self.quantity[row] = -int(self._served[holder, commodity])
        self.unmet[row] = int(self._short[holder, commodity])
        self._open[holder, commodity] = NO_ROW
        self._served[holder, commodity] = 0
        self._short[holder, commodity] = 0

    def _problem(self, time: float, code: int, quantity: int, after: int) -> str:
        if not isinstance(quantity, int):
            return f"quantity must be whole units of resolution, got {quantity!r}"
        if time < self._clock:
            # flows.csv is read in time order; out-of-order rows would hide a dip below zero
            return f"time goes back from t={self._clock}h"
        if (code in _INFLOW_CODES) != (quantity >= 0) and quantity != 0:
            return f"wrong sign for {KINDS[code]}"
        if after < 0:
            return f"on hand would go below zero, to {after} (R15)"
        return ""

    # --- reading ------------------------------------------------------------------------------

    def level(self, holder: int, commodity: int) -> int:
        return self.on_hand.item(holder, commodity)  # a Python int: cheaper than indexing

    def flow(self, row: int) -> Flow:
        """Flow row `row` as an immutable record (quantities in the commodity's unit)."""
        h, c, o = self.holder[row], self.commodity[row], self.order[row]
        scale = self.scales[c]
        return Flow(
            self.time[row],
            self.holders[h],
            self.parties[h],
            self.commodities[c],
            str(KINDS[self.kind[row]]),
            self.quantity[row] / scale,
            self.unmet[row] / scale,
            None if o == NO_ORDER else order_id(o),
        )

    def flows(self) -> tuple[Flow, ...]:
        return tuple(self.flow(i) for i in range(len(self)))
