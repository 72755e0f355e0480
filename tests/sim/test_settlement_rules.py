"""The settlement rules R9-R14 (docs/rules.md), one small hand-built scenario per
test, with the expected books computed by hand in comments and asserted exactly.

Style of tests/sim/test_engine_rules.py: variability 0, fixed route and lead times, nothing
random. Orders are triggered by `destroy_stock` events rather than by demand: an event at t
takes a fraction of on-hand stock and the holder's reorder check runs at once (R2, R3), so
each order is placed at a time chosen in the file. Nobody consumes anything unless a test
says so. The common world (`world()` below):
- currencies per USD: PHP 50, JPY 150;
- prices: PH diesel PHP 60/L (= USD 1.20/L); JP water JPY 100/L (= USD 0.6667/L), JP airlift
  JPY 30,000/h (= USD 200/h);
- sites camp and port, both PH territory, joined by a fixed 5h road;
- agreement JP-PH (policy `first`: allies first), settlement terms set per test;
- jp-coy: JP unit at camp, diesel on hand 1000 = capacity, reorder 500;
- ph-depot: PH depot at port, diesel 5000, reserve 1000 (surplus 4000);
- one phase for everyone: activity `exercise`, no demand profile.

Money is in the provider's currency: a PH provision is booked in PHP (two decimals), a JP one
in JPY (no decimals). `books()` lists the final non-zero balances (account, currency).
"""

from __future__ import annotations

import copy
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import yaml

from acsasim.ledger import Order
from acsasim.output.tables import tables
from acsasim.result import RunResult
from acsasim.scenario import load_scenario, load_text
from acsasim.sim import simulate

HOURS_PER_YEAR = 365 * 24.0
ROOT = Path(__file__).resolve().parents[2]
EXERCISE = {"from": "0d", "holders": "all", "activity": "exercise"}
ROAD = [{"between": ["camp", "port"], "time": "5h"}]


# --- building scenarios -----------------------------------------------------------------------


def unit(
    id: str = "jp-coy",
    party: str = "JP",
    site: str = "camp",
    commodity: str = "diesel",
    **stock: Any,
) -> dict[str, Any]:
    """A unit holding one commodity: 1000 = capacity, reorder 500 unless told otherwise."""
    level = {"initial": 1000, "capacity": 1000, "reorder": 500}
    extra = {k: stock.pop(k) for k in ("supplied_by", "transport") if k in stock}
    level.update(stock)
    return {"id": id, "party": party, "site": site, "stock": {commodity: level}, **extra}


def depot(
    id: str = "ph-depot",
    party: str = "PH",
    site: str = "port",
    commodity: str = "diesel",
    **stock: Any,
) -> dict[str, Any]:
    """A depot holding one commodity: 5000, reserve 1000 unless told otherwise."""
    level = {"initial": 5000, "reserve": 1000}
    level.update(stock)
    return {"id": id, "party": party, "kind": "depot", "site": site, "stock": {commodity: level}}


def loss(at: str, holder: str = "jp-coy", commodity: str = "diesel", fraction: float = 0.5):
    """An event that destroys `fraction` of a holder's stock; its reorder check follows."""
    return {
        "at": at,
        "event": f"loss-{holder}-{at}",
        "destroy_stock": {"holder": holder, "commodity": commodity, "fraction": fraction},
    }


def agreement(
    in_force: str | None = None, ceilings: dict[str, Any] | None = None, **settlement: Any
) -> dict[str, Any]:
    """Agreement JP-PH with these settlement terms (the defaults for the rest)."""
    ag: dict[str, Any] = {"id": "JP-PH", "parties": ["JP", "PH"], "settlement": settlement}
    if in_force:
        ag["in_force"] = in_force
    if ceilings:
        ag["ceilings"] = ceilings
    return ag


def world(**over: Any) -> dict[str, Any]:
    s: dict[str, Any] = {
        "acsasim": 1,
        "name": "settlement",
        "start": "2026-06-01",
        "duration": "3d",
        "tick": "6h",
        "reporting_currency": "USD",
        "currencies": {"USD": 1, "PHP": 50, "JPY": 150},
        "policy": {"acsa": "first"},
        "parties": {"JP": {"currency": "JPY"}, "PH": {"currency": "PHP"}},
        "commodities": {
            "diesel": {"unit": "L", "category": "fuel"},
            "water": {"unit": "L", "category": "water"},
            "airlift": {"unit": "h", "category": "transportation", "service": True},
        },
        "prices": {"PH": {"diesel": 60}, "JP": {"water": 100, "airlift": 30000}},
        "sites": {"camp": {"party": "PH"}, "port": {"party": "PH"}},
        "routes": ROAD,
        "agreements": [agreement()],
        "holders": [unit(), depot()],
        "timeline": [EXERCISE],
    }
    s.update(over)
    return copy.deepcopy(s)


def run(s: dict[str, Any], seed: int = 1) -> RunResult:
    return simulate(load_text(yaml.safe_dump(s, sort_keys=False)), seed=seed, log=True)


def run_recording(s: dict[str, Any], transitions: list[tuple[str, str, str]]) -> RunResult:
    """Run, appending (order, old status, new status) for every status change the order table
    accepts (through simulate's `on_order` hook)."""
    last: dict[str, str] = {}

    def watch(order: Order) -> None:
        old = last.get(order.order_id)
        if old is not None and old != order.status:
            transitions.append((order.order_id, old, order.status))
        last[order.order_id] = order.status

    scenario = load_text(yaml.safe_dump(s, sort_keys=False))
    return simulate(scenario, seed=1, log=True, on_order=watch)


# --- reading results --------------------------------------------------------------------------


def order_rows(r: RunResult) -> dict[str, tuple]:
    """order -> (method, status, delivered_at, due_at, settled_at, settled_value)."""
    return {
        o.order_id: (o.method, o.status, o.delivered_at, o.due_at, o.settled_at, o.settled_value)
        for o in r.orders
    }


def txns(r: RunResult, *, issues: bool = False) -> list[tuple[float, str, str | None]]:
    """(time, kind, order) of every transaction, issues left out unless asked for."""
    return [(t.time, t.kind, t.order_id) for t in r.transactions if issues or t.kind != "issue"]


def legs(r: RunResult, kind: str, order_id: str | None = None) -> list[tuple[float, set]]:
    """(time, {(account, amount, currency)}) of the transactions of one kind (and order)."""
    return [
        (t.time, {(p.account, p.amount, p.currency) for p in t.postings})
        for t in r.transactions
        if t.kind == kind and (order_id is None or t.order_id == order_id)
    ]


def books(r: RunResult) -> dict[tuple[str, str], D]:
    """Final non-zero balances per (account, currency), recomputed from the journal."""
    out: dict[tuple[str, str], D] = {}
    for t in r.transactions:
        for p in t.postings:
            key = (p.account, p.currency)
            out[key] = out.get(key, D(0)) + p.amount
    return {k: v for k, v in sorted(out.items()) if v != 0}


def flows(r: RunResult, kind: str, holder: str | None = None) -> list[tuple[float, str, float]]:
    """(time, holder, quantity) of the flows of one kind."""
    return [
        (f.time, f.holder, f.quantity)
        for f in r.flows
        if f.kind == kind and (holder is None or f.holder == holder)
    ]


def reduced(rec: str, pay: str, amount: str, currency: str) -> set:
    """The legs that take `amount` off a receivable and its mirroring payable."""
    a = D(amount)
    return {(rec, -a, currency), (pay, a, currency)}


# The accounts between the two parties (R15: a receivable always mirrors a payable).
PH_REC, JP_PAY = "Assets:PH:Receivable:JP", "Liabilities:JP:Payable:PH"
JP_REC, PH_PAY = "Assets:JP:Receivable:PH", "Liabilities:PH:Payable:JP"
INV = ":Invoiced"


# --- R9 replacement in kind -------------------------------------------------------------------


def test_r9_returns_in_kind_after_national_receipts_oldest_first_until_settled() -> None:
    """R9: the receiver returns in kind after each national receipt (not after ACSA receipts),
    oldest order first, min(what is still owed less returns on the way, on hand - reorder);
    returns travel like transfers (its own vehicle, one per trip, there and back) to the
    holder that provided; on arrival each part settles its share of the value, the last part
    exactly what is left; activity rules (R5) do not apply to a return. Shipments to one
    provider at most once per `return_every`, here 10h, so that none is held back."""
    s = world(
        agreements=[agreement(return_every="10h")],
        supply_lines=[{"id": "sealift", "party": "JP", "deliver_to": "port",
                       "commodities": ["diesel"], "lead_time": "8h"}],
        holders=[
            unit(reorder=700, supplied_by="sealift",
                 transport={"vehicles": 1, "load": {"diesel": 200}}),
            depot(initial=1250),
            depot("ph-depot2", initial=1150),
        ],
        # exercise until 24h only; then jp-coy is `routine`, an activity no agreement covers
        timeline=[{**EXERCISE, "to": "1d"}, loss("10h", fraction=0.6)],
    )  # fmt: skip
    # t=10  loss 600 -> 400 <= 700: order 600. Both depots at port; the larger surplus first:
    #       O00001 ph-depot 250 L (PHP 15,000.00), O00002 ph-depot2 150 L (PHP 9,000.00),
    #       both delivered 15h, RIK, due 15 + 365d. The rest, 200, by the on-demand sealift:
    #       leaves 10, port 18, camp 23.
    # t=15  ACSA receipts -> 800. No return although 100 could go: not after ACSA receipts.
    # t=23  national receipt -> 1000; room 1000 - 700 = 300: O00001 first, all 250 of it
    #       (trips of 200 and 50 on jp-coy's one truck), then O00002 the 50 left (one trip)
    #       -> 700. Truck: 23 -> port 28 -> back 33; 33 -> 38 -> 43; 43 -> 48 -> 53.
    # t=24  tick: position 700 <= 700 -> order 300; jp-coy is `routine` now: refused
    #       activity_not_covered; the sealift takes 300: leaves 24, port 32, camp 37.
    # t=28  O00001 200 back: 15,000 x 200/250 = PHP 12,000.00.
    # t=37  national receipt -> 1000: O00001 owes nothing but the 50 on their way; O00002
    #       owes 150 - 50 on their way = 100 <= room 300: return 100 -> 900. It waits for
    #       the truck (back 53): port 58. It goes although jp-coy is `routine`: a return is
    #       not a new provision.
    # t=38  O00001's last 50: exactly what is left, PHP 3,000.00 -> settled at 38h.
    # t=48  O00002 50 back: 9,000 x 50/150 = PHP 3,000.00.
    # t=58  O00002's last 100: exactly what is left, PHP 6,000.00 -> settled at 58h.
    r = run(s)
    o1, o2 = r.orders
    assert [(o.provider, o.quantity, o.value, o.method, o.delivered_at) for o in r.orders] == [
        ("ph-depot", 250.0, D("15000.00"), "replacement_in_kind", 15.0),
        ("ph-depot2", 150.0, D("9000.00"), "replacement_in_kind", 15.0),
    ]
    assert (o1.status, o1.settled_at, o1.settled_quantity, o1.settled_value) == (
        "settled", 38.0, 250.0, D("15000.00"),
    )  # fmt: skip
    assert (o2.status, o2.settled_at, o2.settled_quantity, o2.settled_value) == (
        "settled", 58.0, 150.0, D("9000.00"),
    )  # fmt: skip
    assert flows(r, "acsa_receipt") == [(15.0, "jp-coy", 250.0), (15.0, "jp-coy", 150.0)]
    assert flows(r, "national_receipt") == [(23.0, "jp-coy", 200.0), (37.0, "jp-coy", 300.0)]
    returns = [(f.time, f.order_id, f.quantity) for f in r.flows if f.kind == "return_out"]
    assert returns == [(23.0, "O00001", -250.0), (23.0, "O00002", -50.0), (37.0, "O00002", -100.0)]
    assert flows(r, "return_in") == [
        (28.0, "ph-depot", 200.0),
        (38.0, "ph-depot", 50.0),
        (48.0, "ph-depot2", 50.0),
        (58.0, "ph-depot2", 100.0),
    ]
    assert [(x.time, x.reason, x.requested) for x in r.refusals] == [
        (24.0, "activity_not_covered", 300.0)
    ]
    assert txns(r, issues=True) == [
        (15.0, "issue", "O00001"),
        (15.0, "issue", "O00002"),
        (28.0, "return_in_kind", "O00001"),
        (38.0, "return_in_kind", "O00001"),
        (48.0, "return_in_kind", "O00002"),
        (58.0, "return_in_kind", "O00002"),
    ]

    def returned(v: str) -> set:
        # provider's receivable and receiver's payable reduced; the provider receives goods
        # (Expenses:PH:Received), the receiver provides them (Income:JP:Provided)
        a = D(v)
        return {(PH_REC, -a, "PHP"), (JP_PAY, a, "PHP"),
                ("Expenses:PH:Received", a, "PHP"), ("Income:JP:Provided", -a, "PHP")}  # fmt: skip

    assert legs(r, "return_in_kind") == [
        (28.0, returned("12000.00")),
        (38.0, returned("3000.00")),
        (48.0, returned("3000.00")),
        (58.0, returned("6000.00")),
    ]
    assert books(r) == {
        ("Expenses:JP:Received", "PHP"): D("24000.00"),
        ("Expenses:PH:Received", "PHP"): D("24000.00"),
        ("Income:JP:Provided", "PHP"): D("-24000.00"),
        ("Income:PH:Provided", "PHP"): D("-24000.00"),
    }
    assert r.kpis["outstanding_end"] == {"JP-PH": 0.0}
    stock = {}
    for f in r.flows:
        stock[f.holder] = stock.get(f.holder, 0.0) + f.quantity
    assert stock == {"jp-coy": 900.0, "ph-depot": 1250.0, "ph-depot2": 1150.0}


# --- R10 equal-value exchange -----------------------------------------------------------------


def test_r10_counter_flows_settle_equal_value_balances_oldest_first() -> None:
    """R10: when B provides to A while A holds equal-value balances on B (B owes A), a
    counter-flow of an item the balances designate (here diesel for airlift) settles them
    first, oldest first, at equal value through the reporting currency; one `equal_value`
    transaction per balance settled and one `counter_delivery` on the counter-flow; a
    counter-flow absorbed in full is settled by equal value exchange; the excess of a
    larger one stays open with its own R8 method."""
    s = world(
        agreements=[agreement(exchange={"airlift": ["diesel"]})],
        prices={"PH": {"diesel": 50}, "JP": {"airlift": 30000}},
        holders=[
            unit(capacity=2000, initial=2000, reorder=1000),
            depot(),
            unit("ph-coy", "PH", commodity="airlift", initial=10, capacity=10, reorder=5),
            depot("jp-det", "JP", commodity="airlift", initial=100, reserve=0),
        ],
        timeline=[
            EXERCISE,
            loss("1h", "ph-coy", "airlift", 0.6),
            loss("7h", "ph-coy", "airlift", 0.6),
            loss("10h", "jp-coy", "diesel", 0.75),
            loss("20h", "jp-coy", "diesel", 0.6),
        ],
    )
    # Default methods [RIK, EVE, cash]: airlift (a service) is EVE, diesel RIK. Rates: PHP
    # 50/USD, JPY 150/USD; PH diesel PHP 50/L = USD 1/L; JP airlift JPY 30,000/h = USD 200/h.
    # t=1   ph-coy airlift 10 -> 4 <= 5: 6 h from jp-det: O00001 JPY 180,000 (USD 1,200),
    #       delivered 6h, EVE (PH owes JP).
    # t=7   again 10 -> 4: O00002 6 h, JPY 180,000 (USD 1,200), delivered 12h, EVE.
    # t=10  jp-coy diesel 2000 -> 500 <= 1000: 1500 L from ph-depot: O00003 PHP 75,000.00
    #       (USD 1,500), delivered 15h, R8 method RIK. A counter-flow (JP owes PH for it):
    #   - O00001 first (oldest): USD 1,200 <= 1,500: O00001 settles in full (JPY 180,000);
    #     O00003 settles USD 1,200 x 50 = PHP 60,000.00.
    #   - O00002: USD 1,200 > what is left of O00003, PHP 15,000.00 = USD 300: O00003
    #     settles in full; O00002 settles USD 300 x 150 = JPY 45,000 (1.5 of its 6 h).
    #   O00003 absorbed in full: settled at 15h, its method now equal_value_exchange.
    # t=20  jp-coy diesel 2000 -> 800: 1200 L: O00004 PHP 60,000.00 (USD 1,200), delivered 25h.
    #   - O00002 has JPY 135,000 = USD 900 left <= 1,200: settled in full at 25h; O00004
    #     settles USD 900 x 50 = PHP 45,000.00 (900 of its 1200 L) and stays open, RIK.
    r = run(s)
    assert order_rows(r) == {
        "O00001": ("equal_value_exchange", "settled", 6.0, 6.0 + HOURS_PER_YEAR, 15.0,
                   D("180000")),
        "O00002": ("equal_value_exchange", "settled", 12.0, 12.0 + HOURS_PER_YEAR, 25.0,
                   D("180000")),
        "O00003": ("equal_value_exchange", "settled", 15.0, 15.0 + HOURS_PER_YEAR, 15.0,
                   D("75000.00")),
        "O00004": ("replacement_in_kind", "open", 25.0, 25.0 + HOURS_PER_YEAR, None,
                   D("45000.00")),
    }  # fmt: skip
    o1, o2, o3, o4 = r.orders
    assert (o1.value, o3.value, o4.value) == (D("180000"), D("75000.00"), D("60000.00"))
    assert (o1.settled_quantity, o2.settled_quantity, o3.settled_quantity) == (6.0, 6.0, 1500.0)
    assert o4.settled_quantity == pytest.approx(900.0)
    assert txns(r, issues=True) == [
        (6.0, "issue", "O00001"),
        (12.0, "issue", "O00002"),
        (15.0, "issue", "O00003"),
        (15.0, "equal_value", "O00001"),
        (15.0, "counter_delivery", "O00003"),
        (15.0, "equal_value", "O00002"),
        (15.0, "counter_delivery", "O00003"),
        (25.0, "issue", "O00004"),
        (25.0, "equal_value", "O00002"),
        (25.0, "counter_delivery", "O00004"),
    ]
    assert legs(r, "equal_value") == [
        (15.0, reduced(JP_REC, PH_PAY, "180000", "JPY")),
        (15.0, reduced(JP_REC, PH_PAY, "45000", "JPY")),
        (25.0, reduced(JP_REC, PH_PAY, "135000", "JPY")),
    ]
    assert legs(r, "counter_delivery") == [
        (15.0, reduced(PH_REC, JP_PAY, "60000.00", "PHP")),
        (15.0, reduced(PH_REC, JP_PAY, "15000.00", "PHP")),
        (25.0, reduced(PH_REC, JP_PAY, "45000.00", "PHP")),
    ]
    # the deliveries given back name the balances they repaid
    assert [o.settles for o in r.orders] == ["", "", "O00001 O00002", "O00002"]
    # each balance settled by exchange counts once: O00001 and O00002, USD 1,200 each
    assert r.kpis["settled_by_method"] == {"equal_value_exchange": 2400.0}
    assert books(r) == {
        ("Assets:PH:Receivable:JP", "PHP"): D("15000.00"),
        ("Expenses:JP:Received", "PHP"): D("135000.00"),
        ("Expenses:PH:Received", "JPY"): D("360000"),
        ("Income:JP:Provided", "JPY"): D("-360000"),
        ("Income:PH:Provided", "PHP"): D("-135000.00"),
        ("Liabilities:JP:Payable:PH", "PHP"): D("-15000.00"),
    }
    # JP owes PH the USD 300 left of O00004, nothing else is open
    assert r.kpis["outstanding_end"] == {"JP-PH": -300.0}


# --- R11 cash ---------------------------------------------------------------------------------


def test_r11_cash_is_invoiced_after_invoice_after_and_paid_payment_terms_later() -> None:
    """R11: a cash order is invoiced `invoice_after` after delivery (its receivable moves to the
    `:Invoiced` account, mirrored on the payable) and paid `payment_terms` after the invoice
    (cash moves from receiver to provider, the invoiced balance is cleared, the order is
    settled). What is not yet invoiced stays on the plain receivable."""
    s = world(
        duration="6d",
        agreements=[agreement(methods=["cash"], invoice_after="2d", payment_terms="3d")],
        timeline=[
            EXERCISE,
            loss("10h", fraction=0.5),
            loss("30h", fraction=0.6),
            loss("100h", fraction=0.7),
        ],
    )
    # Each loss brings jp-coy (1000 on hand after each delivery) to or below 500 and it orders
    # back to 1000 from ph-depot (PHP 60/L), delivered 5h later, method cash:
    #   O00001 500 L = PHP 30,000.00, delivered 15h:  invoice 15 + 48 = 63h,  paid 63 + 72 = 135h
    #   O00002 600 L = PHP 36,000.00, delivered 35h:  invoice 83h, payment 155h > 144h (end)
    #   O00003 700 L = PHP 42,000.00, delivered 105h: invoice 153h > 144h: never invoiced
    r = run(s)
    assert order_rows(r) == {
        "O00001": ("cash", "settled", 15.0, 15.0 + HOURS_PER_YEAR, 135.0, D("30000.00")),
        "O00002": ("cash", "open", 35.0, 35.0 + HOURS_PER_YEAR, None, D("0.00")),
        "O00003": ("cash", "open", 105.0, 105.0 + HOURS_PER_YEAR, None, D("0.00")),
    }
    assert r.orders[0].settled_quantity == 500.0
    assert txns(r) == [
        (63.0, "invoice", "O00001"),
        (83.0, "invoice", "O00002"),
        (135.0, "payment", "O00001"),
    ]
    assert legs(r, "invoice") == [
        (63.0, reduced(PH_REC, JP_PAY, "30000.00", "PHP")
               | {(PH_REC + INV, D("30000.00"), "PHP"), (JP_PAY + INV, D("-30000.00"), "PHP")}),
        (83.0, reduced(PH_REC, JP_PAY, "36000.00", "PHP")
               | {(PH_REC + INV, D("36000.00"), "PHP"), (JP_PAY + INV, D("-36000.00"), "PHP")}),
    ]  # fmt: skip
    assert legs(r, "payment") == [
        (135.0, reduced(PH_REC + INV, JP_PAY + INV, "30000.00", "PHP")
                | {("Assets:PH:Cash", D("30000.00"), "PHP"),
                   ("Assets:JP:Cash", D("-30000.00"), "PHP")}),
    ]  # fmt: skip
    assert books(r) == {
        ("Assets:JP:Cash", "PHP"): D("-30000.00"),
        ("Assets:PH:Cash", "PHP"): D("30000.00"),
        ("Assets:PH:Receivable:JP", "PHP"): D("42000.00"),  # O00003, never invoiced
        ("Assets:PH:Receivable:JP:Invoiced", "PHP"): D("36000.00"),  # O00002, unpaid
        ("Expenses:JP:Received", "PHP"): D("108000.00"),
        ("Income:PH:Provided", "PHP"): D("-108000.00"),
        ("Liabilities:JP:Payable:PH", "PHP"): D("-42000.00"),
        ("Liabilities:JP:Payable:PH:Invoiced", "PHP"): D("-36000.00"),
    }
    # USD 1,560 open (PHP 78,000 / 50), none of it overdue (due a year after delivery)
    assert r.kpis["outstanding_end"] == {"JP-PH": -1560.0}
    assert r.kpis["overdue_end"] == {}


# --- R12 deadline -----------------------------------------------------------------------------


def _deadline_world(on_deadline: str, duration: str = "400d") -> dict[str, Any]:
    """A year-long RIK debt, partly repaid in kind before its due date, the rest after it.

    jp-coy (reorder 700) has one sealift departure at 10h and the next 370 days later; it is on
    exercise for its first day only, `routine` (not covered) afterwards."""
    line = {"id": "sealift", "party": "JP", "deliver_to": "port", "commodities": ["diesel"],
            "every": "370d", "first_departure": "10h", "lead_time": "10h"}  # fmt: skip
    return world(
        duration=duration,
        tick="1d",
        agreements=[agreement(deadline="365d", on_deadline=on_deadline, payment_terms="30d")],
        supply_lines=[line],
        holders=[unit(reorder=700, supplied_by="sealift"), depot(initial=1400)],
        timeline=[{**EXERCISE, "to": "1d"}, loss("10h", fraction=0.5)],
    )


# The common start of both R12 runs (ticks once a day):
# t=10    loss 500 -> 500 <= 700: order 500. ph-depot spares 400 -> O00001 400 L, PHP
#         24,000.00, delivered 15h, RIK, due 15 + 8760 = 8775h = 2027-06-01T15:00. The rest,
#         100, catches the 10h sealift: port 20h, camp 25h.
# t=25    national receipt -> 1000; return min(400, 1000 - 700) = 300 -> 700; at port 30h:
#         PHP 18,000.00 repaid, PHP 6,000.00 (100 L) still owed.
# t=48    tick: position 700 <= 700 -> order 300; jp-coy is `routine`: refused
#         activity_not_covered; the sealift queues it for its next departure, 10h + 370d =
#         8890h: port 8900h, camp 8905h.
# t=8775  the due date: 100 L (PHP 6,000.00) unsettled.
CONVERSION_DAY = 8775.0


def test_r12_convert_to_cash_invoices_the_unsettled_balance_on_the_due_date() -> None:
    """R12 convert_to_cash: at the due date an unsettled in-kind order goes open -> overdue ->
    converted; a `conversion` transaction invoices its balance at once (like an R11 invoice)
    and it is paid `payment_terms` later; a converted order is no longer repaid in kind."""
    # t=8775  open -> overdue -> converted; conversion PHP 6,000.00 -> invoiced.
    # t=8905  national receipt: no return, the order is converted (on hand 1000).
    # t=9495  payment 8775 + 30d: PHP 6,000.00 -> settled at 9495h.
    transitions: list[tuple[str, str, str]] = []
    r = run_recording(_deadline_world("convert_to_cash"), transitions)
    (o,) = r.orders
    assert (o.method, o.due_at, o.status, o.settled_at) == (
        "replacement_in_kind", CONVERSION_DAY, "settled", 9495.0,
    )  # fmt: skip
    assert (o.settled_quantity, o.settled_value) == (400.0, D("24000.00"))
    assert transitions == [
        ("O00001", "in_transit", "open"),
        ("O00001", "open", "overdue"),
        ("O00001", "overdue", "converted"),
        ("O00001", "converted", "settled"),
    ]
    assert txns(r) == [
        (30.0, "return_in_kind", "O00001"),
        (CONVERSION_DAY, "conversion", "O00001"),
        (9495.0, "payment", "O00001"),
    ]
    assert legs(r, "conversion") == [
        (CONVERSION_DAY, reduced(PH_REC, JP_PAY, "6000.00", "PHP")
         | {(PH_REC + INV, D("6000.00"), "PHP"), (JP_PAY + INV, D("-6000.00"), "PHP")}),
    ]  # fmt: skip
    assert flows(r, "return_out") == [(25.0, "jp-coy", -300.0)]
    assert flows(r, "national_receipt") == [(25.0, "jp-coy", 100.0), (8905.0, "jp-coy", 300.0)]
    assert books(r) == {
        ("Assets:JP:Cash", "PHP"): D("-6000.00"),
        ("Assets:PH:Cash", "PHP"): D("6000.00"),
        ("Expenses:JP:Received", "PHP"): D("24000.00"),
        ("Expenses:PH:Received", "PHP"): D("18000.00"),
        ("Income:JP:Provided", "PHP"): D("-18000.00"),
        ("Income:PH:Provided", "PHP"): D("-24000.00"),
    }


@pytest.mark.parametrize(
    ("duration", "status", "overdue"),
    [("8775h", "open", {}), ("8776h", "converted", {"JP->PH": 120.0})],
)
def test_r12_the_balance_converts_on_the_due_date_itself(
    duration: str, status: str, overdue: dict[str, float]
) -> None:
    """R12: the conversion happens at the due date, 365 days after delivery to the hour
    (2026-06-01T15:00 -> 2027-06-01T15:00), not a tick later: a run that ends at 8775h has
    not reached it; one that ends an hour later has converted and counts it overdue."""
    r = run(_deadline_world("convert_to_cash", duration))
    (o,) = r.orders
    assert o.status == status
    row = dict(zip(("order_id", "delivered_at", "due_at"), _order_times(r), strict=True))
    assert row == {
        "order_id": "O00001",
        "delivered_at": "2026-06-01T15:00:00",
        "due_at": "2027-06-01T15:00:00",
    }
    conversions = [(t.time, t.kind) for t in r.transactions if t.kind == "conversion"]
    assert conversions == ([(CONVERSION_DAY, "conversion")] if status == "converted" else [])
    # overdue: the unsettled quarter of USD 480.00 (PHP 24,000 / 50) = USD 120
    assert r.kpis["overdue_end"] == overdue


def _order_times(r: RunResult) -> tuple[str, str, str]:
    """(order_id, delivered_at, due_at) of the one order, as orders.csv writes them."""
    orders = next(t for t in tables(r) if t.name == "orders")
    (row,) = orders.rows
    col = orders.columns.index
    return row[col("order_id")], row[col("delivered_at")], row[col("due_at")]


def test_r12_stay_overdue_keeps_the_order_overdue_and_returns_in_kind_go_on() -> None:
    """R12 stay_overdue: at the due date the order goes open -> overdue and nothing is
    invoiced; it is still repaid in kind (R9) and settles when the last of it is returned."""
    # t=8775  open -> overdue, no transaction.
    # t=8905  national receipt -> 1000: return min(100, 300) = 100 -> 900; at port 8910h:
    #         exactly what is left, PHP 6,000.00 -> settled at 8910h (overdue -> settled).
    transitions: list[tuple[str, str, str]] = []
    r = run_recording(_deadline_world("stay_overdue"), transitions)
    (o,) = r.orders
    assert (o.status, o.settled_at, o.settled_quantity, o.settled_value) == (
        "settled", 8910.0, 400.0, D("24000.00"),
    )  # fmt: skip
    assert transitions == [
        ("O00001", "in_transit", "open"),
        ("O00001", "open", "overdue"),
        ("O00001", "overdue", "settled"),
    ]
    assert txns(r) == [(30.0, "return_in_kind", "O00001"), (8910.0, "return_in_kind", "O00001")]
    assert flows(r, "return_out") == [(25.0, "jp-coy", -300.0), (8905.0, "jp-coy", -100.0)]
    assert books(r) == {
        ("Expenses:JP:Received", "PHP"): D("24000.00"),
        ("Expenses:PH:Received", "PHP"): D("24000.00"),
        ("Income:JP:Provided", "PHP"): D("-24000.00"),
        ("Income:PH:Provided", "PHP"): D("-24000.00"),
    }
    # ended before the last return: overdue at the end, aging from the due date
    early = run(_deadline_world("stay_overdue", "8900h"))
    (o,) = early.orders
    assert (o.status, o.settled_value) == ("overdue", D("18000.00"))
    assert early.kpis["overdue_end"] == {"JP->PH": 120.0}
    assert [t.kind for t in early.transactions] == ["issue", "return_in_kind"]


# --- R13 offset -------------------------------------------------------------------------------


def _two_way_world(**terms: Any) -> dict[str, Any]:
    """PH lends jp-coy diesel; JP lends ph-coy (camp) water from jp-depot (port)."""
    return world(
        agreements=[agreement(**terms)],
        holders=[
            unit(),
            depot(),
            unit("ph-coy", "PH", commodity="water"),
            depot("jp-depot", "JP", commodity="water"),
        ],
    )


def test_r13_overdue_balance_is_offset_against_opposite_balances_oldest_first() -> None:
    """R13: `offset.after` after its due date (`from: due`), a balance still overdue is netted
    at equal value
    against the other party's unsettled balances under the same agreement, oldest first,
    with one `offset` transaction per order; an order netted in full ends `offset`. (R12: a
    cash order only goes overdue at its due date; convert_to_cash is for in-kind balances.)"""
    s = _two_way_world(methods=["cash"], deadline="2d", on_deadline="convert_to_cash",
                       invoice_after="10d", offset={"after": "1d", "from": "due"})  # fmt: skip
    s["duration"] = "5d"
    s["prices"]["JP"]["water"] = 75  # JPY 75/L = USD 0.50/L
    s["timeline"] += [
        loss("10h", fraction=0.5),
        loss("20h", "ph-coy", "water", 0.6),
        loss("30h", "ph-coy", "water", 0.7),
    ]
    # Everything is cash; invoices would come 10 days after delivery, after the end (120h).
    # t=10  O00001 ph-depot -> jp-coy 500 L diesel, PHP 30,000.00 (USD 600), delivered 15h,
    #       due 15 + 48 = 63h.
    # t=20  O00002 jp-depot -> ph-coy 600 L water, JPY 45,000 (USD 300), delivered 25h, due 73h.
    # t=30  O00003 jp-depot -> ph-coy 700 L water, JPY 52,500 (USD 350), delivered 35h, due 83h.
    # t=63, 73, 83: each goes open -> overdue (cash: no conversion), its offset due a day later.
    # t=87  O00001 (JP owes PH) against PH's balances, oldest first:
    #   - O00002 USD 300 < 600: O00002 in full (JPY 45,000) -> `offset`; O00001 settles USD 300
    #     x 50 = PHP 15,000.00.
    #   - O00003 USD 350 > the USD 300 left: O00001 in full (PHP 15,000.00) -> `offset`;
    #     O00003 settles USD 300 x 150 = JPY 45,000; JPY 7,500 (USD 50) of it stays overdue.
    # t=97  O00002's own offset: already `offset`, nothing. t=107 O00003's: nothing opposite.
    transitions: list[tuple[str, str, str]] = []
    r = run_recording(s, transitions)
    assert order_rows(r) == {
        "O00001": ("cash", "offset", 15.0, 63.0, 87.0, D("30000.00")),
        "O00002": ("cash", "offset", 25.0, 73.0, 87.0, D("45000")),
        "O00003": ("cash", "overdue", 35.0, 83.0, None, D("45000")),
    }
    assert [o.settled_quantity for o in r.orders][:2] == [500.0, 600.0]
    assert r.orders[2].settled_quantity == pytest.approx(600.0)
    assert [t for t in transitions if t[1] != "in_transit"] == [
        ("O00001", "open", "overdue"),
        ("O00002", "open", "overdue"),
        ("O00003", "open", "overdue"),
        ("O00002", "overdue", "offset"),
        ("O00001", "overdue", "offset"),
    ]
    assert txns(r) == [
        (87.0, "offset", "O00001"),
        (87.0, "offset", "O00002"),
        (87.0, "offset", "O00001"),
        (87.0, "offset", "O00003"),
    ]
    assert legs(r, "offset") == [
        (87.0, reduced(PH_REC, JP_PAY, "15000.00", "PHP")),
        (87.0, reduced(JP_REC, PH_PAY, "45000", "JPY")),
        (87.0, reduced(PH_REC, JP_PAY, "15000.00", "PHP")),
        (87.0, reduced(JP_REC, PH_PAY, "45000", "JPY")),
    ]
    assert books(r) == {
        ("Assets:JP:Receivable:PH", "JPY"): D("7500"),
        ("Expenses:JP:Received", "PHP"): D("30000.00"),
        ("Expenses:PH:Received", "JPY"): D("97500"),
        ("Income:JP:Provided", "JPY"): D("-97500"),
        ("Income:PH:Provided", "PHP"): D("-30000.00"),
        ("Liabilities:PH:Payable:JP", "JPY"): D("-7500"),
    }
    assert r.kpis["overdue_end"] == {"PH->JP": pytest.approx(50.0)}
    assert r.kpis["outstanding_end"] == {"JP-PH": 50.0}


def test_r13_offset_of_converted_balances_clears_their_invoices_first() -> None:
    """R13 with R12 convert_to_cash: converted (invoiced) balances are offset out of their
    invoiced part; the payment that follows pays only what the offset left; a balance offset
    in full is not paid."""
    s = _two_way_world(deadline="2d", on_deadline="convert_to_cash", payment_terms="5d",
                       offset={"after": "1d", "from": "due"})  # fmt: skip
    s["duration"] = "9d"
    s["timeline"] += [loss("10h", fraction=0.5), loss("20h", "ph-coy", "water", 0.6)]
    # Methods default: goods are RIK; nobody has a supply line, so nothing is returned.
    # t=10  O00001 ph-depot -> jp-coy 500 L, PHP 30,000.00 (USD 600), delivered 15h, due 63h.
    # t=20  O00002 jp-depot -> ph-coy 600 L, JPY 60,000 (USD 400), delivered 25h, due 73h.
    # t=63  O00001 open -> overdue -> converted: conversion PHP 30,000.00; paid at 63 + 120 =
    #       183h; offset at 87h.
    # t=73  O00002 converted: conversion JPY 60,000; paid at 193h; offset at 97h.
    # t=87  O00001 against O00002: USD 400 < 600: O00002 in full, JPY 60,000, all of it
    #       invoiced -> `offset`; O00001 settles USD 400 x 50 = PHP 20,000.00 off its invoice.
    # t=183 O00001 paid what is still invoiced, PHP 10,000.00 -> settled.
    # t=193 O00002 is `offset`: no payment.
    transitions: list[tuple[str, str, str]] = []
    r = run_recording(s, transitions)
    assert order_rows(r) == {
        "O00001": ("replacement_in_kind", "settled", 15.0, 63.0, 183.0, D("30000.00")),
        "O00002": ("replacement_in_kind", "offset", 25.0, 73.0, 87.0, D("60000")),
    }
    assert [t for t in transitions if t[1] != "in_transit"] == [
        ("O00001", "open", "overdue"),
        ("O00001", "overdue", "converted"),
        ("O00002", "open", "overdue"),
        ("O00002", "overdue", "converted"),
        ("O00002", "converted", "offset"),
        ("O00001", "converted", "settled"),
    ]
    assert txns(r) == [
        (63.0, "conversion", "O00001"),
        (73.0, "conversion", "O00002"),
        (87.0, "offset", "O00001"),
        (87.0, "offset", "O00002"),
        (183.0, "payment", "O00001"),
    ]
    assert legs(r, "offset") == [
        (87.0, reduced(PH_REC + INV, JP_PAY + INV, "20000.00", "PHP")),
        (87.0, reduced(JP_REC + INV, PH_PAY + INV, "60000", "JPY")),
    ]
    assert legs(r, "payment") == [
        (183.0, reduced(PH_REC + INV, JP_PAY + INV, "10000.00", "PHP")
                | {("Assets:PH:Cash", D("10000.00"), "PHP"),
                   ("Assets:JP:Cash", D("-10000.00"), "PHP")}),
    ]  # fmt: skip
    assert books(r) == {
        ("Assets:JP:Cash", "PHP"): D("-10000.00"),
        ("Assets:PH:Cash", "PHP"): D("10000.00"),
        ("Expenses:JP:Received", "PHP"): D("30000.00"),
        ("Expenses:PH:Received", "JPY"): D("60000"),
        ("Income:JP:Provided", "JPY"): D("-60000"),
        ("Income:PH:Provided", "PHP"): D("-30000.00"),
    }
    assert r.kpis["overdue_end"] == {}


# --- R14 ceilings -----------------------------------------------------------------------------


def test_r14_ceiling_per_provider_party_and_agreement_year_resets_on_the_anniversary() -> None:
    """R14 (with R1, R5): each provider party has its own ceiling per agreement year; agreement
    years run from `in_force` by calendar anniversary; an order counts in the year it is
    requested (at its value_reporting), even if delivered in the next; a request is trimmed
    to the room left (`ceiling`), refused whole when none is left, and served again from the
    anniversary on."""
    s = _two_way_world()
    s["agreements"] = [agreement(in_force="2025-06-03", ceilings={"value": 900})]
    s["prices"]["JP"]["water"] = 150  # JPY 150/L = USD 1/L; PH diesel stays USD 1.20/L
    s["timeline"] += [
        loss("10h", fraction=0.5),
        loss("20h", fraction=0.5),
        loss("22h", "ph-coy", "water", 0.6),
        loss("29h", fraction=0.6),
        loss("46h", "ph-coy", "water", 0.7),
        loss("54h", "ph-coy", "water", 0.5),
    ]
    # Agreement years from 2025-06-03: year 0 ends at 2026-06-03T00:00 = 48h after the start;
    # each party may provide USD 900 a year.
    # PH (diesel to jp-coy, USD 1.20/L):
    #   t=10  1000 -> 500: 500 L = USD 600 fits: O00001 (PH year 0: 600 used).
    #   t=20  1000 -> 500: 500 L asked, room USD 300 = 250 L: O00002 250 L = PHP 15,000.00,
    #         250 L refused `ceiling` (PH year 0 full). Position 500 + 250 = 750.
    #   t=29  750 -> 300: 700 L asked, no room: all refused `ceiling`; again at the ticks
    #         30h, 36h and 42h (position 300 <= 500), the same request episode: one row.
    #   t=48  tick on the anniversary: year 1, room USD 900: 700 L = USD 840: O00005.
    # JP (water to ph-coy, USD 1/L), its own ceiling, untouched by PH's:
    #   t=22  1000 -> 400: 600 L = USD 600: O00003.
    #   t=46  1000 -> 300: 700 L asked, room USD 300: O00004 300 L, 400 refused `ceiling`;
    #         delivered 51h, in year 1, but it counts in year 0 where it was requested.
    #   t=54  600 -> 300: 700 L = USD 700 in year 1: O00006.
    r = run(s)
    got = [(o.order_id, o.provider, o.requested_at, o.delivered_at, o.value, o.value_reporting)
           for o in r.orders]  # fmt: skip
    assert got == [
        ("O00001", "ph-depot", 10.0, 15.0, D("30000.00"), D("600.00")),
        ("O00002", "ph-depot", 20.0, 25.0, D("15000.00"), D("300.00")),
        ("O00003", "jp-depot", 22.0, 27.0, D("90000"), D("600.00")),
        ("O00004", "jp-depot", 46.0, 51.0, D("45000"), D("300.00")),
        ("O00005", "ph-depot", 48.0, 53.0, D("42000.00"), D("840.00")),
        ("O00006", "jp-depot", 54.0, 59.0, D("105000"), D("700.00")),
    ]
    assert [o.quantity for o in r.orders] == [
        500.0, pytest.approx(250.0), 600.0, 300.0, 700.0, 700.0,
    ]  # fmt: skip
    refused = [(x.time, x.requester, x.provider, x.reason, x.requested, x.refused)
               for x in r.refusals]  # fmt: skip
    assert refused == [
        (20.0, "jp-coy", "ph-depot", "ceiling", 500.0, pytest.approx(250.0)),
        (29.0, "jp-coy", "ph-depot", "ceiling", 700.0, 700.0),
        (46.0, "ph-coy", "jp-depot", "ceiling", 700.0, 400.0),
    ]
    assert r.kpis["ceiling_use"] == {
        "JP-PH": {
            "JP": {"2025-06-03": {"value": 1.0}, "2026-06-03": {"value": pytest.approx(7 / 9)}},
            "PH": {"2025-06-03": {"value": 1.0},
                   "2026-06-03": {"value": pytest.approx(840 / 900)}},
        }
    }  # fmt: skip
    assert r.kpis["refusals_by_reason"] == {"ceiling": 3}  # request episodes, not retries
    # Nothing is settled (RIK, no resupply, due in a year): PH is owed PHP 87,000.00, JP is
    # owed JPY 240,000.
    assert books(r)[(PH_REC, "PHP")] == D("87000.00")
    assert books(r)[(JP_REC, "JPY")] == D("240000")


@pytest.mark.parametrize("price", [60.005, 60.004])
def test_r12_conversion_while_returns_are_on_the_way_settles_to_the_cent(price: float) -> None:
    """R12 with R9: a balance converted while returns in kind are on their way invoices what
    those returns will not cover; when they arrive and the invoice is paid, the order is
    settled and nothing is left on either party's books: no cent stays open, none is paid
    twice.

    Regression (fixed in 0be1cf1, returns now carry a value fixed as they leave): `free()`
    reserved the value of the 2 L on their way rounded once, but each 1 L trip settled its own
    rounded share. At PHP 60.005/L the trips settled 60.01 + 60.01 against 120.01 reserved:
    PH's receivable from JP ended at PHP -0.01 (a cent paid twice); at PHP 60.004/L they
    settled 60.00 + 60.00 and the order stayed `converted` for ever, PHP 0.01 never
    invoiced."""
    s = world(
        prices={"PH": {"diesel": price}},
        agreements=[agreement(deadline="1d", payment_terms="1d")],
        supply_lines=[{"id": "sealift", "party": "JP", "deliver_to": "port",
                       "commodities": ["diesel"], "lead_time": "20h"}],
        holders=[
            unit(reorder=998, supplied_by="sealift",
                 transport={"vehicles": 2, "load": {"diesel": 1}}),
            depot(initial=1010),
        ],
        timeline=[EXERCISE, loss("10h", fraction=0.012)],
    )  # fmt: skip
    # t=10  loss 12 -> 988 <= 998: order 12; ph-depot spares 10 -> O00001 10 L, value
    #       PHP 600.05 (600.04 at 60.004), delivered 15h, RIK, due 15 + 24 = 39h; 2 L by the
    #       sealift: camp at 35h.
    # t=35  national receipt -> 1000: return 2 L, in two trips of 1 L on two trucks: both at
    #       port at 40h.
    # t=39  due: converted; the 2 L on their way are worth 2/10 of the value = 120.01 (both
    #       prices), so the conversion invoices 600.05 - 120.01 = 480.04 (resp. 480.03).
    # t=40  the two returns settle what was reserved for them: 120.01 together (or the
    #       conversion reserved exactly what they settle; either way nothing is left over).
    # t=63  payment 39 + 24h of the invoice -> settled; all receivables back to zero.
    r = run(s)
    (o,) = r.orders
    value = D(str(round(price * 10, 2)))
    assert o.value == value
    assert [(t.time, t.kind) for t in r.transactions if t.kind != "return_in_kind"] == [
        (15.0, "issue"), (39.0, "conversion"), (63.0, "payment"),
    ]  # fmt: skip
    assert flows(r, "return_in") == [(40.0, "ph-depot", 1.0), (40.0, "ph-depot", 1.0)]

    def amount(kind: str) -> D:
        return sum(
            (p.amount for t in r.transactions if t.kind == kind for p in t.postings
             if p.account == "Assets:PH:Cash" or p.account == "Expenses:PH:Received"),
            D(0),
        )  # fmt: skip

    conversion = next(t for t in r.transactions if t.kind == "conversion")
    invoiced = next(p.amount for p in conversion.postings if p.account == PH_REC + INV)
    assert amount("payment") == invoiced  # the invoice is paid, no more, no less
    # returns and cash together settle the value exactly, to the cent
    assert amount("return_in_kind") + amount("payment") == value
    assert (o.status, o.settled_at, o.settled_value) == ("settled", 63.0, value)
    assert not [k for k in books(r) if "Receivable" in k[0] or "Payable" in k[0]], books(r)


def test_r9_a_partly_offset_debt_is_settled_once_with_no_return_for_a_float_residue() -> None:
    """R9 with R13: a debt in kind offset in part while a return is on its way is settled when
    that return arrives, once; meanwhile the receiver sends nothing more (all it still owes
    is on its way) and no empty `return_in_kind` is booked.

    Regression (fixed in d1618d0, `Settlement.received` skips an order with nothing free): a
    netting settles a quantity in proportion to value, in floats (10 L x 540.04/600.05 =
    8.99992 L), so the quantity owed (1.00008 L) exceeded the 1 L on its way, whose value was
    rounded up (60.005 -> 60.01) as it left. At the next national receipt 0.00008 L went back
    on a truck's round trip, arrived after the order was settled, booked a return_in_kind of
    PHP 0.00 and moved settled_at from 35h to 45h (after an offset it would have raised
    LedgerError: offset -> settled)."""
    s = _two_way_world(deadline="15h", on_deadline="stay_overdue",
                       offset={"after": "2h", "from": "due"})  # fmt: skip
    s["prices"]["PH"]["diesel"] = 60.005
    s["supply_lines"] = [{"id": "sealift", "party": "JP", "deliver_to": "port",
                          "commodities": ["diesel"], "lead_time": "5h"}]  # fmt: skip
    s["holders"] = [
        unit(
            reorder=999, supplied_by="sealift", transport={"vehicles": 1, "load": {"diesel": 0.5}}
        ),
        depot(initial=1010),
        unit("ph-coy", "PH", commodity="water", reorder=990),
        depot("jp-depot", "JP", commodity="water"),
    ]
    s["timeline"] += [loss("0h", "ph-coy", "water", 0.018), loss("10h", fraction=0.011)]
    # All RIK, stay_overdue, due 15h after delivery, offsets 2h after the due date.
    # t=0   ph-coy water 1000 -> 982 <= 990: O00001 18 L from jp-depot, JPY 1,800 (USD 12),
    #       delivered 5h, due 20h; ph-coy has no supply line: never returned.
    # t=10  jp-coy diesel 1000 -> 989 <= 999: order 11; ph-depot spares 10 -> O00002 10 L at
    #       PHP 60.005/L = PHP 600.05, delivered 15h, due 30h; 1 L by sealift: camp at 20h.
    # t=20  O00001 overdue. National receipt -> 1000: return 1 L, worth 60.005 -> PHP 60.01,
    #       in two trips of 0.5 L on one truck: 20 -> 25 (back 30), 30 -> 35.
    # t=22  offset of O00001 (USD 12) against O00002's free balance, 600.05 less the 60.01 on
    #       its way = PHP 540.04 (USD 10.8008): O00002 settles PHP 540.04; O00001 settles
    #       10.8008 x 150 = JPY 1,620 and stays overdue.
    # t=24  tick: 999 <= 999: 1 L asked; ph-depot is at its reserve (no_surplus); by sealift:
    #       camp at 34h.
    # t=25  0.5 L back: half of 60.01 -> PHP 30.01.
    # t=30  O00002 overdue: all it owes is the 0.5 L on its way (PHP 30.00).
    # t=34  national receipt -> 1000: nothing more is owed: no return.
    # t=35  the last 0.5 L: PHP 30.00, exactly what is left -> settled at 35h, once.
    transitions: list[tuple[str, str, str]] = []
    r = run_recording(s, transitions)
    o1, o2 = r.orders
    assert (o1.status, o1.settled_value) == ("overdue", D("1620"))
    assert (o2.value, o2.status) == (D("600.05"), "settled")
    assert o2.settled_value == D("540.04") + D("30.01") + D("30.00")
    assert txns(r) == [
        (22.0, "offset", "O00001"),
        (22.0, "offset", "O00002"),
        (25.0, "return_in_kind", "O00002"),
        (35.0, "return_in_kind", "O00002"),
    ]
    assert flows(r, "return_out") == [(20.0, "jp-coy", -1.0)]
    assert [t for t in transitions if t[0] == "O00002"] == [
        ("O00002", "in_transit", "open"),
        ("O00002", "open", "overdue"),
        ("O00002", "overdue", "settled"),
    ]
    assert o2.settled_at == 35.0


def test_r14_a_shortfall_refused_for_the_ceiling_is_not_also_no_surplus() -> None:
    """R14 with R5: a request cut short by the provider party's ceiling is recorded once, as
    `ceiling`; it is not also recorded as `no_surplus` when a nearer holder of that party had
    nothing to spare.

    Regression (fixed in 0be1cf1): `Desk._from_party` recorded the whole shortfall as
    `no_surplus` too once any holder had been passed over, although ph-far had 4,000 L to
    spare and was refused only for the ceiling: 600 L asked, 1,033.33 L refused."""
    s = world(
        duration="11h",
        agreements=[agreement(ceilings={"value": 100})],
        sites={"camp": {"party": "PH"}, "port": {"party": "PH"}, "far": {"party": "PH"}},
        routes=[*ROAD, {"between": ["camp", "far"], "time": "10h"}],
        holders=[unit(), depot(initial=1000), depot("ph-far", site="far")],
        timeline=[EXERCISE, loss("10h", fraction=0.6)],
    )
    # t=10  loss 600 -> 400 <= 500: 600 asked. ph-depot (5h away) holds 1000 = its reserve:
    #       nothing to spare, passed over. ph-far (10h away) spares 4000, but PH may provide
    #       USD 100 a year = 100 / 1.20 = 83.333 L (litres counted in thousandths): O00001
    #       83.333 L, 516.667 L refused `ceiling`. That is all that is refused.
    r = run(s)
    (o,) = r.orders
    assert (o.provider, o.quantity) == ("ph-far", 83.333)
    got = [(x.time, x.provider, x.reason, x.requested, x.refused) for x in r.refusals]
    assert got == [(10.0, "ph-far", "ceiling", 600.0, 516.667)]
    assert r.kpis["refusals_by_reason"] == {"ceiling": 1}


# --- the 18-month scenario --------------------------------------------------------------------


def test_the_18_month_scenario_shows_every_settlement_step() -> None:
    """scenarios/jp-ph-18-months.yaml (its default seed) shows what it says it shows: the
    agreement refusing everything before it enters into force (R5), returns in kind (R9),
    equal-value exchange by designated counter-deliveries (R10), conversions a year after
    the first deliveries and their payments (R11, R12), offsets decided a year after
    delivery (R13), balances overdue at the end and a never-invoiced share.

    Orders of every method the agreement's terms can give (R8: goods in kind, food in cash,
    services by equal value). Presence only, not exact values."""
    from collections import Counter

    scenario = load_scenario(ROOT / "scenarios" / "jp-ph-18-months.yaml")
    r = simulate(scenario)
    assert scenario.duration == 546 * 24.0
    in_force = (scenario.agreements[0].in_force - scenario.start).total_seconds() / 3600
    early = [x for x in r.refusals if x.reason == "not_in_force"]
    assert early and all(x.time < in_force for x in early)
    assert all(o.requested_at >= in_force for o in r.orders)
    methods = r.kpis["orders_by_method"]
    for method in ("replacement_in_kind", "equal_value_exchange", "cash"):
        assert methods.get(method, 0) > 0, method
    kinds = Counter(t.kind for t in r.transactions)
    for kind in ("issue", "return_in_kind", "equal_value", "counter_delivery", "conversion",
                 "payment", "offset"):  # fmt: skip
        assert kinds[kind] > 0, (kind, kinds)
    assert kinds["equal_value"] == kinds["counter_delivery"]  # each designated delivery
    assert any(f.kind == "return_in" for f in r.flows)
    # returns wait a week after delivery (return_after 7d)
    delivered = {o.order_id: o.delivered_at for o in r.orders}
    outs = [f for f in r.flows if f.kind == "return_out"]
    assert outs and all(f.time >= delivered[f.order_id] + 7 * 24 for f in outs)
    # conversions come a year after the first deliveries (deadline 365d)
    first_delivery = min(o.delivered_at for o in r.orders if o.delivered_at is not None)
    conversions = [t.time for t in r.transactions if t.kind == "conversion"]
    assert min(conversions) >= first_delivery + HOURS_PER_YEAR
    offsets = [t for t in r.transactions if t.kind == "offset"]
    assert min(t.time for t in offsets) >= first_delivery + HOURS_PER_YEAR
    statuses = Counter(o.status for o in r.orders)
    assert statuses["settled"] > 0 and statuses["offset"] > 0
    assert sum(r.kpis["overdue_end"].values()) > 0
    # the never-invoiced share: receivables still on the plain account at the end
    never_invoiced = ("Assets:JP:Receivable:PH", "Assets:PH:Receivable:JP")
    plain = [v for (account, _), v in books(r).items() if account in never_invoiced]
    assert any(v > 0 for v in plain)
    assert r.kpis["ceiling_use"] == {}  # Japan's agreements set no ceiling


def test_r8_an_order_worth_nothing_is_settled_on_delivery() -> None:
    """R8 with R15: an order whose value rounds to nothing (here diesel priced at 0) leaves no
    debt in the books, so it is settled when it is delivered: it never goes overdue or
    converts with nothing to invoice, and it counts as settled in the KPIs."""
    s = world(duration="3d", timeline=[EXERCISE, loss("10h", fraction=0.6)])
    s["prices"]["PH"]["diesel"] = 0  # 600 L lost at 10h: 600 L asked of the PH depot
    r = run(s)
    assert r.orders, "the scenario orders from PH"
    for o in r.orders:
        if o.status == "in_transit":
            continue
        assert (o.value, o.status, o.settled_at, o.settled_quantity) == (
            D("0.00"), "settled", o.delivered_at, o.quantity,
        )  # fmt: skip
    assert r.kpis["overdue_end"] == {} and r.kpis["aging_end"] == {}
