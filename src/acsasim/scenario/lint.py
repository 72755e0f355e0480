"""Suspicious but legal: what a valid scenario says that is probably not what its author meant.

`validate` prints these as `FILE:LINE:COL: warning: message` (exit 0, or 2 with `--strict`) and
`run` prints them before it runs. Each finding names what will (not) happen in the run and the
rule behind it, so the author can judge whether it was meant. Like the cross-checks, every
finding is a (path, message) located afterwards by the loader.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from acsasim.scenario.errors import closest
from acsasim.scenario.model import ROUTINE, Agreement, Holder, HolderSet, Phase, Scenario
from acsasim.scenario.quantities import Dist, format_duration
from acsasim.scenario.types import COUNTED_UNITS

Path_ = tuple[str | int, ...]
Found = list[tuple[Path_, str]]


def lint(s: Scenario) -> Found:
    """Every warning for a scenario that passed the cross-checks."""
    found: Found = []
    found += unpriced_commodities(s)
    found += uncounted_units(s)
    for i, ag in enumerate(s.agreements):
        found += [(("agreements", i, *where), msg) for where, msg in unusable_agreement(s, ag)]
    found += slow_or_idle_supply_lines(s)
    for i, h in enumerate(s.holders):
        found += [(("holders", i, *where), msg) for where, msg in holder_findings(s, h)]
    for i, item in enumerate(s.timeline):
        if isinstance(item, Phase):
            found += [(("timeline", i, *w), msg) for w, msg in phase_findings(s, item)]
    return found


def members(s: Scenario, sel: HolderSet) -> list[Holder]:
    """The holders a phase's `holders` selects (ids that do not resolve are left out)."""
    if sel.ids is not None:
        by_id = {h.id: h for h in s.holders}
        return [by_id[hid] for hid in sel.ids if hid in by_id]
    return [h for h in s.holders if sel.party is None or h.party == sel.party]


def _includes(s: Scenario, p: Phase, h: Holder) -> bool:
    return any(m.id == h.id for m in members(s, p.holders))


# --- commodities and agreements ---------------------------------------------------------------


def unpriced_commodities(s: Scenario) -> Found:
    """A commodity some agreement covers that no party prices: it is never provided."""
    priced = {c for prices in s.prices.values() for c in prices}
    priced |= {c for plist in s.price_lists for c in plist.prices}
    if any(p.price_on_order is not None for p in s.parties.values()) or any(
        ag.price_on_order is not None for ag in s.agreements
    ):
        return []  # priced on order: a price may come later, or from the receiver
    return [
        (
            ("commodities", cid),
            f"no party prices '{cid}': no agreement can ever provide it (a provider needs a "
            "price, R5); add it under 'prices' if allies should be able to provide it",
        )
        for cid in s.commodities
        if cid not in priced and any(_covers(ag, s, cid) for ag in s.agreements)
    ]


def uncounted_units(s: Scenario) -> Found:
    """A unit that looks like a misspelt counted unit (`rnd`, `ea`): the commodity's
    quantities are then counted to the thousandth instead of in whole items."""
    found: Found = []
    for cid, commodity in s.commodities.items():
        if commodity.resolution is not None or commodity.scale == 1:
            continue
        word = commodity.unit.strip().lower().rstrip("s")
        near = closest(word, COUNTED_UNITS)
        if near is not None:
            found.append(
                (
                    ("commodities", cid, "unit"),
                    f"'{commodity.unit}' is not a unit counted in whole items, so '{cid}' is "
                    f"counted to {1 / commodity.scale:g}; did you mean '{near}'? (or give "
                    "resolution: 1)",
                )
            )
    return found


def unusable_agreement(s: Scenario, ag: Agreement) -> Found:
    """An agreement that no request can ever pass: no unit to ask, no covered activity, no
    commodity to provide, or a ceiling of zero (R5, R14)."""
    pair = " or ".join(ag.parties)
    units = [h for h in s.holders if h.kind == "unit" and h.party in ag.parties]
    if not units:
        return [(("parties",), f"neither {pair} has a unit (only units ask): it is never used")]
    found: Found = []
    reachable = set().union(*(activities_of(s, h) for h in units))
    if not reachable & set(ag.activities):
        had = ", ".join(sorted(reachable)) or "none"
        found.append(
            (
                ("activities",),
                f"no phase gives a unit of {pair} an activity this agreement covers (their "
                f"activities: {had}): every request under it is refused (activity_not_covered, R5)",
            )
        )
    if not _tradeable(s, ag):
        found.append(
            (
                ("categories",),
                "no commodity is covered here (category, not excluded), priced by one party "
                "and held by the other's units: nothing can be provided under it (R5)",
            )
        )
    c = ag.ceilings
    limits: list[tuple[tuple[str, ...], Any]] = [
        ((key,), getattr(c, key)) for key in ("value", "supplies_value")
    ]
    for owner, path in [(c, ()), *((own, ("parties", pid)) for pid, own in c.parties.items())]:
        for direction in ("provided", "acquired"):
            lim = getattr(owner, direction)
            if lim is not None:
                limits += [
                    ((*path, direction, k), getattr(lim, k)) for k in ("value", "supplies_value")
                ]
    for where, limit in limits:
        if limit == 0:
            found.append((("ceilings", *where), "a ceiling of 0 lets no order through (R14)"))
    return found


def activities_of(s: Scenario, h: Holder) -> set[str]:
    """Every activity `h` may have during the run: its phases' activities, and `routine`
    whenever no phase with an activity is active for it (R5). A superset: a phase wholly
    shadowed by a later one still counts, so a warning built on it is never a false alarm."""
    spans = []
    found: set[str] = set()
    for p in s.phases:
        if p.activity is not None and _includes(s, p, h):
            found.add(p.activity)
            spans.append((p.from_, s.duration if p.to is None else min(p.to, s.duration)))
    if _uncovered(spans, s.duration):
        found.add(ROUTINE)
    return found


def _uncovered(spans: list[tuple[float, float]], end: float) -> bool:
    reached = 0.0
    for start, stop in sorted(spans):
        if start > reached:
            return True
        reached = max(reached, stop)
    return reached < end


def _covers(ag: Agreement, s: Scenario, cid: str) -> bool:
    """R5's category and exclusion tests."""
    commodity = s.commodities.get(cid)
    return commodity is not None and cid not in ag.excluded and commodity.category in ag.categories


def can_provide(s: Scenario, ag: Agreement, provider: str, cid: str) -> bool:
    """Whether `provider` could provide `cid` under `ag` to a unit of the other party: covered,
    priced by the provider, held by one of its holders and by a unit of the other (R4, R5)."""
    receiver = next(p for p in ag.parties if p != provider)
    return (
        _covers(ag, s, cid)
        and cid in s.prices.get(provider, {})
        and any(h.party == provider and cid in h.stock for h in s.holders)
        and any(h.party == receiver and h.kind == "unit" and cid in h.stock for h in s.holders)
    )


def _tradeable(s: Scenario, ag: Agreement) -> bool:
    return any(can_provide(s, ag, p, cid) for p in ag.parties for cid in s.commodities)


# --- supply lines and holders -----------------------------------------------------------------


def slow_or_idle_supply_lines(s: Scenario) -> Found:
    found: Found = []
    supplied = {h.supplied_by for h in s.holders}
    for i, line in enumerate(s.supply_lines):
        path = ("supply_lines", i)
        if line.id not in supplied:
            found.append(
                ((*path, "id"), f"no holder names '{line.id}' in supplied_by: it never delivers")
            )
        scheduled = line.every is not None
        leaves = line.first_departure if scheduled else 0.0
        low, bounded = _earliest(line.lead_time)
        if leaves + low >= s.duration:
            start = (
                f"the first departure at {format_duration(leaves)}"
                if scheduled
                else "an order at the very start"
            )
            under_way = f"{'at least' if bounded else 'on average'} {format_duration(low)}"
            found.append(
                (
                    (*path, "lead_time"),
                    f"{start} plus {under_way} under way ends after the run "
                    f"({format_duration(s.duration)}): nothing '{line.id}' sends can be "
                    f"expected to arrive in time",
                )
            )
    return found


def _earliest(d: Dist) -> tuple[float, bool]:
    """The least a duration can be (True), or its mean where the distribution reaches down
    to 0 (False)."""
    if d.kind in ("fixed", "triangular", "uniform"):
        return d.params[0], True
    return d.mean, False


def holder_findings(s: Scenario, h: Holder) -> Found:
    found: Found = []
    lines = {line.id: line for line in s.supply_lines}
    line = lines.get(h.supplied_by or "")
    if line is not None and line.party != h.party:
        found.append(
            (
                ("supplied_by",),
                f"'{h.id}' ({h.party}) is supplied by '{line.id}', a supply line of "
                f"{line.party}: national resupply is a party's own (allies provide under an "
                "agreement)",
            )
        )
    if h.kind == "unit":
        found += _reorder_out_of_reach(s, h)
    return found


def _reorder_out_of_reach(s: Scenario, h: Holder) -> Found:
    """A unit that consumes a commodity but, at its planned rates, never draws it down to its
    reorder level: its resupply never starts (R3). Lending stops at the reorder level (R4),
    so only consumption and losses take a unit's stock there."""
    planned = planned_use(s, h)
    destroyed = {d.commodity for e in s.events for d in e.destroy_stock if d.holder == h.id}
    mine = [ag for ag in s.agreements if h.party in ag.parties]
    found: Found = []
    for cid, level in h.stock.items():
        if level.reorder <= 0 or cid in destroyed:
            continue  # a level of 0 orders only when empty: never reaching it is no surprise
        if not any(rates.get(cid) for rates in h.consumption.values()):
            continue
        if any(can_provide(s, ag, h.party, cid) for ag in mine):
            continue  # lending to allies may take it to its reorder level
        use = planned.get(cid, 0.0)
        if level.initial - use > level.reorder:
            unit = s.commodities[cid].unit if cid in s.commodities else ""
            found.append(
                (
                    ("stock", cid, "reorder"),
                    f"at its planned rates '{h.id}' uses about {use:,.0f} {unit} of {cid} in "
                    f"the run, from {level.initial:,.0f} down to {level.initial - use:,.0f}: "
                    f"no ally can borrow it, so it never reaches its reorder level "
                    f"{level.reorder:,.0f} and its resupply never starts (R3)",
                )
            )
    return found


def planned_use(s: Scenario, h: Holder) -> dict[str, float]:
    """What `h` consumes over the run at its phases' mean rates (R2), per commodity."""
    scale = h.personnel if h.per_person and h.personnel is not None else 1
    use: dict[str, float] = defaultdict(float)
    for p in s.phases:
        rates = h.consumption.get(p.profile or "")
        if not rates or not _includes(s, p, h):
            continue
        days = max(0.0, (s.duration if p.to is None else min(p.to, s.duration)) - p.from_) / 24
        for cid, rate in rates.items():
            use[cid] += rate * p.demand_factor * scale * days
    return dict(use)


def phase_findings(s: Scenario, p: Phase) -> Found:
    """Units of a phase that lack its profile consume nothing in it (depots never consume)."""
    if p.profile is None:
        return []
    units = [h for h in members(s, p.holders) if h.kind == "unit"]
    lacking = [h.id for h in units if p.profile not in h.consumption]
    if not lacking or len(lacking) == len(units):
        return []  # all lacking it is an error of the cross-checks, or there are no units
    return [
        (
            ("profile",),
            f"{_listed(lacking)} {'has' if len(lacking) == 1 else 'have'} no profile "
            f"'{p.profile}': this phase adds no demand for {'it' if len(lacking) == 1 else 'them'}",
        )
    ]


def _listed(ids: Iterable[str]) -> str:
    return ", ".join(f"'{i}'" for i in ids)
