"""The books as numpy columns, for readers: statements, aging, charts, the report.

Readers of a whole run (every pair's statement, the aging of every receivable) work on columns
with grouped operations, never by rebuilding a record per posting. `JournalColumns` is the
journal (a row per transaction, a row per posting, amounts in integer minor units), `OrderColumns`
the few order facts readers need, and `AccountColumns` every account name parsed once into its
parts (the party, the kind, the counterparty). They are built from the engine's books
(`of_journal`, `of_orders`), from ledger records (`of_transactions`, `of_records`: tests and old
callers), or, by `output/books.py`, from a run folder's tables.

Amounts stay exact: int64 while they fit, Python integers (object arrays) beyond that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from acsasim.ledger.accounts import parse, receivable_parties
from acsasim.ledger.money import to_minor
from acsasim.ledger.orders import order_id

if TYPE_CHECKING:
    from acsasim.ledger.entries import Order, Transaction
    from acsasim.ledger.journal import Journal
    from acsasim.ledger.orders import OrderTable

NONE = -1  # no order, no party


def exact_ints(values: Iterable[int]) -> np.ndarray:
    """Integers as an int64 array, or as Python integers (object) if one does not fit."""
    listed = list(values)
    try:
        return np.asarray(listed, dtype=np.int64)
    except OverflowError:
        return np.asarray(listed, dtype=object)


def codes(values: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """Each value's index in `names` (NONE where it is not there)."""
    index = {name: i for i, name in enumerate(names)}
    return np.asarray([index.get(v, NONE) for v in values], dtype=np.int64)


@dataclass(frozen=True)
class JournalColumns:
    """The journal: transaction rows (`txn_*`) and posting rows (`leg_*`); see journal.py."""

    txn_id: np.ndarray  # int64, as postings.csv numbers them (row + 1)
    txn_time: np.ndarray  # float64, hours from the start (R1)
    txn_kind: np.ndarray  # int64 index into `kinds`
    kinds: tuple[str, ...]
    txn_order: np.ndarray  # int64 order row, or NONE
    leg_txn: np.ndarray  # int64 transaction row of each posting
    leg_account: np.ndarray  # int64 index into `account_names`
    leg_amount: np.ndarray  # minor units of the posting's currency
    leg_currency: np.ndarray  # int64 index into `currency_codes`
    account_names: tuple[str, ...]
    currency_codes: tuple[str, ...]

    @classmethod
    def of_journal(cls, j: Journal) -> JournalColumns:
        kinds = tuple(dict.fromkeys(str(k) for k in j.txn_kind))
        return cls(
            np.arange(1, len(j) + 1, dtype=np.int64),
            np.asarray(j.txn_time, dtype=float),
            codes([str(k) for k in j.txn_kind], kinds),
            kinds,
            np.asarray(j.txn_order, dtype=np.int64),
            np.asarray(j.leg_txn, dtype=np.int64),
            np.asarray(j.leg_account, dtype=np.int64),
            exact_ints(j.leg_amount),
            np.asarray(j.leg_currency, dtype=np.int64),
            tuple(j.account_names),
            tuple(j.currency_codes),
        )

    @classmethod
    def of_transactions(
        cls, transactions: Iterable[Transaction], order_ids: Sequence[str]
    ) -> JournalColumns:
        """Ledger records as columns; `order_ids` numbers the orders (a row each)."""
        txns = list(transactions)
        legs = [(row, p) for row, t in enumerate(txns) for p in t.postings]
        names = tuple(dict.fromkeys(p.account for _, p in legs))
        currencies = tuple(dict.fromkeys(p.currency for _, p in legs))
        kinds = tuple(dict.fromkeys(t.kind for t in txns))
        return cls(
            np.asarray([t.txn_id for t in txns], dtype=np.int64),
            np.asarray([t.time for t in txns], dtype=float),
            codes([t.kind for t in txns], kinds),
            kinds,
            codes([t.order_id or "" for t in txns], order_ids),
            np.asarray([row for row, _ in legs], dtype=np.int64),
            codes([p.account for _, p in legs], names),
            exact_ints(to_minor(p.amount, p.currency) for _, p in legs),
            codes([p.currency for _, p in legs], currencies),
            names,
            currencies,
        )

    def __len__(self) -> int:
        return len(self.txn_time)


@dataclass(frozen=True)
class OrderColumns:
    """What readers of the journal need of each order (a row per order, as orders.csv)."""

    order_id: tuple[str, ...]
    provider_party: tuple[str, ...]
    receiver_party: tuple[str, ...]
    currency: tuple[str, ...]
    commodity: tuple[str, ...]
    unit: tuple[str, ...]
    quantity: np.ndarray  # float64, in the commodity's unit
    delivered_at: np.ndarray  # float64 hours, nan: not delivered
    due_at: np.ndarray  # float64 hours, nan: no due date yet

    @classmethod
    def of_orders(cls, o: OrderTable) -> OrderColumns:
        return cls(
            tuple(order_id(i) for i in range(len(o))),
            tuple(o.provider_party),
            tuple(o.receiver_party),
            tuple(o.currency),
            tuple(o.commodity),
            tuple(o.unit),
            np.asarray([q / s for q, s in zip(o.quantity, o.scale, strict=True)], dtype=float),
            np.asarray(o.delivered_at, dtype=float),
            np.asarray(o.due_at, dtype=float),
        )

    @classmethod
    def of_records(cls, orders: Iterable[Order]) -> OrderColumns:
        rows = list(orders)
        return cls(
            tuple(o.order_id for o in rows),
            tuple(o.provider_party for o in rows),
            tuple(o.receiver_party for o in rows),
            tuple(o.currency for o in rows),
            tuple(o.commodity for o in rows),
            tuple(o.unit for o in rows),
            np.asarray([o.quantity for o in rows], dtype=float),
            np.asarray([o.delivered_at for o in rows], dtype=float),
            np.asarray([o.due_at for o in rows], dtype=float),
        )

    def __len__(self) -> int:
        return len(self.order_id)


@dataclass(frozen=True)
class AccountColumns:
    """Every account name parsed once: which are receivables (plain or invoiced, R11) and
    between whom (`parties[creditor[i]]` is owed by `parties[debtor[i]]`; NONE elsewhere)."""

    parties: tuple[str, ...]  # sorted: codes compare as the names do
    receivable: np.ndarray  # bool per account
    creditor: np.ndarray  # int64 party code per account
    debtor: np.ndarray

    @classmethod
    def of(cls, names: Sequence[str]) -> AccountColumns:
        """ValueError for a malformed name: a reader refuses it rather than skip it."""
        pairs = []
        for name in names:
            parse(name)
            pairs.append(receivable_parties(name))
        parties = tuple(sorted({p for pair in pairs if pair for p in pair}))
        index = {p: i for i, p in enumerate(parties)}
        return cls(
            parties,
            np.asarray([pair is not None for pair in pairs], dtype=bool),
            np.asarray([index[pair[0]] if pair else NONE for pair in pairs], dtype=np.int64),
            np.asarray([index[pair[1]] if pair else NONE for pair in pairs], dtype=np.int64),
        )
