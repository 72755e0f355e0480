"""The tables of the report page, as plain sections (title, columns, rows of text).

The template renders any section the same way, so a new table (or the ledger's own
statement of account) needs no change to it. Money shown here is summed and
rounded as Decimal; KPIs come from summary.json as the run wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from acsasim.ledger.money import from_minor
from acsasim.output.kpi_labels import describe, flatten, number
from acsasim.output.run_data import RunData
from acsasim.output.statement_view import (
    balance_text,
    closing_text,
    page_rows,
    rates_note,
    statement_columns,
)
from acsasim.output.style import label, party_colours
from acsasim.scenario.quantities import format_duration
from acsasim.scenario.types import RESTRICTED

LARGEST_ORDERS = 10
STATEMENT_ROWS = 400  # beyond this a pair's statement is cut, with a note
REFUSAL_ROWS = 400  # and the list of every refusal (refusals.csv has them all)


@dataclass(frozen=True)
class Section:
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    note: str = ""
    numeric: frozenset[int] = field(default_factory=frozenset)  # right-aligned columns
    nowrap: frozenset[int] = field(default_factory=frozenset)  # dates, ids: kept on one line
    swatches: dict[str, str] = field(default_factory=dict)  # first-column value -> colour


def parties(data: RunData) -> Section:
    s = data.scenario
    count = {p: sum(h.party == p for h in s.holders) for p in s.parties}
    rows = [
        (pid, p.name, p.currency, f"{p.tax.vat:.0%}", count[pid])
        for pid, p in sorted(s.parties.items())
    ]
    return Section(
        "Parties",
        ("party", "name", "currency", "VAT", "holders"),
        rows,
        numeric=frozenset({3, 4}),
        swatches=party_colours(s.parties),
    )


def agreements(data: RunData) -> list[Section]:
    """One two-column table of terms per agreement, in the words of the scenario file."""
    scenario = data.scenario
    dumped = scenario.model_dump(mode="json", by_alias=True)["agreements"]
    out = []
    for ag, spec in zip(dumped, scenario.agreements, strict=True):
        st = ag["settlement"]
        offset = spec.settlement.offset_rule
        terms = [
            ("parties", " and ".join(ag["parties"])),
            ("signed", ag["signed"] or "not given"),
            ("in force from", ag["in_force"] or "the start of the scenario"),
            ("activities", ", ".join(label(a) for a in ag["activities"])),
            ("categories", ", ".join(label(c) for c in ag["categories"])),
            ("excluded", ", ".join(ag["excluded"]) or "none"),
            ("prohibited", _prohibited(ag["prohibited"])),
            ("tax exempt", "yes" if ag["tax_exempt"] else "no"),
            ("priced on order", _text(ag["price_on_order"]) if ag["price_on_order"] else "no"),
            ("charges", _text(ag["charges"]) if ag["charges"] else "none"),
            ("settlement, in order", _methods(st["methods"])),
            ("given back for equal value", _text(st["exchange"]) or "items of the same category"),
            ("due within", _text(st["deadline"])),
            ("returns in kind not before", _text(st["return_after"])),
            ("at the deadline", label(st["on_deadline"])),
            ("cash invoiced after", _text(st["invoice_after"])),
            ("payment terms", _text(st["payment_terms"])),
            ("offset", _offset(offset) if offset else "only by an offset event"),
            *_ceilings(spec, data.currency),
        ]
        out.append(Section(f"Agreement {ag['id']}", ("term", "value"), terms))
    return out


def _prohibited(classes: list[str]) -> str:
    if set(classes) == set(RESTRICTED):
        return "the standard exclusion list"
    return ", ".join(label(c) for c in classes) or "none"


def _methods(methods: Any) -> str:
    if isinstance(methods, list):
        return ", ".join(label(m) for m in methods)
    return "; ".join(f"{key}: {_methods(value)}" for key, value in methods.items())


def _offset(rule: Any) -> str:
    chance = f", decided with probability {rule.probability:g}" if rule.probability < 1 else ""
    return f"after {_text(format_duration(rule.after))} from {rule.from_}{chance}"


def _ceilings(ag: Any, currency: str) -> list[tuple[str, str]]:
    """R14: each party's limits per year, what it provides and what it acquires."""
    rows = []
    for party in ag.parties:
        start = ag.ceilings.year_start(party)
        year = f"fiscal year from {start}" if start else "agreement year"
        for direction in ("provided", "acquired"):
            value, supplies = ag.ceilings.limits(party, direction)
            if value or supplies:
                limits = (
                    f"{_limit(value, currency)}, of which supplies {_limit(supplies, currency)}"
                )
                rows.append((f"ceiling, {party} {direction} per {year}", limits))
    return rows or [("ceilings", "none")]


def _text(value: Any) -> str:
    """A scenario value as its file spells it: `30d`, `triangular 15d, 30d, 90d`."""
    if isinstance(value, dict):
        return "; ".join(f"{k} {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _limit(value: float | None, currency: str) -> str:
    return f"{value:,.0f} {currency}" if value else "none"


def holders(data: RunData) -> Section:
    s = data.scenario
    rows = [
        (h.party, h.id, h.kind, h.site, h.personnel or "", h.supplied_by or "", ", ".join(h.stock))
        for h in sorted(s.holders, key=lambda h: h.party)
    ]
    return Section(
        "Holders",
        ("party", "holder", "kind", "site", "personnel", "supplied by", "stocks"),
        rows,
        numeric=frozenset({4}),
        swatches=party_colours(s.parties),
    )


def kpis(data: RunData) -> Section:
    """The headline KPIs of summary.json, one per row, labelled and with units as everywhere
    else (`kpi_labels`); a net balance says who owes whom."""
    k, cur = data.kpis, data.currency
    flat = flatten({key: v for key, v in k.items() if key in _HEADLINE})
    rows: list[tuple[str, str]] = []
    for column in sorted(flat, key=lambda c: (_HEADLINE.index(c.split(".")[0]), c)):
        info = describe(column, cur)
        value = flat[column]
        if info.sign:  # a balance: in words, which way it points
            a, b = column.split(".", 1)[1].split("-", 1)
            who = f"{b} owes {a}" if value >= 0 else f"{a} owes {b}"
            rows.append((info.label, f"{who} {abs(value):,.2f} {cur}"))
        else:
            rows.append((info.label, f"{number(value, info)} {info.unit}".strip()))
    if not k.get("overdue_end"):
        rows.append(("overdue at the end", "none"))
    if k.get("acsa_lead_time_hours") is None:
        rows.append((describe("acsa_lead_time_hours").label, "-"))
    rows += [(label(key), _kpi_text(v)) for key, v in k.items() if key not in _KNOWN]  # added later
    return Section("Key figures", ("figure", "value"), rows)  # the page aligns values right


# In this order on the page; the per-commodity KPIs have their own table (`commodities`).
_HEADLINE = (
    "orders",
    "orders_by_method",
    "value_provided",
    "gratis_value",
    "tax_waived",
    "outstanding_end",
    "overdue_end",
    "max_outstanding",
    "acsa_lead_time_hours",
    "refusals_by_reason",
    "aging_end",
    "settled_by_method",
    "days_to_settle",
    "national_transfers",
    "purchases_value",
    "tax_paid",
)
_KNOWN = {*_HEADLINE, "unmet_demand", "fill_rate", "stockout_hours", "ceiling_use"}


def _kpi_text(value: Any) -> str:
    """A KPI this page does not know by name, still readable: `JP→PH: not due 1,234.50`."""
    if isinstance(value, dict):
        parts = [f"{label(str(k)).replace('->', '→')}: {_kpi_text(v)}" for k, v in value.items()]
        return "; ".join(parts) or "none"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def commodities(data: RunData) -> Section:
    k, s = data.kpis, data.scenario
    rows = [
        (
            c,
            f"{k['fill_rate'].get(c, 1.0):.1%}",
            f"{unmet:,.0f} {s.commodities[c].unit}",
            f"{k['stockout_hours'].get(c, 0.0):,.0f} h",
        )
        for c, unmet in k.get("unmet_demand", {}).items()
    ]
    return Section(
        "Demand served per commodity",
        ("commodity", "fill rate", "unmet demand", "holder-hours at zero stock"),
        rows,
        numeric=frozenset({1, 2, 3}),
    )


def largest_orders(data: RunData, n: int = LARGEST_ORDERS) -> Section:
    o, rep = data.frames["orders"], data.currency
    units = data.order_values()
    top = sorted(range(len(o)), key=lambda i: -units[i])[:n]  # stable: the first of equals
    rows = [
        (
            r.order_id,
            str(r.requested_at)[:16].replace("T", " "),
            f"{r.provider} ({r.provider_party})",
            f"{r.receiver} ({r.receiver_party})",
            r.commodity,
            f"{r.quantity:,.0f} {r.unit}",
            f"{from_minor(int(units[i]), rep):,.2f}",
            label(str(r.method) or "in transit"),
            r.status,
        )
        for i, r in zip(top, o.iloc[top].itertuples(index=False), strict=True)
    ]
    total = from_minor(int(units.sum()), rep)
    return Section(
        f"The {len(rows)} largest orders",
        (
            "order",
            "requested",
            "provider",
            "receiver",
            "commodity",
            "quantity",
            f"value ({data.currency})",
            "method",
            "status",
        ),
        rows,
        note=f"{len(o)} orders in all, worth {total:,.2f} {data.currency}." if len(o) else "",
        numeric=frozenset({5, 6}),
        nowrap=frozenset({0, 1}),
    )


def refusal_summary(data: RunData) -> Section:
    r = data.frames["refusals"]
    groups = r.groupby(["reason", "requester_party", "commodity"], sort=True)
    rows = [
        (label(str(reason)), party, commodity, len(g), f"{g['quantity_refused'].sum():,.1f}")
        for (reason, party, commodity), g in groups
    ]
    return Section(
        "Refusals, grouped",
        ("reason", "asked by", "commodity", "requests", "quantity refused"),
        sorted(rows, key=lambda x: -x[3]),
        numeric=frozenset({3, 4}),
    )


def refusals(data: RunData) -> Section:
    """Every refusal, in time order, up to REFUSAL_ROWS (the page stays light to open;
    refusals.csv has every one)."""
    everyone = data.frames["refusals"]
    r = everyone.head(REFUSAL_ROWS)
    rows = [
        (
            str(x.time)[:16].replace("T", " "),
            label(str(x.reason)),
            x.requester,
            x.provider or "-",
            x.commodity,
            f"{x.quantity_requested:,.1f}",
            f"{x.quantity_refused:,.1f}",
        )
        for x in r.itertuples(index=False)
    ]
    return Section(
        "Every refusal",
        ("time", "reason", "requester", "provider", "commodity", "requested", "refused"),
        rows,
        note=(
            "No request was refused."
            if not rows
            else f"The first {len(rows)} of {len(everyone)} refusals; refusals.csv lists every one."
            if len(everyone) > len(rows)
            else ""
        ),
        numeric=frozenset({5, 6}),
        nowrap=frozenset({0}),
    )


def statements(data: RunData) -> list[Section]:
    """One statement per pair of parties with an agreement, in the reporting currency; every
    pair from the one pass over the journal (`RunData.moves`), only the rows shown worded."""
    from acsasim.ledger.statements import pair_lines

    pairs = sorted({tuple(sorted(ag.parties)) for ag in data.scenario.agreements})
    out = []
    for a, b in pairs:
        lines = pair_lines(data.moves, a, b)
        rows = page_rows(lines, data.scenario, STATEMENT_ROWS)
        note = (
            f"Each amount in its order's currency; the other columns in {data.currency}, "
            f"converted at the scenario's rates ({rates_note(data.scenario)}): the balance adds "
            "each currency's own balance at these rates, never one currency to another as is. "
            "A transaction is in a party's favour when it raises what the other owes it (it "
            "provided) or lowers what it owes (it repaid)."
        )
        if len(lines) > STATEMENT_ROWS:
            note += f" The first {STATEMENT_ROWS} of {len(lines)} lines are shown."
        if not rows:
            note = f"No transaction between {a} and {b}."
        end = (
            closing_text(lines, data.scenario)
            if rows
            else balance_text(Decimal(0), (a, b), data.currency)
        )
        out.append(
            Section(
                f"{a} and {b}: at the end {end} {data.currency}",
                statement_columns((a, b), data.currency),
                rows,
                note=note,
                numeric=frozenset({4, 5, 6, 7}),
                nowrap=frozenset({0, 2}),
            )
        )
    return out
