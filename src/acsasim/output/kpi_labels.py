"""Every KPI in words: its label, its unit, the bounds it cannot leave and what its sign means.

One table for everything a person reads: the KPI table `acsasim run` prints, the report page,
and the tables and charts of experiments. A KPI is named by its flattened key
(`unmet_demand.diesel`, `value_provided.PH->JP`, `ceiling_use.JP-PH.JP.2026-01-15.value`);
raw keys stay in the files scripts read (summary.json, replications.csv), never on a page.

`lower` is the least a KPI can be: experiments use a bound-respecting confidence interval
for such KPIs (a bootstrap), so a quantity that cannot be negative never gets a negative
bound; a KPI with `lower` None (a net balance) can take either sign and says which way
`sign` points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from acsasim.output.style import label as words

MONEY = "money"  # placeholder unit: the reporting currency, filled in by `describe`
COMMODITY = "commodity"  # placeholder unit: the commodity's own unit
FRACTION = "%"  # stored as a fraction, shown as a percentage


@dataclass(frozen=True)
class KpiInfo:
    label: str
    unit: str
    lower: float | None = 0.0  # None: any sign
    upper: float | None = None
    sign: str = ""  # for a KPI that may be negative: what + and - mean

    @property
    def bounded(self) -> bool:
        return self.lower is not None or self.upper is not None


Maker = Callable[[list[str]], KpiInfo]


def _pair(text: str, arrow: str) -> tuple[str, str]:
    a, _, b = text.partition(arrow)
    return a, b


def _balance(rest: list[str]) -> KpiInfo:
    a, b = _pair(rest[0], "-")
    return KpiInfo(
        f"net balance {a}-{b} at the end",
        MONEY,
        lower=None,
        sign=f"+: {b} owes {a}, -: {a} owes {b}",
    )


def _ceiling(rest: list[str]) -> KpiInfo:
    agreement, party, year, which = [*rest, "", "", "", ""][:4]
    kind = "supplies ceiling" if which.endswith("supplies_value") else "ceiling"
    role = "acquiring" if which.startswith("acquired") else "providing"
    return KpiInfo(f"{kind} used, {agreement}, {party} {role}, year from {year}", FRACTION)


def _aging(rest: list[str]) -> KpiInfo:
    a, b = _pair(rest[0], "->")
    bucket = rest[1] if len(rest) > 1 else ""
    when = "not yet due" if bucket == "not_due" else f"{words(bucket)} days overdue"
    return KpiInfo(f"unsettled at the end, {a} owes {b}, {when}", MONEY)


_KPIS: dict[str, Maker] = {
    "orders": lambda r: KpiInfo("ACSA orders", "orders"),
    "orders_by_method": lambda r: KpiInfo(f"orders by method: {words(r[0])}", "orders"),
    "refusals_by_reason": lambda r: KpiInfo(f"refusals: {words(r[0])}", "refusals"),
    "value_provided": lambda r: KpiInfo("value provided {} → {}".format(*_pair(r[0], "->")), MONEY),
    "tax_waived": lambda r: KpiInfo("tax waived by the agreements", MONEY),
    "gratis_value": lambda r: KpiInfo(
        "value given as aid {} → {}".format(*_pair(r[0], "->")), MONEY
    ),
    "outstanding_end": _balance,
    "overdue_end": lambda r: KpiInfo(
        "overdue at the end, {} owes {}".format(*_pair(r[0], "->")), MONEY
    ),
    "max_outstanding": lambda r: KpiInfo("largest total owed at any moment", MONEY),
    "unmet_demand": lambda r: KpiInfo(f"unmet demand, {r[0]}", COMMODITY),
    "fill_rate": lambda r: KpiInfo(f"fill rate, {r[0]}", FRACTION, upper=1.0),
    "stockout_hours": lambda r: KpiInfo(f"holder-hours at zero stock, {r[0]}", "h"),
    "acsa_lead_time_hours": lambda r: KpiInfo("mean ACSA lead time", "h"),
    "ceiling_use": _ceiling,
    "aging_end": _aging,
    "settled_by_method": lambda r: KpiInfo(f"value settled by {words(r[0])}", MONEY),
    "days_to_settle": lambda r: KpiInfo(f"mean days to settle, {words(r[0])}", "days"),
    "national_transfers": lambda r: KpiInfo(f"national transfers received, {r[0]}", "transfers"),
    "purchases_value": lambda r: KpiInfo(f"commercial purchases, {r[0]}", MONEY),
    "tax_paid": lambda r: KpiInfo(f"tax paid on commercial purchases, {r[0]}", MONEY),
}


_SCALARS = {"orders", "tax_waived", "max_outstanding", "acsa_lead_time_hours"}


def describe(column: str, currency: str = "", units: Mapping[str, str] | None = None) -> KpiInfo:
    """The KPI `column` in words, with `currency` (the reporting one) and each commodity's
    unit filled in. A KPI this table does not know (added later) is still worded, with no
    unit and either sign allowed."""
    top, *rest = column.split(".")
    make = _KPIS.get(top)
    if make is None or bool(rest) == (top in _SCALARS):
        shown = " ".join([words(top), *(words(r).replace("->", " → ") for r in rest)])
        return KpiInfo(shown, "", lower=None)
    info = make(rest)
    if info.unit == MONEY:
        return _with_unit(info, currency)
    if info.unit == COMMODITY:
        return _with_unit(info, (units or {}).get(rest[0], ""))
    return info


def _with_unit(info: KpiInfo, unit: str) -> KpiInfo:
    return KpiInfo(info.label, unit, info.lower, info.upper, info.sign)


def heading(info: KpiInfo) -> str:
    """`unmet demand, diesel (L)`: a label with its unit, for an axis or a column."""
    return f"{info.label} ({info.unit})" if info.unit else info.label


def number(value: float | None, info: KpiInfo) -> str:
    """A KPI's value as a person reads it: counts whole, money to the cent, fractions as
    percentages, other quantities by `plain`."""
    if value is None:
        return "-"
    if info.unit == FRACTION:
        return f"{value * 100:,.1f}"
    if info.unit in ("orders", "refusals", "transfers"):
        return f"{value:,.0f}"
    if info.unit and info.unit.isupper() and len(info.unit) == 3:  # a currency code
        return f"{value:,.2f}"
    return plain(value)


def plain(x: float | None) -> str:
    """A number in as few characters as keeps it readable: 12,345 / 12.35 / 0.0123."""
    if x is None:
        return "-"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 1 or x == 0:
        return f"{x:,.2f}"
    return f"{x:.3g}"


def flatten(kpis: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """Nested KPIs -> {dotted.name: number}; None and non-numbers are left out."""
    flat: dict[str, float] = {}
    for key, value in kpis.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            flat[name] = value
    return flat
