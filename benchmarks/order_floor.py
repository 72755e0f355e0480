"""The least bookkeeping one ACSA order needs, timed with the ledger's own calls.

Every order must be valued in exact decimals and converted (R7), have its waived tax
worked out (R7), become an `Order` record, take the goods out of the provider's
stock and into the receiver's (R15), take its settlement method on receipt (R8) and
post its balanced four-leg issue (R15). Nothing else of the engine is timed: no
provider search, no trips, no settlement. `benchmarks/engine.py` uses this to show
how much of the time per event the books alone take.
"""

from __future__ import annotations

import time

from acsasim.ledger import Converter, Ledger, Order, StockBook, to_money, value_of
from acsasim.ledger.entries import evolve
from acsasim.ledger.money import tax_waived


def seconds_per_order(orders: int = 20_000) -> float:
    """Wall seconds of the bookkeeping of one order, over `orders` orders."""
    converter = Converter({"USD": 1, "PHP": 58}, "USD")
    ledger, stock = Ledger(), StockBook()
    stock.move(0.0, "depot", "PH", "diesel", "initial", 1e12)
    start = time.perf_counter()
    for i in range(orders):
        now, quantity = float(i), 1000.0 + i / 7
        value = value_of(quantity, 61.5, "PHP")
        reporting = converter.to_reporting(value, "PHP")
        order = Order(
            order_id=f"O{i:06d}",
            agreement="JP-PH",
            provider_party="PH",
            provider="depot",
            receiver_party="JP",
            receiver="unit",
            commodity="diesel",
            quantity=quantity,
            unit="L",
            activity="exercise",
            requested_at=now,
            delivered_at=None,
            currency="PHP",
            value=value,
            value_reporting=reporting,
            tax_waived_reporting=tax_waived(reporting, quantity, 0.12, 0.0, "PHP", converter),
            method=None,
            due_at=None,
            status="in_transit",
            settled_value=to_money(0, "PHP"),
        )
        ledger.add_order(order)
        stock.move(now, "depot", "PH", "diesel", "acsa_issue", -quantity, order_id=order.order_id)
        stock.move(now, "unit", "JP", "diesel", "acsa_receipt", quantity, order_id=order.order_id)
        delivered = evolve(order, delivered_at=now, method="cash", due_at=now + 720, status="open")
        ledger.update_order(delivered)
        ledger.post_issue(now, delivered)
    return (time.perf_counter() - start) / orders
