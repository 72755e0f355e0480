"""KPIs flattened to columns, and the replications table built from finished jobs.

A run's KPIs are nested dicts (`kpis.py`); a study needs one column per number:
`unmet_demand.diesel`, `value_provided.PH->JP`, `ceiling_use.JP-PH.JP.2026-01-15.value`.
Columns are the union over all rows, sorted, so the table does not depend on which
replication finished first.

A KPI that is a *sum* (orders, values, unmet demand...) and has no entry in a run (no
orders between that pair) is 0 in the table, so averaging a column gives the right mean;
a KPI that is undefined in a run (`acsa_lead_time_hours` with no orders, a fill rate of a
commodity nobody consumed) stays empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from acsasim.experiments.runner import Outcome
from acsasim.output.csv_cells import csv_text

# Top-level KPIs whose absent entries mean "none happened" (outputs.md, summary.json).
SUMS = frozenset(
    {
        "orders",
        "orders_by_method",
        "refusals_by_reason",
        "value_provided",
        "gratis_value",
        "tax_waived",
        "outstanding_end",
        "overdue_end",
        "max_outstanding",
        "unmet_demand",
        "stockout_hours",
        "ceiling_use",
        "aging_end",
        "settled_by_method",
        "national_transfers",
        "purchases_value",
        "tax_paid",
    }
)
# Means: undefined (empty) when there was nothing to average.
KPI_NAMES = SUMS | {"fill_rate", "acsa_lead_time_hours", "days_to_settle"}
# The KPIs shown on the terminal and charted; summary.json and the CSV hold them all.
HEADLINE = (
    "unmet_demand.",
    "fill_rate.",
    "orders",
    "value_provided.",
    "overdue_end.",
    "outstanding_end.",
    "tax_waived",
    "acsa_lead_time_hours",
)


def is_sum(column: str) -> bool:
    return column.split(".", 1)[0] in SUMS


def columns_of(outcomes: Iterable[Outcome]) -> list[str]:
    """The union of KPI columns over all outcomes, sorted."""
    names: set[str] = set()
    for outcome in outcomes:
        names.update(outcome.kpis)
    return sorted(names)


def value(outcome: Outcome, column: str) -> float | None:
    """The column's value in one replication: absent sums are 0, absent others None."""
    got = outcome.kpis.get(column)
    if got is None and is_sum(column):
        return 0
    return got


def headline(columns: Sequence[str]) -> list[str]:
    """The columns worth a line on the terminal and a chart, in HEADLINE order."""
    return [c for p in HEADLINE for c in columns if c == p or (p.endswith(".") and c.startswith(p))]


def replications_csv(
    keys: Sequence[Mapping[str, str]], outcomes: Sequence[Outcome], columns: Sequence[str]
) -> str:
    """replications.csv: the grid point's key columns, rep, seed, then every KPI column;
    rows sorted by (grid point, replication index) whatever order they finished in."""
    key_names = list(keys[0]) if keys else []
    ordered = sorted(outcomes, key=lambda o: (o.point, o.rep))
    rows = (
        [*keys[o.point].values(), o.rep, o.seed, *(value(o, c) for c in columns)] for o in ordered
    )
    return csv_text([*key_names, "rep", "seed", *columns], rows)
