"""The words of the books and the engine, each written once: settlement methods, order
statuses, refusal reasons, kinds of materiel flow and of transaction.

Every module below (scenario, ledger, sim, output) takes its vocabulary from here, so
a CSV column, a KPI key and a rule in the code spell a thing the same way. Members are
`StrEnum`s: they compare equal to, and print as, the text written in the outputs.
"""

from __future__ import annotations

from enum import StrEnum


class Method(StrEnum):
    """How the receiver settles an order (R8): in kind, by equal value, or in cash."""

    REPLACEMENT_IN_KIND = "replacement_in_kind"
    EQUAL_VALUE_EXCHANGE = "equal_value_exchange"
    CASH = "cash"
    GRATIS = "gratis"  # R22: provided for an activity given as aid: recorded, not billed


#: Methods whose balance falls due at the deadline and may convert to cash (R12).
IN_KIND = frozenset({Method.REPLACEMENT_IN_KIND, Method.EQUAL_VALUE_EXCHANGE})


class Status(StrEnum):
    """Where an order stands (orders.csv `status`)."""

    IN_TRANSIT = "in_transit"
    UNPRICED = "unpriced"
    OPEN = "open"
    SETTLED = "settled"
    OVERDUE = "overdue"
    CONVERTED = "converted"
    OFFSET = "offset"
    GRATIS = "gratis"  # R22: delivered for nothing: no balance ever


#: Statuses with a balance still to settle.
UNSETTLED = frozenset({Status.OPEN, Status.OVERDUE, Status.CONVERTED})
#: Legal status changes (R8-R13); staying in the same status is always allowed.
TRANSITIONS = frozenset(
    {
        (Status.IN_TRANSIT, Status.OPEN),
        (Status.IN_TRANSIT, Status.UNPRICED),
        (Status.UNPRICED, Status.OPEN),
        (Status.IN_TRANSIT, Status.GRATIS),
        (Status.UNPRICED, Status.GRATIS),
        (Status.OPEN, Status.SETTLED),
        (Status.OPEN, Status.OVERDUE),
        (Status.OVERDUE, Status.CONVERTED),
        (Status.OVERDUE, Status.SETTLED),
        (Status.CONVERTED, Status.SETTLED),
        (Status.OPEN, Status.OFFSET),
        (Status.OVERDUE, Status.OFFSET),
        (Status.CONVERTED, Status.OFFSET),
    }
)


class Reason(StrEnum):
    """Why a request was refused or trimmed (R5)."""

    NOT_IN_FORCE = "not_in_force"
    CATEGORY_NOT_COVERED = "category_not_covered"
    EXCLUDED = "excluded"
    PROHIBITED = "prohibited"
    ACTIVITY_NOT_COVERED = "activity_not_covered"
    NO_PRICE = "no_price"
    CEILING = "ceiling"
    NO_SURPLUS = "no_surplus"
    NO_ROUTE = "no_route"


class FlowKind(StrEnum):
    """A movement of materiel (flows.csv `kind`)."""

    INITIAL = "initial"
    CONSUME = "consume"
    NATIONAL_RECEIPT = "national_receipt"
    ACSA_ISSUE = "acsa_issue"
    ACSA_RECEIPT = "acsa_receipt"
    RETURN_OUT = "return_out"
    RETURN_IN = "return_in"
    LOSS = "loss"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"


#: Kinds that bring stock in (quantity >= 0); the others take it out (quantity <= 0).
INFLOWS = frozenset(
    {FlowKind.INITIAL, FlowKind.NATIONAL_RECEIPT, FlowKind.ACSA_RECEIPT, FlowKind.RETURN_IN,
     FlowKind.TRANSFER_IN}
)  # fmt: skip


class TxnKind(StrEnum):
    """What a transaction of the journal records (postings.csv `kind`)."""

    ISSUE = "issue"
    RETURN_IN_KIND = "return_in_kind"
    EQUAL_VALUE = "equal_value"
    INVOICE = "invoice"
    PAYMENT = "payment"
    CONVERSION = "conversion"
    OFFSET = "offset"
    COUNTER_DELIVERY = "counter_delivery"


#: The transactions that settle a balance, and the means each stands for (KPIs, charts). A
#: `counter_delivery` is not among them: it takes off the balance of a delivery given back
#: for an equal-value balance (R10), which its `equal_value` twin counts once.
SETTLING = {
    TxnKind.RETURN_IN_KIND: "replacement_in_kind",
    TxnKind.EQUAL_VALUE: "equal_value_exchange",
    TxnKind.PAYMENT: "cash",
    TxnKind.OFFSET: "offset",
}
