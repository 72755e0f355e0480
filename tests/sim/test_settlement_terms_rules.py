"""The revised settlement rules R8, R9, R10 and R13 (docs/rules.md): terms agreed on the order,
methods per category and direction, replacement in kind by equivalent items after a minimum
interval, equal value only through designated counter-deliveries or a dated exchange, and
offset as a decision counted from delivery. One small hand-built scenario per test, in the
style and the world of tests/sim/test_settlement_rules.py (`world()`: PHP 50 and JPY 150 to
the dollar, PH diesel PHP 60/L, JP water JPY 100/L and airlift JPY 30,000/h, camp and port
5h apart, jp-coy with diesel 1000 / reorder 500, ph-depot with diesel 5000 / reserve 1000).
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
import yaml
from test_settlement_rules import (
    EXERCISE,
    agreement,
    depot,
    loss,
    order_rows,
    run,
    unit,
    world,
)

from acsasim.ledger import Order
from acsasim.scenario import ScenarioError, load_text
from acsasim.sim import simulate

HOURS_PER_YEAR = 365 * 24.0


def first_seen(s: dict[str, Any]) -> dict[str, tuple[str, str | None, str]]:
    """order -> (status, method, settle_with) the first time the order table shows it."""
    seen: dict[str, tuple[str, str | None, str]] = {}

    def watch(o: Order) -> None:
        seen.setdefault(o.order_id, (o.status, o.method, o.settle_with))

    simulate(load_text(yaml.safe_dump(s, sort_keys=False)), seed=1, on_order=watch)
    return seen


# --- R8 methods per category and direction, agreed on the order ------------------------------


TABLE = {
    "default": ["replacement_in_kind", "cash"],
    "food": ["cash"],
    "JP": {"fuel": ["cash"]},
    "PH": {"default": ["equal_value_exchange", "cash"]},
}


def _both_ways(**settlement: Any) -> dict[str, Any]:
    """jp-coy loses half its diesel at 10h (500 L from ph-depot); ph-coy, a PH unit at camp
    with water 1000 / reorder 500, loses 60% of it at 20h (600 L from jp-depot, JPY 100/L)."""
    return world(
        agreements=[agreement(**settlement)],
        holders=[unit(), depot(), unit("ph-coy", "PH", commodity="water"),
                 depot("jp-depot", "JP", commodity="water")],
        timeline=[EXERCISE, loss("10h"), loss("20h", "ph-coy", "water", 0.6)],
    )  # fmt: skip


def test_r8_methods_differ_by_category_and_direction_and_are_agreed_at_issue() -> None:
    """R8 revised: JP receiving fuel takes JP's own `fuel` entry (cash); PH receiving water
    takes PH's default (equal value first). Each order carries its method from the moment it
    is issued (still in transit), and the items that settle it (`settle_with`: none for cash;
    for equal value, by default, any item of the same category: water)."""
    s = _both_ways(methods=TABLE)
    assert first_seen(s) == {
        "O00001": ("in_transit", "cash", ""),
        "O00002": ("in_transit", "equal_value_exchange", "water"),
    }
    r = run(s)
    # O00001: delivered 15h, cash; O00002: delivered 25h, equal value; both due a year on
    assert {k: v[:4] for k, v in order_rows(r).items()} == {
        "O00001": ("cash", "open", 15.0, 15.0 + HOURS_PER_YEAR),
        "O00002": ("equal_value_exchange", "open", 25.0, 25.0 + HOURS_PER_YEAR),
    }
    assert r.kpis["orders_by_method"] == {"cash": 1, "equal_value_exchange": 1}


def test_r8_a_category_entry_applies_to_every_receiver_without_one_of_its_own() -> None:
    """R8 revised: `food: [cash]` and the table's default apply where the receiver has no
    entry; a version-1 list applies to every order."""
    s = _both_ways(methods={"water": ["cash"], "default": ["replacement_in_kind"]})
    assert [m for _, m, _ in first_seen(s).values()] == ["replacement_in_kind", "cash"]
    s = _both_ways(methods=["equal_value_exchange", "cash"])
    assert [m for _, m, _ in first_seen(s).values()] == ["equal_value_exchange"] * 2


@pytest.mark.parametrize(
    ("methods", "message"),
    [
        ({"fule": ["cash"]}, "'fule' is not 'default', a category or a party of this "
                             "agreement; did you mean 'fuel'?"),
        ({"food": {"JP": ["cash"]}}, "'food' takes a list of methods; only a receiving party's "
                                     "entry maps categories to lists"),
        ({"JP": {"wter": ["cash"]}}, "'wter' is not 'default' or a category; did you mean "
                                     "'water'?"),
    ],
)  # fmt: skip
def test_r8_a_methods_table_names_categories_and_parties(methods: Any, message: str) -> None:
    text = yaml.safe_dump(_both_ways(methods=methods), sort_keys=False)
    with pytest.raises(ScenarioError) as err:
        load_text(text, "drill.yaml")
    (problem,) = err.value.problems
    assert problem.message == message
    assert problem.source == "drill.yaml" and problem.line > 0


def test_r8_orders_csv_keeps_its_columns_and_appends_the_terms() -> None:
    from acsasim.output.tables import ORDER_COLUMNS, tables

    assert ORDER_COLUMNS[:22] == (
        "order_id", "agreement", "provider_party", "provider", "receiver_party", "receiver",
        "commodity", "quantity", "unit", "activity", "requested_at", "delivered_at", "currency",
        "value", "value_reporting", "tax_waived_reporting", "method", "due_at", "status",
        "settled_at", "settled_quantity", "settled_value",
    )  # fmt: skip
    r = run(_both_ways(methods=TABLE))
    orders = next(t for t in tables(r) if t.name == "orders")
    row = dict(zip(orders.columns, orders.rows[1], strict=True))
    assert (row["method"], row["settle_with"]) == ("equal_value_exchange", "water")
    assert row["value"] == str(D("60000"))


# --- R10 equal value only through designated counter-deliveries ------------------------------


def _airlift_then_diesel(*events: dict[str, Any], **settlement: Any) -> dict[str, Any]:
    """ph-coy (a PH unit at camp, airlift 10 / reorder 5) loses 6 h at 1h: O00001 6 h of airlift
    from jp-det (JPY 30,000/h: JPY 180,000 = USD 1,200), delivered 6h, equal value (a service).
    jp-coy loses half its diesel at 10h: O00002, 500 L of PH diesel at PHP 50/L (PHP
    25,000.00 = USD 500), delivered 15h, in kind."""
    return world(
        duration="2d",
        agreements=[agreement(**settlement)],
        prices={"PH": {"diesel": 50}, "JP": {"airlift": 30000}},
        holders=[
            unit(),
            depot(),
            unit("ph-coy", "PH", commodity="airlift", initial=10, capacity=10, reorder=5),
            depot("jp-det", "JP", commodity="airlift", initial=100, reserve=0),
        ],
        timeline=[EXERCISE, loss("1h", "ph-coy", "airlift", 0.6), loss("10h"), *events],
    )


def test_r10_a_delivery_of_an_item_not_designated_settles_nothing() -> None:
    """R10 revised: O00001 (airlift, PH owes JP USD 1,200) names what may be given back for it:
    by default any item of its category, transportation. O00002, 500 L of PH diesel to JP
    (PHP 25,000.00 = USD 500, delivered 15h, in kind), is fuel: it settles nothing (version 1
    netted them), and both stay open."""
    r = run(_airlift_then_diesel())
    assert {k: v[:2] + v[4:] for k, v in order_rows(r).items()} == {
        "O00001": ("equal_value_exchange", "open", None, D("0")),
        "O00002": ("replacement_in_kind", "open", None, D("0.00")),
    }
    assert r.orders[0].settle_with == "airlift"
    assert [t.kind for t in r.transactions] == ["issue", "issue"]
    assert r.kpis["outstanding_end"] == {"JP-PH": 700.0}  # PH owes 1,200, JP owes 500


def test_r10_a_designated_counter_delivery_settles_the_balance_and_counts_once() -> None:
    """R10 revised: `exchange: {transportation: [diesel]}` designates diesel. O00002 (USD 500)
    is given back for O00001: O00001 settles USD 500 x 150 = JPY 75,000 and stays open with
    JPY 105,000 (USD 700); O00002 is absorbed whole: settled at 15h, equal value, `settles`
    O00001. The KPI counts the balance settled once: USD 500 by equal value, not 1,000."""
    r = run(_airlift_then_diesel(exchange={"transportation": ["diesel"]}))
    o1, o2 = r.orders
    assert o1.settle_with == "diesel"
    assert (o1.status, o1.settled_value) == ("open", D("75000"))
    assert (o2.method, o2.status, o2.settled_at, o2.settles) == (
        "equal_value_exchange", "settled", 15.0, "O00001",
    )  # fmt: skip
    assert [(t.time, t.kind, t.order_id) for t in r.transactions if t.kind != "issue"] == [
        (15.0, "equal_value", "O00001"),
        (15.0, "counter_delivery", "O00002"),
    ]
    assert r.kpis["settled_by_method"] == {"equal_value_exchange": 500.0}
    assert "equal_value_exchange" not in r.kpis["days_to_settle"]  # nothing settled in full
    assert r.kpis["outstanding_end"] == {"JP-PH": 700.0}


def test_r10_an_exchange_event_settles_equal_value_balances_at_a_date() -> None:
    """R10 revised: an `exchange` event (PH gives JP equal value outside the simulated flows):
    at 20h USD 500 of O00001 (JPY 75,000); at 30h the rest, JPY 105,000 (no value: all). Each
    is an `equal_value` posting on O00001 alone, with the goods or services JP receives
    (Expenses:JP:Received) and PH provides (Income:PH:Provided)."""
    events = [
        {"at": "20h", "event": "fuel-swap", "exchange": {"agreement": "JP-PH", "debtor": "PH",
                                                          "value": 500}},
        {"at": "30h", "event": "airlift-swap", "exchange": {"agreement": "JP-PH",
                                                             "debtor": "PH"}},
    ]  # fmt: skip
    r = run(_airlift_then_diesel(*events))
    o1 = r.orders[0]
    assert (o1.status, o1.settled_at, o1.settled_value) == ("settled", 30.0, D("180000"))
    exchanges = [t for t in r.transactions if t.kind == "equal_value"]
    assert [(t.time, t.order_id) for t in exchanges] == [(20.0, "O00001"), (30.0, "O00001")]
    assert {(p.account, p.amount) for p in exchanges[0].postings} == {
        ("Assets:JP:Receivable:PH", D("-75000")),
        ("Liabilities:PH:Payable:JP", D("75000")),
        ("Expenses:JP:Received", D("75000")),
        ("Income:PH:Provided", D("-75000")),
    }
    assert r.kpis["settled_by_method"] == {"equal_value_exchange": 1200.0}
    assert r.kpis["days_to_settle"] == {"equal_value_exchange": 1.0}  # 6h -> 30h


def test_r10_exchange_events_are_cross_checked() -> None:
    bad = {"at": "20h", "exchange": {"agreement": "JP-PJ", "debtor": "PH"}}
    with pytest.raises(ScenarioError, match="unknown agreement 'JP-PJ'; did you mean 'JP-PH'"):
        load_text(yaml.safe_dump(_airlift_then_diesel(bad), sort_keys=False))
    bad = {"at": "20h", "exchange": {"agreement": "JP-PH", "debtor": "US"}}
    s = _airlift_then_diesel(bad)
    s["parties"]["US"] = {"currency": "USD"}
    with pytest.raises(ScenarioError, match="unknown party of the agreement 'US'"):
        load_text(yaml.safe_dump(s, sort_keys=False))


# --- R13 offset from delivery, as a decision ---------------------------------------------------


def _two_balances(*events: dict[str, Any], **settlement: Any) -> dict[str, Any]:
    """Cash both ways, invoiced only after the run: O00001 500 L PH diesel to jp-coy (PHP
    30,000.00 = USD 600), delivered 15h; O00002 600 L JP water to ph-coy (JPY 60,000 = USD
    400), delivered 25h."""
    return world(
        duration="4d",
        agreements=[agreement(methods=["cash"], invoice_after="10d", **settlement)],
        holders=[unit(), depot(), unit("ph-coy", "PH", commodity="water"),
                 depot("jp-depot", "JP", commodity="water")],
        timeline=[EXERCISE, loss("10h"), loss("20h", "ph-coy", "water", 0.6), *events],
    )  # fmt: skip


OFFSET_AT_63 = {
    # 15 + 2d = 63h: O00001 may be offset; against O00002 (USD 400 < 600): O00002 in full,
    # O00001 USD 400 x 50 = PHP 20,000.00 and stays open with PHP 10,000.00.
    "O00001": ("cash", "open", 15.0, 15.0 + HOURS_PER_YEAR, None, D("20000.00")),
    "O00002": ("cash", "offset", 25.0, 25.0 + HOURS_PER_YEAR, 63.0, D("60000")),
}


@pytest.mark.parametrize(
    "terms",
    [{"offset": {"after": "2d"}}, {"offset": {"after": "2d", "from": "delivery"}},
     {"offset_after": "2d"}],
)  # fmt: skip
def test_r13_offset_counts_from_delivery_and_offset_after_means_the_same(terms: Any) -> None:
    """R13 revised: a balance may be offset `after` its delivery (10 U.S.C. 2345: 18 months
    after delivery). Version-1 `offset_after` now counts from delivery too."""
    r = run(_two_balances(**terms))
    assert order_rows(r) == OFFSET_AT_63
    assert [(t.time, t.kind, t.order_id) for t in r.transactions if t.kind != "issue"] == [
        (63.0, "offset", "O00001"),
        (63.0, "offset", "O00002"),
    ]
    assert r.kpis["outstanding_end"] == {"JP-PH": -200.0}


def test_r13_offset_from_the_due_date() -> None:
    """R13 revised, `from: due`: deadline 1d, so O00001 is due at 39h and may be offset at
    39 + 48 = 87h."""
    r = run(_two_balances(deadline="1d", offset={"after": "2d", "from": "due"}))
    assert [(t.time, t.kind) for t in r.transactions if t.kind != "issue"] == [
        (87.0, "offset"), (87.0, "offset"),
    ]  # fmt: skip


def test_r13_offset_is_a_decision_a_probability_or_a_dated_event() -> None:
    """R13 revised: with probability 0 the creditor never decides to offset; an `offset`
    event at 80h offsets every balance that may be offset then (O00001 since 63h, O00002
    since 73h), oldest first: the same netting as at 63h, at 80h."""
    r = run(_two_balances(offset={"after": "2d", "probability": 0}))
    assert [t.kind for t in r.transactions] == ["issue", "issue"]
    assert [line for _, line in r.log if "not offset" in line] == [
        "O00001 not offset (the creditor's decision)",
        "O00002 not offset (the creditor's decision)",
    ]
    event = {"at": "80h", "event": "offset-decision", "offset": {"agreement": "JP-PH"}}
    r = run(_two_balances(event, offset={"after": "2d", "probability": 0}))
    assert [(t.time, t.kind) for t in r.transactions if t.kind != "issue"] == [
        (80.0, "offset"), (80.0, "offset"),
    ]  # fmt: skip
    # without offset terms the event offsets every balance, whatever its age
    r = run(_two_balances({**event, "at": "30h"}))
    assert [(t.time, t.kind) for t in r.transactions if t.kind != "issue"] == [
        (30.0, "offset"), (30.0, "offset"),
    ]  # fmt: skip


def test_r13_the_decision_is_drawn_per_balance_from_its_own_stream() -> None:
    """R13 revised: with probability 0.5 some seeds offset O00001 and some do not; a seed
    always decides the same, and adding a holder elsewhere does not change the decision."""
    s = _two_balances(offset={"after": "2d", "probability": 0.5})
    outcomes = {seed: run(s, seed=seed).orders[1].status for seed in range(1, 13)}
    assert set(outcomes.values()) == {"offset", "open"}
    bigger = copy_with_idle_holder(s)
    assert {seed: run(bigger, seed=seed).orders[1].status for seed in outcomes} == outcomes


def copy_with_idle_holder(s: dict[str, Any]) -> dict[str, Any]:
    extra = depot("au-depot", "PH", commodity="water")
    return {**s, "holders": [*s["holders"], extra]}


# --- R9 replacement in kind by equivalents, not before return_after --------------------------


def _jis_world(equivalent: bool = True, **settlement: Any) -> dict[str, Any]:
    """jp-coy holds F-76 (`diesel`, 1000, reorder 1000: it never has diesel to spare) and JIS
    No. 2 diesel (`jis_diesel`, none, capacity 1000), which only its sealift carries (on
    demand, 20h to port, then 5h by road). t=0: it orders 1000 L of JIS diesel; PH has none
    to give (no_surplus), the sealift takes it: at camp at 25h. t=10: it loses half its F-76
    and orders 500 L: O00001 from ph-depot, PHP 30,000.00, delivered 15h, in kind."""
    s = world(agreements=[agreement(**settlement)])
    s["commodities"]["jis_diesel"] = {"unit": "L", "category": "fuel"}
    if equivalent:
        s["commodities"]["diesel"]["equivalent"] = ["jis_diesel"]
    s["supply_lines"] = [{"id": "sealift", "party": "JP", "deliver_to": "port",
                          "commodities": ["jis_diesel"], "lead_time": "20h"}]  # fmt: skip
    coy = unit(reorder=1000, supplied_by="sealift")
    coy["stock"]["jis_diesel"] = {"initial": 0, "capacity": 1000, "reorder": 0}
    s["holders"] = [coy, depot()]
    s["timeline"] = [EXERCISE, loss("10h")]
    return s


def test_r9_an_equivalent_item_repays_in_kind() -> None:
    """R9 revised: O00001's terms name diesel and its equivalent JIS diesel. At 25h the JIS
    diesel arrives; jp-coy cannot spare F-76, so it returns 500 L of JIS diesel (one trip,
    5h): at 30h ph-depot receives it and O00001 is settled (PHP 30,000.00)."""
    r = run(_jis_world())
    (o,) = r.orders
    assert o.settle_with == "diesel jis_diesel"
    assert (o.status, o.settled_at, o.settled_quantity, o.settled_value) == (
        "settled", 30.0, 500.0, D("30000.00"),
    )  # fmt: skip
    moves = [(f.time, f.holder, f.commodity, f.kind, f.quantity) for f in r.flows
             if f.kind in ("return_out", "return_in")]  # fmt: skip
    assert moves == [
        (25.0, "jp-coy", "jis_diesel", "return_out", -500.0),
        (30.0, "ph-depot", "jis_diesel", "return_in", 500.0),
    ]
    from acsasim.output.tables import stock_rows

    last = {(h, c): end for _, h, _, c, end, _ in stock_rows(r)}
    assert last[("ph-depot", "jis_diesel")] == 500.0  # a stock it does not list, still shown


def test_r9_no_equivalent_no_return_and_not_before_return_after() -> None:
    """R9 revised: without `equivalent` the JIS diesel repays nothing; with `return_after:
    2d` the return waits until 15 + 48 = 63h (arrives 68h)."""
    r = run(_jis_world(equivalent=False))
    assert (r.orders[0].settle_with, r.orders[0].status) == ("diesel", "open")
    assert not [f for f in r.flows if f.kind == "return_out"]
    r = run(_jis_world(return_after="2d"))
    assert [(f.time, f.kind) for f in r.flows if f.kind.startswith("return")] == [
        (63.0, "return_out"), (68.0, "return_in"),
    ]  # fmt: skip
    assert r.orders[0].settled_at == 68.0


def test_r9_the_same_item_first() -> None:
    """R9 revised: when jp-coy can spare F-76 too (reorder 500: after the delivery it holds
    1000), the JIS receipt at 25h returns 500 L of F-76 itself, not JIS diesel."""
    s = _jis_world()
    s["holders"][0]["stock"]["diesel"]["reorder"] = 500
    r = run(s)
    assert [(f.time, f.commodity) for f in r.flows if f.kind == "return_out"] == [
        (25.0, "diesel"),
    ]


def test_r9_an_equivalent_is_counted_alike() -> None:
    s = _jis_world()
    s["commodities"]["jis_diesel"]["unit"] = "gal"
    with pytest.raises(ScenarioError, match="counted in the same unit and resolution"):
        load_text(yaml.safe_dump(s, sort_keys=False))
