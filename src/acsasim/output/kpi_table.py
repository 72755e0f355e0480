"""A short, plain-text KPI table for the terminal after a run: each figure with its unit and,
for a balance, which way its sign points (labels and units from `kpi_labels`)."""

from __future__ import annotations

from typing import Any

from acsasim.output.kpi_labels import describe, flatten, number
from acsasim.scenario.model import Scenario

# The KPIs a run prints, in this order (summary.json has every one).
SHOWN = (
    "orders",
    "value_provided.",
    "gratis_value.",
    "tax_waived",
    "tax_paid.",
    "national_transfers.",
    "outstanding_end.",
    "overdue_end.",
    "refusals_by_reason.",
    "unmet_demand.",
    "fill_rate.",
    "acsa_lead_time_hours",
)


def kpi_lines(kpis: dict[str, Any], scenario: Scenario) -> list[str]:
    """KPI | value | unit | what the sign means, one per line, aligned, under a heading."""
    flat = flatten(kpis)
    units = {c: m.unit for c, m in scenario.commodities.items()}
    rows = [("KPI", "value", "unit", "")]
    for prefix in SHOWN:
        for column in [
            c for c in flat if c == prefix or (prefix[-1] == "." and c.startswith(prefix))
        ]:
            if column.startswith("unmet_demand.") and flat[column] <= 0:
                continue  # demand that was met in full is said by its fill rate
            info = describe(column, scenario.reporting_currency, units)
            rows.append((info.label, number(flat[column], info), info.unit, info.sign))
    if "acsa_lead_time_hours" not in flat:  # no order was delivered: the mean is undefined
        info = describe("acsa_lead_time_hours")
        rows.append((info.label, "-", info.unit, "no order delivered"))
    w = [max(len(r[i]) for r in rows) for i in range(3)]
    return [
        f"{r[0].ljust(w[0])}  {r[1].rjust(w[1])}  {r[2].ljust(w[2])}  {r[3]}".rstrip() for r in rows
    ]
