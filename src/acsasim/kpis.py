"""The KPIs of a run (summary.json; docs/outputs.md#kpis), from a RunResult alone.

Pure Python (no pandas), so experiments can compute them for every replication
cheaply. Money is in the reporting currency, exact decimals summed first and
turned into JSON numbers last. Pair keys have a fixed orientation so that the
columns of many replications line up:
- `value_provided["PH->JP"]`: what PH provided to JP;
- `outstanding_end["JP-PH"]`: net that PH owes JP (negative: JP owes PH), parties sorted;
- `overdue_end["PH->JP"]`: overdue balance PH owes JP.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from acsasim.ledger import Converter
from acsasim.ledger.accounts import receivable_parties
from acsasim.ledger.settlement import AGING_BUCKETS, aging_bucket
from acsasim.ledger.years import agreement_year, anniversary

if TYPE_CHECKING:
    from acsasim.result import RunResult

UNSETTLED = ("open", "overdue", "converted")


def compute_kpis(r: RunResult) -> dict[str, Any]:
    s = r.scenario
    orders = r.orders
    return {
        "orders": len(orders),
        "orders_by_method": _count(o.method or "in_transit" for o in orders),
        "refusals_by_reason": _count(x.reason for x in r.refusals),
        "value_provided": _money_by(
            (f"{o.provider_party}->{o.receiver_party}", o.value_reporting) for o in orders
        ),
        "tax_waived": _num(sum((o.tax_waived_reporting for o in orders), Decimal(0))),
        "outstanding_end": _outstanding(r),
        "overdue_end": _money_by(
            (f"{o.receiver_party}->{o.provider_party}", _unsettled(o))
            for o in orders
            if o.status in UNSETTLED and o.due_at is not None and o.due_at < s.duration
        ),
        "max_outstanding": _max_outstanding(r),
        **_demand(r),
        "acsa_lead_time_hours": _mean(
            [o.delivered_at - o.requested_at for o in orders if o.delivered_at is not None]
        ),
        "ceiling_use": _ceiling_use(r),
        "aging_end": _aging(r),
        "settled_by_method": _settled_by_method(r),
        "days_to_settle": _days_to_settle(r),
    }


def _count(keys: Any) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for key in keys:
        counts[key] += 1
    return dict(sorted(counts.items()))


def _num(amount: Decimal) -> float:
    return float(amount)


def _money_by(pairs: Any) -> dict[str, float]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for key, amount in pairs:
        sums[key] += amount
    return {k: _num(v) for k, v in sorted(sums.items())}


def _unsettled(order: Any) -> Decimal:
    return (
        order.value_reporting * (1 - order.settled_value / order.value)
        if order.value
        else Decimal(0)
    )


def _converter(r: RunResult) -> Converter:
    return Converter(r.scenario.rates, r.scenario.reporting_currency)


def _receivables(r: RunResult) -> dict[tuple[str, str], Decimal]:
    """Open receivable (creditor, debtor) -> amount, in the reporting currency, from the ledger."""
    conv = _converter(r)
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for txn in r.transactions:
        for p in txn.postings:
            pair = receivable_parties(p.account)
            if pair is not None:
                out[pair] += conv.exact(p.amount, p.currency)
    return out


def _outstanding(r: RunResult) -> dict[str, float]:
    rec = _receivables(r)
    result: dict[str, Decimal] = {}
    for a, b in {tuple(sorted(k)) for k in rec}:
        result[f"{a}-{b}"] = rec.get((a, b), Decimal(0)) - rec.get((b, a), Decimal(0))
    return {k: round(_num(v), 2) for k, v in sorted(result.items())}


def _max_outstanding(r: RunResult) -> float:
    """The largest total of open receivables at any moment, reporting currency."""
    conv = _converter(r)
    total = peak = Decimal(0)
    for txn in r.transactions:
        for p in txn.postings:
            if receivable_parties(p.account) is not None:
                total += conv.exact(p.amount, p.currency)
        peak = max(peak, total)
    return round(_num(peak), 2)


def _demand(r: RunResult) -> dict[str, dict[str, float]]:
    served: dict[str, float] = defaultdict(float)
    unmet: dict[str, float] = defaultdict(float)
    for f in r.flows:
        if f.kind == "consume":
            served[f.commodity] -= f.quantity
            unmet[f.commodity] += f.unmet
    stockout: dict[str, float] = defaultdict(float)
    for (_, commodity), hours in r.stockout_hours.items():
        stockout[commodity] += hours
    commodities = sorted(set(served) | set(unmet))
    return {
        "unmet_demand": {c: unmet[c] for c in commodities},
        "fill_rate": {
            c: (served[c] / (served[c] + unmet[c]) if served[c] + unmet[c] > 0 else 1.0)
            for c in commodities
        },
        "stockout_hours": {c: stockout.get(c, 0.0) for c in commodities},
    }


def _aging(r: RunResult) -> dict[str, dict[str, float]]:
    """Unsettled value at the end per direction (debtor->creditor) and aging bucket."""
    end = r.scenario.duration
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for o in r.orders:
        if o.status in UNSETTLED and o.due_at is not None:
            bucket = aging_bucket((end - o.due_at) / 24)
            sums[f"{o.receiver_party}->{o.provider_party}"][bucket] += _unsettled(o)
    return {
        pair: {b: round(_num(by[b]), 2) for b in AGING_BUCKETS if b in by}
        for pair, by in sorted(sums.items())
    }


SETTLING_KINDS = {
    "return_in_kind": "replacement_in_kind",
    "equal_value": "equal_value_exchange",
    "payment": "cash",
    "offset": "offset",
}


def _settled_by_method(r: RunResult) -> dict[str, float]:
    """Value settled by each means, reporting currency: what the settling transactions took
    off the providers' receivables."""
    conv = _converter(r)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for txn in r.transactions:
        means = SETTLING_KINDS.get(txn.kind)
        if means is None:
            continue
        for p in txn.postings:
            if p.amount < 0 and receivable_parties(p.account) is not None:
                sums[means] -= conv.exact(p.amount, p.currency)
    return {k: round(_num(v), 2) for k, v in sorted(sums.items())}


def _days_to_settle(r: RunResult) -> dict[str, float]:
    """Mean days from delivery to settlement of the orders settled, by method (offset apart)."""
    days: dict[str, list[float]] = defaultdict(list)
    for o in r.orders:
        if (
            o.status in ("settled", "offset")
            and o.settled_at is not None
            and o.delivered_at is not None
        ):
            key = "offset" if o.status == "offset" else o.method or "unknown"
            days[key].append((o.settled_at - o.delivered_at) / 24)
    return {k: sum(v) / len(v) for k, v in sorted(days.items())}


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _ceiling_use(r: RunResult) -> dict[str, dict[str, dict[str, dict[str, float]]]]:
    """agreement -> provider party -> agreement year (its first day) -> {value, supplies_value}:
    the fraction of each ceiling used (R14)."""
    s = r.scenario
    used: dict[tuple[str, str, int], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    agreements = {ag.id: ag for ag in s.agreements}
    for o in r.orders:
        ag = agreements[o.agreement]
        year = agreement_year(ag.in_force or s.start, s.start, o.requested_at)
        used[(o.agreement, o.provider_party, year)][0] += o.value_reporting
        if not s.commodities[o.commodity].service:
            used[(o.agreement, o.provider_party, year)][1] += o.value_reporting
    out: dict[str, Any] = {}
    for (ag_id, party, year), (value, supplies) in sorted(used.items()):
        limits = agreements[ag_id].ceilings
        first_day = anniversary(agreements[ag_id].in_force or s.start, year).date().isoformat()
        use = {}
        if limits.value:
            use["value"] = _num(value) / limits.value
        if limits.supplies_value:
            use["supplies_value"] = _num(supplies) / limits.supplies_value
        if use:
            out.setdefault(ag_id, {}).setdefault(party, {})[first_day] = use
    return out
