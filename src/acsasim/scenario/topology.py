"""The route graph: which sites connect, and the quickest path between two sites.

Paths are chosen on mean route times (a planner's expectation); the engine then
samples each leg's time from its own random stream (R6).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection

from acsasim.scenario.model import Route, Scenario


def connected_sites(s: Scenario, site: str) -> set[str]:
    """Every site reachable from `site` over the scenario's routes (itself included)."""
    seen, todo = {site}, [site]
    neighbours = _neighbours(s.routes, closed=())
    while todo:
        for nxt, _ in neighbours.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def shortest_path(
    routes: tuple[Route, ...], a: str, b: str, closed: Collection[int] = ()
) -> list[int] | None:
    """Indices of the routes on the quickest path from `a` to `b` (by mean time), avoiding
    the route indices in `closed`; [] within one site; None when no open path exists."""
    if a == b:
        return []
    neighbours = _neighbours(routes, closed)
    best = {a: 0.0}
    queue: list[tuple[float, str, list[int]]] = [(0.0, a, [])]
    while queue:
        dist, site, legs = heapq.heappop(queue)
        if site == b:
            return legs
        if dist > best.get(site, float("inf")):
            continue
        for nxt, index in neighbours.get(site, ()):
            d = dist + routes[index].time.mean
            if d < best.get(nxt, float("inf")):
                best[nxt] = d
                heapq.heappush(queue, (d, nxt, [*legs, index]))
    return None


def _neighbours(
    routes: tuple[Route, ...], closed: Collection[int]
) -> dict[str, list[tuple[str, int]]]:
    graph: dict[str, list[tuple[str, int]]] = {}
    for index, route in enumerate(routes):
        if index in closed:
            continue
        x, y = route.between
        graph.setdefault(x, []).append((y, index))
        graph.setdefault(y, []).append((x, index))
    return graph
