"""The journal: every posting of a run as columns, with running balances (R15).

A transaction is a row of the transaction columns (time, kind, order); its postings are
rows of the posting columns (transaction, account, amount, currency), amounts in integer
minor units of their currency, so sums are exact and cheap. Accounts and currencies are
numbered as they first appear; balances per (account, currency) run as postings append.

`post` appends and does nothing else: the R15 invariants (every transaction sums to zero
per currency, receivables mirror payables, balances equal the postings) are checked in
batches by `checks.check_journal`, at the end of each simulated day and of the run, and a
failure names the first offending transaction and its order. `transactions()` gives the
journal as immutable records (Decimal amounts) for readers.
"""

from __future__ import annotations

from collections.abc import Iterable

from acsasim.ledger import accounts
from acsasim.ledger.entries import Posting, Transaction
from acsasim.ledger.money import from_minor
from acsasim.ledger.orders import order_id
from acsasim.vocab import TxnKind

#: One leg: (account id, amount in minor units, currency id).
Leg = tuple[int, int, int]
NO_ORDER = -1


class Journal:
    """The double-entry journal of one run (see the module's docstring)."""

    def __init__(self) -> None:
        self.account_names: list[str] = []
        self.mirrors: list[int] = []  # account id -> its R15 mirror's id, or -1
        self.currency_codes: list[str] = []
        self._account_ids: dict[str, int] = {}
        self._currency_ids: dict[str, int] = {}
        # transactions
        self.txn_time: list[float] = []
        self.txn_kind: list[TxnKind] = []
        self.txn_order: list[int] = []  # order row, or NO_ORDER
        self.txn_start: list[int] = []  # its first posting
        # postings
        self.leg_txn: list[int] = []
        self.leg_account: list[int] = []
        self.leg_amount: list[int] = []
        self.leg_currency: list[int] = []
        self.balances: dict[tuple[int, int], int] = {}

    def __len__(self) -> int:
        return len(self.txn_time)

    def account(self, name: str) -> int:
        """The id of account `name`, numbering it (and its mirror) on first use."""
        found = self._account_ids.get(name)
        if found is not None:
            return found
        mirror = accounts.mirror(name)  # parses, hence validates, the name
        aid = self._account_ids[name] = len(self.account_names)
        self.account_names.append(name)
        self.mirrors.append(-1)
        if mirror is not None:
            self.mirrors[aid] = self.account(mirror)
            self.mirrors[self.mirrors[aid]] = aid
        return aid

    def currency(self, code: str) -> int:
        found = self._currency_ids.get(code)
        if found is None:
            found = self._currency_ids[code] = len(self.currency_codes)
            self.currency_codes.append(code)
        return found

    def post(self, time: float, kind: TxnKind, order: int, legs: Iterable[Leg]) -> int:
        """Append one transaction of `legs`; returns its id (counting from 1)."""
        txn = len(self.txn_time)
        self.txn_time.append(time)
        self.txn_kind.append(kind)
        self.txn_order.append(order)
        self.txn_start.append(len(self.leg_txn))
        balances = self.balances
        for account, amount, currency in legs:
            key = (account, currency)
            balances[key] = balances.get(key, 0) + amount
            self.leg_account.append(account)
            self.leg_amount.append(amount)
            self.leg_currency.append(currency)
        self.leg_txn.extend([txn] * (len(self.leg_account) - len(self.leg_txn)))
        return txn + 1

    def balance(self, account: str, currency: str) -> int:
        """Current balance of an account in minor units (0 if it never moved)."""
        aid, cid = self._account_ids.get(account), self._currency_ids.get(currency)
        return 0 if aid is None or cid is None else self.balances.get((aid, cid), 0)

    def legs_of(self, txn: int) -> range:
        """Posting rows of transaction row `txn`."""
        end = self.txn_start[txn + 1] if txn + 1 < len(self.txn_start) else len(self.leg_txn)
        return range(self.txn_start[txn], end)

    def transaction(self, txn: int) -> Transaction:
        """Transaction row `txn` as an immutable record."""
        names, codes = self.account_names, self.currency_codes
        postings = tuple(
            Posting(
                names[self.leg_account[i]],
                from_minor(self.leg_amount[i], codes[self.leg_currency[i]]),
                codes[self.leg_currency[i]],
            )
            for i in self.legs_of(txn)
        )
        row = self.txn_order[txn]
        return Transaction(
            txn + 1,
            float(self.txn_time[txn]),
            str(self.txn_kind[txn]),
            None if row == NO_ORDER else order_id(row),
            postings,
        )

    def transactions(self) -> tuple[Transaction, ...]:
        return tuple(self.transaction(t) for t in range(len(self)))
