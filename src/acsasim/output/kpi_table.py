"""A short, plain-text KPI table for the terminal after a run."""

from __future__ import annotations

from typing import Any


def kpi_lines(kpis: dict[str, Any], currency: str) -> list[str]:
    """The headline KPIs, one per line, aligned."""
    rows: list[tuple[str, str]] = [("orders", str(kpis["orders"]))]
    rows += [
        (f"value provided {pair}", f"{v:,.2f} {currency}")
        for pair, v in kpis["value_provided"].items()
    ]
    rows.append(("tax waived", f"{kpis['tax_waived']:,.2f} {currency}"))
    rows += [
        (f"outstanding {pair} (net)", f"{v:,.2f} {currency}")
        for pair, v in kpis["outstanding_end"].items()
    ]
    rows += [(f"refusals {reason}", str(n)) for reason, n in kpis["refusals_by_reason"].items()]
    rows += [(f"unmet {c}", f"{v:,.1f}") for c, v in kpis["unmet_demand"].items() if v > 0]
    rows += [(f"fill rate {c}", f"{v:.1%}") for c, v in kpis["fill_rate"].items()]
    lead = kpis["acsa_lead_time_hours"]
    rows.append(("ACSA lead time", "-" if lead is None else f"{lead:.1f} h"))
    width = max(len(k) for k, _ in rows)
    return [f"{k.ljust(width)}  {v}" for k, v in rows]
