"""RunResult: everything one replication produced, self-describing (scenario, seed, books).

Experiments see only Scenario in and RunResult out; tables, charts and reports read it.
The books are the engine's columns (`books.orders`, `books.journal`, `books.stock`); the
record views (`orders`, `transactions`, `flows`) are built from them on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from acsasim.ledger.book import Books
from acsasim.ledger.entries import Flow, Order, Transaction
from acsasim.ledger.records import Purchase, Refusal
from acsasim.scenario.model import Scenario


@dataclass(frozen=True)
class RunResult:
    scenario: Scenario  # resolved: overrides applied, seed filled in
    seed: int
    books: Books  # orders, journal and materiel of the run, as columns
    refusals: tuple[Refusal, ...]  # one per request episode and reason (R5)
    stockout_hours: dict[tuple[str, str], float]  # (holder, commodity) -> hours at zero stock
    log: tuple[tuple[float, str], ...] = ()  # the event log, when asked for
    purchases: tuple[Purchase, ...] = ()  # commercial purchases with tax paid (R21)
    events_dispatched: int = 0
    wall_seconds: float = 0.0
    _kpis: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def orders(self) -> tuple[Order, ...]:
        """Final state of every ACSA order, in creation order."""
        return self.books.orders.records()

    @cached_property
    def transactions(self) -> tuple[Transaction, ...]:
        """The double-entry journal, in posting order."""
        return self.books.journal.transactions()

    @cached_property
    def flows(self) -> tuple[Flow, ...]:
        """Every movement of materiel, in time order."""
        return self.books.stock.flows()

    @property
    def kpis(self) -> dict[str, Any]:
        """The KPIs of the run (computed once, on first use)."""
        if not self._kpis:
            from acsasim.kpis import compute_kpis

            self._kpis.update(compute_kpis(self))
        return self._kpis
