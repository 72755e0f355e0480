"""Carrying goods between holders (R6): trips, and vehicles held for the round trip.

A holder with `transport` has a fleet: each trip takes one vehicle there and back, and
trips wait for a free vehicle first come, first served; a load larger than one vehicle
carries goes in several trips. A holder without transport sends the whole quantity at once.
No trip is a process: departures and arrivals are actions on the agenda.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence

from acsasim.sim.network import Network


class Fleet:
    """A holder's vehicles: `request(go)` runs `go` when one is free; the trip calls
    `release` when the vehicle is back."""

    def __init__(self, vehicles: int) -> None:
        self.free = vehicles
        self._waiting: deque[Callable[[], None]] = deque()

    def request(self, go: Callable[[], None]) -> None:
        if self.free > 0:
            self.free -= 1
            go()
        else:
            self._waiting.append(go)

    def release(self) -> None:
        if self._waiting:
            self._waiting.popleft()()  # the vehicle goes straight out again
        else:
            self.free += 1


def split(quantity: int, load: int | None) -> list[int]:
    """The trips a quantity needs: full loads, then the rest (all of it without a load)."""
    if not load or quantity <= load:
        return [quantity]
    full, rest = divmod(quantity, load)
    return [load] * full + ([rest] if rest else [])


class Transport:
    """Trips between holders over the network, with each holder's fleet and loads."""

    def __init__(
        self,
        network: Network,
        sites: Sequence[str],
        fleets: Sequence[Fleet | None],
        loads: Sequence[dict[int, int]],
    ) -> None:
        self.network, self.sites, self.fleets, self.loads = network, sites, fleets, loads

    def send(
        self,
        sender: int,
        destination: int,
        commodity: int,
        quantity: int,
        on_arrival: Callable[[int], None],
        on_last: Callable[[], None] | None = None,
    ) -> None:
        """Send `quantity` in as many trips as loads need; `on_arrival(part)` runs as each
        trip arrives and `on_last()` when the last one has."""
        parts = split(quantity, self.loads[sender].get(commodity))
        if len(parts) == 1:  # most shipments: one trip, nothing to count
            self._trip(sender, destination, quantity, on_arrival, on_last)
            return
        left = [len(parts)]

        def arrive(part: int) -> None:
            on_arrival(part)
            left[0] -= 1
            if left[0] == 0 and on_last is not None:
                on_last()

        for part in parts:
            self._trip(sender, destination, part, arrive, None)

    def _trip(
        self,
        sender: int,
        destination: int,
        part: int,
        arrive: Callable[[int], None],
        then: Callable[[], None] | None,
    ) -> None:
        """One trip of `part`; `arrive(part)` then `then()` run on arrival."""
        a, b = self.sites[sender], self.sites[destination]
        fleet, net = self.fleets[sender], self.network

        def there() -> None:
            arrive(part)
            if then is not None:
                then()
            if fleet is not None:
                net.travel(b, a, fleet.release)  # the vehicle drives back

        if fleet is None:
            net.travel(a, b, there)
        else:
            fleet.request(lambda: net.travel(a, b, there))
