"""Colours and formats shared by every chart, so a reader learns them once.

A party keeps one colour in every chart of a report (and of every report of the
same scenario), because colours are assigned from a fixed palette in the sorted
order of party ids, never in the order data happens to arrive. Categories,
phase profiles and aging buckets have their own palettes, muted or sequential,
so they are never mistaken for a party.
"""

from __future__ import annotations

from collections.abc import Iterable

# Tableau 10, strong and colour-blind tolerant: parties. Orange and red come last, since
# they also mean "reorder level", "reserve" and "overdue".
PARTY_PALETTE = (
    "#4e79a7",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#9c755f",
    "#edc948",
    "#ff9da7",
    "#bab0ac",
    "#f28e2b",
    "#e15759",
)
# Muted, for stacked areas by ACSA category and for phase profiles.
SOFT_PALETTE = (
    "#8dd3c7",
    "#fdb462",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#b3de69",
    "#fccde5",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
    "#d9d9d9",
    "#a6cee3",
)
# Pale and free of orange and red: phase profiles, shaded behind stock lines.
PHASE_PALETTE = (
    "#a6cee3",
    "#b2df8a",
    "#cab2d6",
    "#ffff99",
    "#8dd3c7",
    "#d9d9d9",
    "#ccebc5",
    "#bc80bd",
    "#80b1d3",
    "#ffed6f",
)
# Aging buckets, from "not yet due" (calm) to "over 365 days overdue" (alarm).
AGING_BUCKETS = ("not yet due", "1-30 d", "31-90 d", "91-180 d", "181-365 d", "over 365 d")
AGING_EDGES_DAYS = (0, 30, 90, 180, 365)
AGING_COLOURS = ("#d9d9d9", "#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404")

INK = "#333333"
GRID = "#dddddd"
REORDER = "#f28e2b"
RESERVE = "#c0392b"
EVENT = "#555555"
OVERDUE = "#c0392b"


def party_colours(parties: Iterable[str]) -> dict[str, str]:
    """party id -> colour, assigned in sorted order of ids (stable across charts and runs)."""
    return {p: PARTY_PALETTE[i % len(PARTY_PALETTE)] for i, p in enumerate(sorted(set(parties)))}


def keyed_colours(keys: Iterable[str], palette: tuple[str, ...] = SOFT_PALETTE) -> dict[str, str]:
    """key -> colour from `palette`, in sorted order of keys (categories, phase profiles)."""
    return {k: palette[i % len(palette)] for i, k in enumerate(sorted(set(keys)))}


def money_text(value: float, currency: str) -> str:
    """Compact money for axes and bar labels: 1.2M USD, 35.4k USD, 812 USD."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= size:
            return f"{sign}{v / size:.1f}{suffix} {currency}"
    return f"{sign}{v:,.0f} {currency}"


def quantity_text(value: float, unit: str = "") -> str:
    """A quantity with thousands separators and its unit: 43,517 L, 1.3 each."""
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def label(key: str) -> str:
    """An id made readable in a legend: replacement_in_kind -> replacement in kind."""
    return key.replace("_", " ")
