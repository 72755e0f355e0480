"""The route network (R6): paths over the routes open now, transit times, closures.

Paths are chosen on mean times over the routes open at departure; each leg's time is drawn
from that route's own stream. A journey with no open path waits at its origin until a
route reopens. `version` counts the changes of the open routes, so whoever caches what
depends on them (the desk's providers by distance) knows when to look again.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from acsasim.scenario.model import Route, Scenario
from acsasim.scenario.topology import shortest_path
from acsasim.sim.agenda import Agenda
from acsasim.sim.streams import Streams


class Network:
    def __init__(self, scenario: Scenario, streams: Streams, agenda: Agenda) -> None:
        self.routes = scenario.routes
        self.handling = scenario.handling
        self.agenda = agenda
        self.version = 0
        self._closed: dict[int, int] = {}  # route index -> closures in force
        self._paths: dict[tuple[str, str], list[int] | None] = {}
        self._means: dict[tuple[str, str], float] = {}
        self._waiting: list[Callable[[], None]] = []  # journeys waiting for a reopening
        names = route_stream_names(self.routes)
        self._times = [streams.draws(n, r.time) for n, r in zip(names, self.routes, strict=True)]

    def path(self, a: str, b: str) -> list[int] | None:
        """The quickest open path (route indices; [] within a site), None if there is none."""
        key = (a, b)
        if key not in self._paths:
            closed = [i for i, n in self._closed.items() if n > 0]
            self._paths[key] = shortest_path(self.routes, a, b, closed)
        return self._paths[key]

    def mean_time(self, a: str, b: str) -> float:
        """Expected transit from `a` to `b` over open routes; inf when there is no open path."""
        key = (a, b)
        if key not in self._means:
            legs = self.path(a, b)
            self._means[key] = (
                math.inf
                if legs is None
                else sum(self.routes[i].time.mean for i in legs)
                if legs
                else self.handling
            )
        return self._means[key]

    def travel(self, a: str, b: str, on_arrival: Callable[[], None]) -> None:
        """Leave `a` for `b` now, or when an open path first exists; `on_arrival` runs on
        arrival. Each leg's time is drawn at departure."""
        legs = self.path(a, b)
        if legs is None:
            self._waiting.append(lambda: self.travel(a, b, on_arrival))
            return
        hours = self.handling
        if legs:
            hours = 0.0
            for i in legs:
                hours += self._times[i].next()
        self.agenda.after(hours, on_arrival)

    def close(self, indices: list[int], duration: float | None) -> None:
        """Close routes now (a reorder in the same instant already sees them closed) and
        reopen them after `duration` (never, if None)."""
        for i in indices:
            self._closed[i] = self._closed.get(i, 0) + 1
        self._changed()
        if duration is not None:
            self.agenda.after(duration, lambda: self._reopen(indices))

    def _reopen(self, indices: list[int]) -> None:
        for i in indices:
            self._closed[i] -= 1
        self._changed()
        waiting, self._waiting = self._waiting, []
        for journey in waiting:  # in the order they began to wait
            journey()

    def _changed(self) -> None:
        self._paths.clear()
        self._means.clear()
        self.version += 1


def route_stream_names(routes: tuple[Route, ...]) -> list[str]:
    """A stream name per route from its end sites alone (a second route between the same two
    sites gets `#2`), so adding a route elsewhere leaves every other route's draws unchanged."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for r in routes:
        pair = "~".join(sorted(r.between))
        seen[pair] = seen.get(pair, 0) + 1
        names.append(f"route:{pair}" + (f"#{seen[pair]}" if seen[pair] > 1 else ""))
    return names
