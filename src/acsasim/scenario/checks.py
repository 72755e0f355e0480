"""Cross-checks of a parsed scenario: what one field alone cannot tell.

Every check adds a (path, message) and goes on, so a user sees all problems of
a file at once. Paths are those of the file's data, so the loader can point at
the line and column of the offending value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from acsasim.scenario.bounds import bound_problems, calendar_ok
from acsasim.scenario.checks_agreements import AgreementChecks
from acsasim.scenario.errors import did_you_mean
from acsasim.scenario.model import ROUTINE, Event, Holder, Phase, Scenario
from acsasim.scenario.quantities import format_duration
from acsasim.scenario.topology import connected_sites

Path_ = tuple[str | int, ...]
Found = list[tuple[Path_, str]]


def check(s: Scenario) -> Found:
    """All cross-reference and consistency problems of a scenario."""
    found: Found = bound_problems(s)
    c = _Checker(s, found)
    c.top()
    c.parties_and_prices()
    c.geography()
    c.agreements()
    c.supply_lines()
    for i, holder in enumerate(s.holders):
        c.holder(("holders", i), holder)
    for i, item in enumerate(s.timeline):
        if isinstance(item, Phase):
            c.phase(("timeline", i), item)
        else:
            c.event(("timeline", i), item)
    return found


class _Checker(AgreementChecks):
    def __init__(self, s: Scenario, found: Found) -> None:
        self.s = s
        self.found = found
        self.holders = {h.id: h for h in s.holders}
        self.lines = {line.id: line for line in s.supply_lines}
        self.activities = {*s.activity_ids, ROUTINE}

    def add(self, path: Path_, message: str) -> None:
        self.found.append((path, message))

    def ref(self, path: Path_, value: str, what: str, known: Iterable[str]) -> bool:
        """Check that `value` is one of `known`; say what it could have meant."""
        known = list(known)
        if value in known:
            return True
        self.add(path, f"unknown {what} '{value}'{did_you_mean(value, known)}")
        return False

    def activity(self, path: Path_, value: str) -> None:
        """An activity must be declared (top-level `activities`), so a typo in a phase or an
        agreement cannot silently leave requests uncovered (R5)."""
        if value not in self.activities:
            hint = did_you_mean(value, self.activities)
            declared = ", ".join(dict.fromkeys(self.s.activity_ids)) or "none"
            self.add(
                path,
                f"unknown activity '{value}'{hint} (declared: {declared}; "
                "declare new ones in the top-level 'activities' list)",
            )

    def unique(self, kind: str, items: tuple[Any, ...]) -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                self.add((kind, i, "id"), f"duplicate id '{item.id}' in {kind}")
            seen.add(item.id)

    def top(self) -> None:
        s = self.s
        if s.duration <= 0:
            self.add(("duration",), "the scenario must last longer than 0h")
        if s.tick <= 0 or 0 < s.duration < s.tick:  # a duration of 0 is reported above
            self.add(("tick",), "tick must be above 0 and at most the duration")
        rate = s.currencies.get(s.reporting_currency)
        if rate is not None and rate != 1:
            self.add(
                ("currencies", s.reporting_currency), "the reporting currency's rate must be 1"
            )
        for kind in ("agreements", "supply_lines", "holders"):
            self.unique(kind, getattr(s, kind))
        seen: set[str] = set()
        for i, name in enumerate(s.activity_ids):
            if name in seen:
                self.add(("activities", i), f"activity '{name}' is declared twice")
            seen.add(name)

    def currency(self, path: Path_, code: str) -> None:
        known = {*self.s.currencies, self.s.reporting_currency}
        if code not in known:
            hint = did_you_mean(code, known)
            self.add(path, f"currency '{code}' has no rate in 'currencies'{hint}; add {code}: RATE")

    def parties_and_prices(self) -> None:
        s = self.s
        for pid, party in s.parties.items():
            self.currency(("parties", pid, "currency"), party.currency)
            for cid in party.tax.excise:
                self.ref(("parties", pid, "tax", "excise", cid), cid, "commodity", s.commodities)
        for cid, spec in s.commodities.items():
            counted = None if spec.unit_of_issue is None else spec.unit_of_issue * spec.scale
            if counted is not None and abs(counted - round(counted)) > 1e-9:
                self.add(("commodities", cid, "unit_of_issue"),
                         f"a unit of issue of {spec.unit_of_issue:g} {spec.unit} is not a whole "
                         f"number of the resolution, 1/{spec.scale} {spec.unit}")  # fmt: skip
            for j, other in enumerate(spec.equivalent):
                where = ("commodities", cid, "equivalent", j)
                if not self.ref(where, other, "commodity", s.commodities):
                    continue
                theirs = s.commodities[other]
                if other == cid:
                    self.add(where, f"'{cid}' is its own equivalent; list other commodities")
                elif (theirs.unit, theirs.scale) != (spec.unit, spec.scale):
                    self.add(where, f"'{other}' is counted in {theirs.unit} to 1/{theirs.scale}, "
                                    f"'{cid}' in {spec.unit} to 1/{spec.scale}: an equivalent "
                                    "is counted in the same unit and resolution")  # fmt: skip
        for i, plist in enumerate(s.price_lists):
            self.ref(("price_lists", i, "party"), plist.party, "party", s.parties)
            for cid in plist.prices:
                self.ref(("price_lists", i, "prices", cid), cid, "commodity", s.commodities)
        for pid, prices in s.prices.items():
            if self.ref(("prices", pid), pid, "party", s.parties):
                for cid in prices:
                    self.ref(("prices", pid, cid), cid, "commodity", s.commodities)

    def geography(self) -> None:
        s = self.s
        for sid, site in s.sites.items():
            self.ref(("sites", sid, "party"), site.party, "party", s.parties)
        for i, route in enumerate(s.routes):
            for j, sid in enumerate(route.between):
                self.ref(("routes", i, "between", j), sid, "site", s.sites)
            if route.between[0] == route.between[1]:
                self.add(("routes", i, "between"), "a route joins two different sites")

    def agreements(self) -> None:
        s = self.s
        pairs: dict[frozenset[str], str] = {}
        for i, ag in enumerate(s.agreements):
            path = ("agreements", i)
            for j, pid in enumerate(ag.parties):
                self.ref((*path, "parties", j), pid, "party", s.parties)
            pair = frozenset(ag.parties)
            if len(pair) < 2:
                self.add((*path, "parties"), "an agreement binds two different parties")
            elif pair in pairs:
                self.add(
                    (*path, "parties"), f"these parties already have agreement '{pairs[pair]}'"
                )
            pairs.setdefault(pair, ag.id)
            for j, cid in enumerate(ag.excluded):
                self.ref((*path, "excluded", j), cid, "commodity", s.commodities)
            for j, name in enumerate(ag.activities):
                self.activity((*path, "activities", j), name)
            self.methods((*path, "settlement", "methods"), ag)
            self.exchange((*path, "settlement", "exchange"), ag)
            self.ceilings((*path, "ceilings"), ag)
            if ag.settlement.offset is not None and ag.settlement.offset_after is not None:
                where = (*path, "settlement", "offset_after")
                self.add(where, "give either offset_after (version 1) or offset, not both")
            if ag.signed is not None and ag.in_force is not None and ag.signed > ag.in_force:
                self.add((*path, "signed"), "signed after it enters into force; signature "
                                            "comes first")  # fmt: skip
            if ag.in_force is not None and calendar_ok(s) and ag.in_force > s.end:
                when = ag.in_force.date()
                self.add((*path, "in_force"), f"in force {when}, after the scenario ends")

    def supply_lines(self) -> None:
        s = self.s
        for i, line in enumerate(s.supply_lines):
            path = ("supply_lines", i)
            self.ref((*path, "party"), line.party, "party", s.parties)
            self.ref((*path, "deliver_to"), line.deliver_to, "site", s.sites)
            for j, cid in enumerate(line.commodities):
                self.ref((*path, "commodities", j), cid, "commodity", s.commodities)
            for cid in line.capacity:
                if cid not in line.commodities:
                    self.add(
                        (*path, "capacity", cid), f"'{cid}' is not among this line's commodities"
                    )
            if line.commercial and line.deliver_to in s.sites:
                self.commercial_prices(path, line)
            for cid in line.prices:
                if not line.commercial:
                    self.add((*path, "prices", cid), "only a commercial line has prices")
                elif cid not in line.commodities:
                    self.add(
                        (*path, "prices", cid), f"'{cid}' is not among this line's commodities"
                    )
            if line.every is not None and line.every <= 0:
                self.add((*path, "every"), "departures must be more than 0h apart")

    def commercial_prices(self, path: Path_, line: Any) -> None:
        """R21: a commercial line buys at its own price or the territory party's."""
        s = self.s
        territory = s.sites[line.deliver_to].party
        listed = {c for pl in s.price_lists if pl.party == territory for c in pl.prices}
        priced = {*line.prices, *s.prices.get(territory, {}), *listed}
        for j, cid in enumerate(line.commodities):
            if cid in s.commodities and cid not in priced:
                self.add((*path, "commodities", j),
                         f"commercial line '{line.id}' has no price for '{cid}': add "
                         f"prices.{cid} to the line, or a price of {territory} (R21)")  # fmt: skip

    def holder(self, path: Path_, h: Holder) -> None:
        s = self.s
        self.ref((*path, "party"), h.party, "party", s.parties)
        if self.ref((*path, "site"), h.site, "site", s.sites):
            self.supply_reach(path, h)
        for cid, stock in h.stock.items():
            if self.ref((*path, "stock", cid), cid, "commodity", s.commodities):
                self.levels((*path, "stock", cid), stock)
        for profile, rates in h.consumption.items():
            for cid in rates:
                where = (*path, "consumption", profile, cid)
                if cid not in h.stock:
                    self.add(
                        where, f"'{h.id}' consumes '{cid}' but has no stock of it; add stock.{cid}"
                    )
        if h.kind == "depot" and h.consumption:
            self.add((*path, "consumption"), "a depot only provides: it has no consumption")
        if h.per_person and h.personnel is None:
            self.add((*path, "per_person"), "per_person rates need 'personnel'")
        if h.transport is not None:
            for cid in h.transport.load:
                if cid not in h.stock:
                    self.add((*path, "transport", "load", cid), f"'{h.id}' holds no '{cid}'")

    def levels(self, path: Path_, st: Any) -> None:
        if st.initial > st.capacity:
            self.add(
                (*path, "initial"), f"initial {st.initial:g} is above capacity {st.capacity:g}"
            )
        if st.reorder > st.capacity:
            self.add(
                (*path, "reorder"), f"reorder {st.reorder:g} is above capacity {st.capacity:g}"
            )
        if st.reserve > st.reorder:
            self.add((*path, "reserve"), f"reserve {st.reserve:g} is above reorder {st.reorder:g}")

    def supply_reach(self, path: Path_, h: Holder) -> None:
        if h.supplied_by is None:
            return
        if not self.ref((*path, "supplied_by"), h.supplied_by, "supply line", self.lines):
            return
        line = self.lines[h.supplied_by]
        if line.deliver_to in self.s.sites and h.site not in connected_sites(
            self.s, line.deliver_to
        ):
            self.add(
                (*path, "supplied_by"),
                f"supply line '{line.id}' delivers to '{line.deliver_to}', which no route "
                f"connects to '{h.site}'; add a route",
            )

    def window(self, path: Path_, at: float) -> None:
        if at > self.s.duration:
            self.add(
                path,
                f"{format_duration(at)} is after the scenario ends "
                f"({format_duration(self.s.duration)})",
            )

    def phase(self, path: Path_, p: Phase) -> None:
        self.window((*path, "from"), p.from_)
        if p.activity is not None:
            self.activity((*path, "activity"), p.activity)
        if p.to is not None:
            self.window((*path, "to"), p.to)
            if p.to <= p.from_:
                self.add((*path, "to"), "a phase ends after it starts")
        members = self.members(path, p)
        if p.profile is None or not members:
            return
        if not any(p.profile in h.consumption for h in members):
            known = {k for h in members for k in h.consumption}
            hint = did_you_mean(p.profile, known)
            message = f"no holder of this phase has profile '{p.profile}'{hint}"
            self.add((*path, "profile"), message)

    def members(self, path: Path_, p: Phase) -> list[Holder]:
        sel = p.holders
        if sel.ids is not None:
            ok = [
                self.ref((*path, "holders", j), hid, "holder", self.holders)
                for j, hid in enumerate(sel.ids)
            ]
            return [self.holders[hid] for hid, good in zip(sel.ids, ok, strict=True) if good]
        if sel.party is not None:
            self.ref((*path, "holders", "party"), sel.party, "party", self.s.parties)
            return [h for h in self.s.holders if h.party == sel.party]
        return list(self.s.holders)

    def event(self, path: Path_, e: Event) -> None:
        self.window((*path, "at"), e.at)
        if e.delay_supply_lines is not None:
            for j, lid in enumerate(e.delay_supply_lines.lines):
                self.ref((*path, "delay_supply_lines", "lines", j), lid, "supply line", self.lines)
        if e.close_routes is not None:
            known = {frozenset(r.between) for r in self.s.routes}
            for j, pair in enumerate(e.close_routes.routes):
                if frozenset(pair) not in known:
                    where = (*path, "close_routes", "routes", j)
                    self.add(where, f"no route between '{pair[0]}' and '{pair[1]}' in 'routes'")
        agreements = [ag.id for ag in self.s.agreements]
        if e.offset is not None:
            self.ref((*path, "offset", "agreement"), e.offset.agreement, "agreement", agreements)
        if e.exchange is not None:
            where = (*path, "exchange")
            if self.ref((*where, "agreement"), e.exchange.agreement, "agreement", agreements):
                parties = next(a for a in self.s.agreements if a.id == e.exchange.agreement).parties
                self.ref((*where, "debtor"), e.exchange.debtor, "party of the agreement", parties)
        for j, d in enumerate(e.destroy_stock):
            where = (*path, "destroy_stock", j)
            if self.ref((*where, "holder"), d.holder, "holder", self.holders):
                stocked = self.holders[d.holder].stock
                if d.commodity not in stocked:
                    hint = did_you_mean(d.commodity, stocked)
                    message = f"'{d.holder}' has no stock of '{d.commodity}'{hint}"
                    self.add((*where, "commodity"), message)
