"""Activities: what a unit is doing, which an agreement must cover for it to receive (R5).

A scenario declares the activity ids its phases and agreements may name (top-level
`activities`), so a misspelt one is an error (checks.py), not a request refused later.
"""

from __future__ import annotations

from typing import Any

# The standard ACSA situations: the activities a scenario declares unless it lists its own.
STANDARD_ACTIVITIES = (
    "exercise", "disaster_relief", "peacekeeping", "evacuation", "liaison", "training_support",
)  # fmt: skip
# What an agreement that lists no activities covers (format version 1; those of them declared).
DEFAULT_ACTIVITIES = ("exercise", "disaster_relief", "peacekeeping", "evacuation", "liaison")
ROUTINE = "routine"  # the activity of a holder with no active phase: always known, never declared


def fill_agreement_activities(data: Any) -> Any:
    """Scenario data with every agreement that lists no activities given DEFAULT_ACTIVITIES,
    those of them the scenario declares: a default never names an undeclared activity, and
    the resolved scenario loads again."""
    if not isinstance(data, dict) or not isinstance(data.get("agreements"), list):
        return data
    declared = data.get("activities", STANDARD_ACTIVITIES)
    if not isinstance(declared, list | tuple):
        return data  # reported where it stands
    covered = [a for a in DEFAULT_ACTIVITIES if a in declared]
    agreements = [
        {**ag, "activities": covered} if isinstance(ag, dict) and "activities" not in ag else ag
        for ag in data["agreements"]
    ]
    return {**data, "agreements": agreements}
