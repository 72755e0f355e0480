"""The agenda: what happens at each instant, in a fixed order, on SimPy's clock.

Everything the world does at a given time waits in one bucket for that instant (a
timeline event, a truck arriving, an invoice falling due, the tick of demand), and each
bucket costs SimPy one timeout, however many actions it holds: no process per trip or
order. Within an instant the actions run by phase, then in the order they were added:

1. EVENTS: the timeline's events, so an event at t acts before the demand at t (R2);
2. DUE: arrivals, returns, invoices, payments, deadlines, route reopenings;
3. TICK: every holder's demand, then reorders (R2, R3);
4. DEPARTURES: scheduled supply-line departures, which load the orders of the instant (R6).

An action added for the instant that is running goes into a new bucket for the same time,
which runs after the current one.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from functools import partial

import simpy

Action = Callable[[], None]


class Phase(IntEnum):
    EVENTS = 0
    DUE = 1
    TICK = 2
    DEPARTURES = 3


class Agenda:
    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self._buckets: dict[float, list[list[Action] | None]] = {}
        self.scheduled = 0  # SimPy events this agenda scheduled: one per instant

    @property
    def now(self) -> float:
        return self.env.now

    def at(self, time: float, action: Action, phase: Phase = Phase.DUE) -> None:
        """Run `action` at simulation time `time` (not before now), in `phase`."""
        now = self.env.now
        if time < now:
            time = now
        bucket = self._buckets.get(time)
        if bucket is None:
            bucket = self._buckets[time] = [None, None, None, None]
            self.scheduled += 1
            # SimPy adds the delay to now, which may miss `time` by a rounding: key by `time`
            self.env.timeout(time - now).callbacks.append(partial(self._fire, time))
        actions = bucket[phase]
        if actions is None:
            bucket[phase] = [action]
        else:
            actions.append(action)

    def after(self, delay: float, action: Action, phase: Phase = Phase.DUE) -> None:
        self.at(self.env.now + delay, action, phase)

    def _fire(self, time: float, _: simpy.events.Event | None = None) -> None:
        for actions in self._buckets.pop(time):
            if actions is not None:
                for action in actions:
                    action()

    @property
    def instants(self) -> int:
        """Instants still waiting (for tests and benchmarks)."""
        return len(self._buckets)
