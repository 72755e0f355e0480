"""Activities: what a holder is doing (a phase sets it), which an agreement must cover for it to
receive (R5). The scenario declares them; an activity may be `gratis`: what is provided for
it is recorded, not billed (R22: Japan's disaster relief abroad is aid, not an ACSA sale).
"""

from __future__ import annotations

from collections.abc import Iterable

from acsasim.scenario.base import Model
from acsasim.scenario.types import Id

# The standard ACSA situations: the activities a scenario declares unless it lists its own.
STANDARD_ACTIVITIES = (
    "exercise", "disaster_relief", "peacekeeping", "evacuation", "liaison", "training_support",
)  # fmt: skip
ROUTINE = "routine"  # the activity of a holder with no active phase: always known, never declared


class Activity(Model):
    """A declared activity with terms of its own."""

    id: Id
    """The activity's name, as phases and agreements write it."""
    gratis: bool = False
    """`true`: what is provided to a holder doing it is recorded with its value and not
    billed (no receivable, no settlement), e.g. disaster relief given as aid (R22)."""


def activity_ids(declared: Iterable[str | Activity]) -> tuple[str, ...]:
    """The names of declared activities, however each is written."""
    return tuple(a if isinstance(a, str) else a.id for a in declared)
