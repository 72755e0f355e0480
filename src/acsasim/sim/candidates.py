"""Who may provide to a receiver, in the order R4 asks them.

Candidates are the holders of the providing party that stock the commodity, grouped by
their mean transit time to the receiver (over the routes open now), nearest first; within
a group the larger surplus goes first, then the id. A unit spares what it holds above its
reorder level, a depot what it holds above its reserve. A group's surpluses are read only
when the request reaches it, so a request met by its nearest provider reads no further.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from acsasim.sim.world import World


@dataclass(frozen=True, slots=True)
class Candidate:
    """A holder that may provide (R4): its mean transit to the receiver and its surplus."""

    holder: int
    transit: float
    surplus: int


@dataclass(frozen=True, slots=True)
class Groups:
    """A party's holders of a commodity, ordered by mean transit to one site (nearest first),
    with what each keeps (R4) and where each group of equal transit starts."""

    holders: np.ndarray  # holder rows, nearest group first
    keep: np.ndarray  # what each keeps for itself
    ranks: np.ndarray  # each holder's place in the order of ids (R4 ties)
    starts: list[int]  # index in `holders` where each group starts (and the end, last)
    transits: list[float]  # mean transit of each group


class Candidates:
    """The candidates of one request, iterated in R4's order. After the iteration,
    `passed_over` tells whether a holder of a group the request reached had nothing to
    spare, and `known` whether the party has any holder of the commodity at all.

    The surpluses of all the party's holders are read at once when the iteration starts; as
    only this request changes stock until it ends, that is what each group shows when the
    request reaches it."""

    def __init__(self, world: World, groups: Groups, commodity: int) -> None:
        self.world, self.groups, self.commodity = world, groups, commodity
        self.passed_over = False
        self.known = len(groups.holders) > 0

    def __iter__(self) -> Iterator[Candidate]:
        g = self.groups
        if not self.known:
            return
        surplus = self.world.stock.on_hand[g.holders, self.commodity] - g.keep
        spare = surplus > 0
        counts = np.add.reduceat(spare, g.starts[:-1]).tolist()  # holders with spare, per group
        left = sum(counts)
        for k, transit in enumerate(g.transits):
            begin, end = g.starts[k], g.starts[k + 1]
            if counts[k] < end - begin:
                self.passed_over = True
            if not counts[k]:
                continue
            amounts, ranks = surplus[begin:end], g.ranks[begin:end]
            offering = np.flatnonzero(spare[begin:end])
            for i in offering[np.lexsort((ranks[offering], -amounts[offering]))].tolist():
                yield Candidate(g.holders.item(begin + i), transit, amounts.item(i))
            left -= counts[k]
            if not left:  # nobody further has anything to spare: passed over, if any
                self.passed_over |= end < len(g.holders)
                return


class Directory:
    """The groups of candidates per (party, commodity, site), worked out once and again when
    the open routes change (the network's `version`)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._groups: dict[tuple[str, int, str], Groups] = {}
        self._version = -1

    def candidates(self, party: str, receiver: int, commodity: int) -> Candidates:
        w = self.world
        if self._version != w.network.version:
            self._groups.clear()
            self._version = w.network.version
        key = (party, commodity, w.site[receiver])
        groups = self._groups.get(key)
        if groups is None:
            groups = self._groups[key] = self._group(party, commodity, w.site[receiver])
        return Candidates(w, groups, commodity)

    def _group(self, party: str, commodity: int, site: str) -> Groups:
        w = self.world
        by_time: dict[float, list[int]] = {}
        for h in w.holders_of_party.get(party, ()):
            if w.stocked[h, commodity]:
                by_time.setdefault(w.network.mean_time(w.site[h], site), []).append(h)
        holders: list[int] = []
        starts, transits = [], []
        for transit, members in sorted(by_time.items()):
            starts.append(len(holders))
            transits.append(transit)
            holders += members
        order = np.array(holders, dtype=np.int64)
        ranks = np.array([w.rank[h] for h in holders], dtype=np.int64)
        return Groups(order, w.keep[order, commodity], ranks, [*starts, len(holders)], transits)
