"""The KPIs of a run (summary.json; docs/outputs.md#kpis), from the run's books, read as
columns.

Money is in the reporting currency: exact sums of integer minor units, converted at the
end and turned into JSON numbers last. Quantities are summed in each commodity's whole
units of resolution and divided once. Pair keys have a fixed orientation so that the
columns of many replications line up:
- `value_provided["PH->JP"]`: what PH provided to JP;
- `outstanding_end["JP-PH"]`: net that PH owes JP (negative: JP owes PH), parties sorted;
- `overdue_end["PH->JP"]`: overdue balance PH owes JP.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from acsasim.ledger.accounts import receivable_parties
from acsasim.ledger.materiel import CODE
from acsasim.ledger.money import from_minor, minor_units
from acsasim.ledger.settlement import AGING_BUCKETS, aging_bucket
from acsasim.scenario.ceiling_calendar import CeilingCalendar
from acsasim.vocab import SETTLING, UNSETTLED, FlowKind, Method, Status

if TYPE_CHECKING:
    from acsasim.ledger.book import Books
    from acsasim.result import RunResult


def compute_kpis(r: RunResult) -> dict[str, Any]:
    books, o = r.books, r.books.orders
    rep = books.converter.reporting
    delivered = [
        d - q for d, q in zip(o.delivered_at, o.requested_at, strict=True) if d is not None
    ]
    return {
        "orders": len(o),
        "orders_by_method": _count(
            "in_transit" if s == Status.IN_TRANSIT else str(m)
            for m, s in zip(o.method, o.status, strict=True)
        ),
        "refusals_by_reason": _count(x.reason for x in r.refusals),
        "value_provided": _money_by(_directions(o, provider_first=True), o.value_reporting, rep),
        "gratis_value": _gratis(o, rep),
        "tax_waived": float(from_minor(sum(o.tax_waived), rep)),
        "outstanding_end": _outstanding(books),
        "overdue_end": _overdue(r),
        "max_outstanding": _max_outstanding(books),
        **_demand(r),
        "acsa_lead_time_hours": sum(delivered) / len(delivered) if delivered else None,
        "ceiling_use": _ceiling_use(r),
        "aging_end": _aging(r),
        "settled_by_method": _settled_by_method(books),
        "days_to_settle": _days_to_settle(books),
        **_national_means(r),
    }


def _count(keys: Any) -> dict[str, int]:
    return dict(sorted(Counter(keys).items()))


def _directions(o: Any, provider_first: bool) -> list[str]:
    a, b = (
        (o.provider_party, o.receiver_party)
        if provider_first
        else (o.receiver_party, o.provider_party)
    )
    return [f"{x}->{y}" for x, y in zip(a, b, strict=True)]


def _money_by(keys: list[str], amounts: list[int], currency: str) -> dict[str, float]:
    sums: dict[str, int] = defaultdict(int)
    for key, amount in zip(keys, amounts, strict=True):
        sums[key] += amount
    return {k: float(from_minor(v, currency)) for k, v in sorted(sums.items())}


def _gratis(o: Any, currency: str) -> dict[str, float]:
    """R22: value provided for nothing (for a gratis activity), per direction."""
    rows = [i for i, m in enumerate(o.method) if m == Method.GRATIS]
    keys = [f"{o.provider_party[i]}->{o.receiver_party[i]}" for i in rows]
    return _money_by(keys, [o.value_reporting[i] for i in rows], currency)


def _rate(books: Books, currency: str) -> Fraction:
    """Reporting units per minor unit of `currency`."""
    return 1 / (books.converter.fraction(currency) * 10 ** minor_units(currency))


def _unsettled_reporting(books: Books, row: int) -> Fraction:
    """What is unsettled of an order, converted exactly from its currency to reporting units
    (as the statements and `outstanding_end` convert the books' balances)."""
    o = books.orders
    return (o.value[row] - o.settled_value[row]) * _rate(books, o.currency[row])


def _outstanding(books: Books) -> dict[str, float]:
    """Net receivable per pair at the end, from the journal's balances."""
    j, net = books.journal, defaultdict[tuple[str, str], Fraction](Fraction)
    for (account, currency), amount in j.balances.items():
        pair = receivable_parties(j.account_names[account])
        if pair is not None:  # a pair that ever had a receivable, even settled to 0
            net[pair] += amount * _rate(books, j.currency_codes[currency])
    result = {}
    for a, b in sorted({tuple(sorted(k)) for k in net}):
        result[f"{a}-{b}"] = round(float(net[(a, b)] - net[(b, a)]), 2)
    return result


def _overdue(r: RunResult) -> dict[str, float]:
    o, end = r.books.orders, r.scenario.duration
    sums: dict[str, Fraction] = defaultdict(Fraction)
    for row, status in enumerate(o.status):
        due = o.due_at[row]
        if status in UNSETTLED and due is not None and due < end:
            key = f"{o.receiver_party[row]}->{o.provider_party[row]}"
            sums[key] += _unsettled_reporting(r.books, row)
    return {k: round(float(v), 2) for k, v in sorted(sums.items())}


def _receivable_legs(books: Books) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(transaction, currency, amount) of every posting on a receivable, plain or invoiced."""
    j = books.journal
    receivable = np.array([receivable_parties(n) is not None for n in j.account_names], dtype=bool)
    account = np.array(j.leg_account, dtype=np.int64)
    mask = receivable[account] if len(account) else np.zeros(0, dtype=bool)
    amounts = np.array(j.leg_amount, dtype=object)[mask]
    return np.array(j.leg_txn, dtype=np.int64)[mask], np.array(j.leg_currency)[mask], amounts


def _max_outstanding(books: Books) -> float:
    """The largest total of open receivables after any transaction, reporting currency: exact
    running sums per currency, the reporting total worked out exactly where it peaks."""
    txn, currency, amount = _receivable_legs(books)
    if not len(txn):
        return 0.0
    codes = books.journal.currency_codes
    rates = [_rate(books, c) for c in codes]
    running = np.zeros((len(codes), len(books.journal)), dtype=object)
    for c in range(len(codes)):
        pick = currency == c
        np.add.at(running[c], txn[pick], amount[pick])
    running = np.cumsum(running, axis=1)
    approx = sum(running[c].astype(float) * float(rates[c]) for c in range(len(codes)))
    near = np.flatnonzero(approx >= approx.max() - abs(approx.max()) * 1e-9 - 1e-6)
    peak = max(
        sum((running[c][t] * rates[c] for c in range(len(codes))), Fraction(0)) for t in near
    )
    return round(float(max(peak, Fraction(0))), 2)


def _demand(r: RunResult) -> dict[str, dict[str, float]]:
    stock = r.books.stock
    kinds = np.array(stock.kind, dtype=np.int64)
    consume = kinds == CODE[FlowKind.CONSUME]
    c = np.array(stock.commodity, dtype=np.int64)[consume]
    n = len(stock.commodities)
    served = np.zeros(n, dtype=np.int64)
    unmet = np.zeros(n, dtype=np.int64)
    np.add.at(served, c, -np.array(stock.quantity, dtype=np.int64)[consume])
    np.add.at(unmet, c, np.array(stock.unmet, dtype=np.int64)[consume])
    hours: dict[str, float] = defaultdict(float)
    for (_, commodity), h in r.stockout_hours.items():
        hours[commodity] += h
    seen = sorted(stock.commodities[i] for i in set(c.tolist()))
    index = {name: i for i, name in enumerate(stock.commodities)}
    out: dict[str, dict[str, float]] = {"unmet_demand": {}, "fill_rate": {}, "stockout_hours": {}}
    for name in seen:
        i, scale = index[name], stock.scales[index[name]]
        total = int(served[i]) + int(unmet[i])
        out["unmet_demand"][name] = int(unmet[i]) / scale
        out["fill_rate"][name] = int(served[i]) / total if total else 1.0
        out["stockout_hours"][name] = hours.get(name, 0.0)
    return out


def _aging(r: RunResult) -> dict[str, dict[str, float]]:
    """Unsettled value at the end per direction (debtor->creditor) and aging bucket."""
    o, end = r.books.orders, r.scenario.duration
    sums: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
    for row, status in enumerate(o.status):
        due = o.due_at[row]
        if status in UNSETTLED and due is not None:
            bucket = aging_bucket((end - due) / 24)
            key = f"{o.receiver_party[row]}->{o.provider_party[row]}"
            sums[key][bucket] += _unsettled_reporting(r.books, row)
    return {
        pair: {b: round(float(by[b]), 2) for b in AGING_BUCKETS if b in by}
        for pair, by in sorted(sums.items())
    }


def _settled_by_method(books: Books) -> dict[str, float]:
    """Value settled by each means, reporting currency: what the settling transactions took
    off the providers' receivables."""
    txn, currency, amount = _receivable_legs(books)
    kinds = books.journal.txn_kind
    codes = books.journal.currency_codes
    sums: dict[str, Fraction] = defaultdict(Fraction)
    for t, c, a in zip(txn.tolist(), currency.tolist(), amount.tolist(), strict=True):
        means = SETTLING.get(kinds[t])
        if means is not None and a < 0:
            sums[means] -= a * _rate(books, codes[c])
    return {k: round(float(v), 2) for k, v in sorted(sums.items())}


def _days_to_settle(books: Books) -> dict[str, float]:
    """Mean days from delivery to settlement of the orders settled, by method (offset apart).
    A delivery given back whole for equal-value balances (R10) is not a balance settled: the
    balances it repaid are, and count once."""
    o = books.orders
    days: dict[str, list[float]] = defaultdict(list)
    for row, status in enumerate(o.status):
        settled, delivered = o.settled_at[row], o.delivered_at[row]
        if row in o.settles and o.settled_at[row] == delivered:
            continue
        if status in (Status.SETTLED, Status.OFFSET) and settled is not None and delivered:
            key = "offset" if status == Status.OFFSET else str(o.method[row] or "unknown")
            days[key].append((settled - delivered) / 24)
    return {k: sum(v) / len(v) for k, v in sorted(days.items())}


def _ceiling_use(r: RunResult) -> dict[str, dict[str, dict[str, dict[str, float]]]]:
    """agreement -> party -> ceiling year (its first day) -> {value, supplies_value (what the
    party provided), acquired_value, acquired_supplies_value}: the fraction of each ceiling
    used (R14), from the orders as `scenario/ceiling_calendar.py` counts them."""
    s, o = r.scenario, r.books.orders
    rep = 10 ** minor_units(r.books.converter.reporting)
    calendar = CeilingCalendar(s)
    service = {c: spec.service for c, spec in s.commodities.items()}
    goods = (service[c] for c in o.commodity)
    rows = zip(o.agreement, o.provider_party, o.receiver, o.receiver_party, goods,
               o.requested_at, o.value_reporting, o.activity, strict=True)  # fmt: skip
    agreements = {ag.id: ag for ag in s.agreements}
    out: dict[str, Any] = {}
    for (ag_id, party, day, key), used in sorted(calendar.use(rows).items()):
        limit = calendar.limit(agreements[ag_id], party, key)
        if limit:
            out.setdefault(ag_id, {}).setdefault(party, {}).setdefault(day, {})[key] = (
                used / rep / limit
            )
    return out


def _national_means(r: RunResult) -> dict[str, Any]:
    """R21: national transfers made, and commercial purchases (value and tax paid) per party,
    reporting currency: with and without the agreement, the tax it really saves."""
    transfers = _count(
        r.books.stock.parties[h]
        for h, k in zip(r.books.stock.holder, r.books.stock.kind, strict=True)
        if k == CODE[FlowKind.TRANSFER_IN]
    )
    value: dict[str, Any] = defaultdict(Decimal)
    tax: dict[str, Any] = defaultdict(Decimal)
    for x in r.purchases:
        value[x.party] += x.value_reporting
        tax[x.party] += x.tax_paid_reporting
    return {
        "national_transfers": transfers,
        "purchases_value": {p: float(v) for p, v in sorted(value.items())},
        "tax_paid": {p: float(v) for p, v in sorted(tax.items())},
    }
