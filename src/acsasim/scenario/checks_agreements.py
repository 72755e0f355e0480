"""Cross-checks of an agreement's settlement and ceilings (R8, R10, R14), part of
`checks.py`'s checker: each adds a (path, message) and goes on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from acsasim.scenario.errors import did_you_mean
from acsasim.scenario.model import Scenario
from acsasim.scenario.types import CATEGORIES

Path_ = tuple[str | int, ...]
#: Every (month, day) of a common year: a fiscal year starts on one of them.
_DAYS = {(d.month, d.day) for d in (date(2025, 1, 1) + timedelta(n) for n in range(365))}


class AgreementChecks:
    """What `checks._Checker` provides these checks with."""

    s: Scenario

    def add(self, path: Path_, message: str) -> None:
        raise NotImplementedError

    def ref(self, path: Path_, value: str, what: str, known: Iterable[str]) -> bool:
        raise NotImplementedError

    def methods(self, path: Path_, ag: Any) -> None:
        """R8: the keys of a `settlement.methods` mapping are `default`, categories and the
        agreement's parties; only a party's entry may map categories to lists."""
        table = ag.settlement.methods
        if isinstance(table, tuple):
            return
        inner = {"default", *CATEGORIES}
        for key, value in table.items():
            if key not in inner | set(ag.parties):
                hint = did_you_mean(key, inner | set(ag.parties))
                self.add((*path, key), f"'{key}' is not 'default', a category or a party of "
                                       f"this agreement{hint}")  # fmt: skip
            elif isinstance(value, dict) and key not in ag.parties:
                self.add((*path, key), f"'{key}' takes a list of methods; only a receiving "
                                       "party's entry maps categories to lists")  # fmt: skip
            elif isinstance(value, dict):
                for sub in value:
                    if sub not in inner:
                        hint = did_you_mean(sub, inner)
                        message = f"'{sub}' is not 'default' or a category{hint}"
                        self.add((*path, key, sub), message)

    def ceilings(self, path: Path_, ag: Any) -> None:
        """R14: version-1 keys or `provided`, not both; parties of the agreement; real days."""
        c = ag.ceilings
        if c.provided is not None and (c.value is not None or c.supplies_value is not None):
            self.add((*path, "provided"), "give the version-1 value/supplies_value or provided, "
                                          "not both (they are the same limits)")  # fmt: skip
        for pid in c.parties:
            self.ref((*path, "parties", pid), pid, "party of the agreement", ag.parties)
        starts = [((*path, "fiscal_year_start"), c.fiscal_year_start)]
        starts += [((*path, "parties", pid, "fiscal_year_start"), own.fiscal_year_start)
                   for pid, own in c.parties.items()]  # fmt: skip
        for where, day in starts:
            if day is not None and (int(day[:2]), int(day[3:])) not in _DAYS:
                self.add(where, f"{day} is not a day of the year (MM-DD, e.g. 10-01)")

    def exchange(self, path: Path_, ag: Any) -> None:
        """R10: designated counter-deliveries, by commodity or category, name commodities."""
        known = {*self.s.commodities, *CATEGORIES}
        for key, items in ag.settlement.exchange.items():
            if key not in known:
                hint = did_you_mean(key, known)
                self.add((*path, key), f"unknown commodity or category '{key}'{hint}")
            for j, cid in enumerate(items):
                self.ref((*path, key, j), cid, "commodity", self.s.commodities)
