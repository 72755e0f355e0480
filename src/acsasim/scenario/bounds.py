"""The documented bounds of a scenario's values, checked where each value is written.

Every number of a scenario must be finite and within these bounds, so that no value can
overflow the engine's money (exact decimals of at most 34 digits) or quantities, or a date
beyond the calendar: demand (a rate, times personnel, a demand factor and a lognormal
factor) stays a finite number, and an order (at most a holder's capacity, at most a price
each) stays far within the money's digits. They are far beyond any real operation:

- quantities (stock levels, consumption per day, supply-line capacity, vehicle load):
  at most 1e9 units of the commodity;
- prices and excise per unit: at most 1e9 in the party's currency;
- currency rates (units per reporting unit): 1e-6 to 1e6;
- ceilings: at most 1e15 in the reporting currency;
- personnel: at most 10,000,000; vehicles: at most 100,000;
- a phase's demand factor: at most 100; variability (a coefficient of variation): at most 10;
- tick: at least 1s; seed: at most 2^63 - 1;
- the calendar: the run, and every due date it can write (its end plus the longest
  settlement deadline), ends by 9999-12-31.

(types.py bounds every plain number by 1e12 and every duration by 100 years first.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from acsasim.scenario.model import Scenario

MAX_QUANTITY = 1e9
MAX_PRICE = 1e9
RATES = (1e-6, 1e6)
MAX_CEILING = 1e15
MAX_PERSONNEL = 10_000_000
MAX_VEHICLES = 100_000
MAX_DEMAND_FACTOR = 100.0
MAX_VARIABILITY = 10.0
MIN_TICK_HOURS = 1 / 3600
MAX_SEED = 2**63 - 1
CALENDAR_END = datetime(9999, 12, 31, 23, 59, 59)

Path_ = tuple[str | int, ...]
Found = list[tuple[Path_, str]]


def calendar_ok(s: Scenario) -> bool:
    """Whether the run, and the due dates it can write, end by CALENDAR_END."""
    return _calendar_problem(s) is None


def bound_problems(s: Scenario) -> Found:
    """Every value of `s` outside its bound (see the module docstring)."""
    found: Found = []
    found += _top(s)
    found += _above(_quantities(s), MAX_QUANTITY, "a quantity")
    found += _above(_prices(s), MAX_PRICE, "a price")
    found += _above(_ceilings(s), MAX_CEILING, "a ceiling")
    found += _holders(s)
    for i, item in enumerate(s.timeline):
        factor = getattr(item, "demand_factor", None)
        if factor is not None and factor > MAX_DEMAND_FACTOR:
            found.append((("timeline", i, "demand_factor"), _over(factor, MAX_DEMAND_FACTOR)))
    for code, rate in s.currencies.items():
        if not RATES[0] <= rate <= RATES[1]:
            found.append((("currencies", code), f"rate {rate:g} is outside 1e-06 to 1e+06"))
    return found


def _top(s: Scenario) -> Found:
    found: Found = []
    if 0 < s.tick < MIN_TICK_HOURS:
        found.append((("tick",), "tick must be at least 1s"))
    if s.seed > MAX_SEED:
        found.append((("seed",), f"seed must be at most 2^63 - 1 ({MAX_SEED})"))
    problem = _calendar_problem(s)
    if problem:
        found.append((("duration",), problem))
    return found


def _calendar_problem(s: Scenario) -> str | None:
    deadline = max((a.settlement.deadline for a in s.agreements), default=0.0)
    try:
        end = s.start + timedelta(hours=s.duration)
        last = end + timedelta(hours=deadline)
    except OverflowError:
        last = None
    if last is None or last > CALENDAR_END:
        return (
            f"a run from {s.start:%Y-%m-%d} lasting {s.duration / 24:g} days, with due dates "
            f"up to {deadline / 24:g} days after its end, would pass the calendar's end "
            "(9999-12-31); start earlier or shorten the run"
        )
    return None


def _holders(s: Scenario) -> Found:
    found: Found = []
    for i, h in enumerate(s.holders):
        path = ("holders", i)
        if h.personnel is not None and h.personnel > MAX_PERSONNEL:
            found.append(((*path, "personnel"), _over(h.personnel, MAX_PERSONNEL)))
        if h.transport is not None and h.transport.vehicles > MAX_VEHICLES:
            found.append(((*path, "transport", "vehicles"), _over(h.transport.vehicles, 1e5)))
        if h.variability > MAX_VARIABILITY:
            found.append(((*path, "variability"), _over(h.variability, MAX_VARIABILITY)))
    return found


def _quantities(s: Scenario) -> Iterator[tuple[Path_, float]]:
    for i, line in enumerate(s.supply_lines):
        for cid, cap in line.capacity.items():
            yield ("supply_lines", i, "capacity", cid), cap
    for i, h in enumerate(s.holders):
        for cid, st in h.stock.items():
            for level in ("initial", "capacity", "reorder", "reserve"):
                yield ("holders", i, "stock", cid, level), getattr(st, level)
        for profile, rates in h.consumption.items():
            for cid, rate in rates.items():
                yield ("holders", i, "consumption", profile, cid), rate
        if h.transport is not None:
            for cid, load in h.transport.load.items():
                yield ("holders", i, "transport", "load", cid), load


def _prices(s: Scenario) -> Iterator[tuple[Path_, float]]:
    for pid, prices in s.prices.items():
        for cid, price in prices.items():
            yield ("prices", pid, cid), price
    for pid, party in s.parties.items():
        for cid, excise in party.tax.excise.items():
            yield ("parties", pid, "tax", "excise", cid), excise


def _ceilings(s: Scenario) -> Iterator[tuple[Path_, float]]:
    for i, ag in enumerate(s.agreements):
        for kind in ("value", "supplies_value"):
            value = getattr(ag.ceilings, kind)
            if value is not None:
                yield ("agreements", i, "ceilings", kind), value


def _above(values: Iterable[tuple[Path_, float]], top: float, what: str) -> Found:
    return [(path, f"{what} of {v:g} is above the largest allowed, {top:g}") for path, v in values
            if v > top]  # fmt: skip


def _over(value: float, top: float) -> str:
    return f"{value:g} is above the largest allowed, {top:g}"
