"""Account names of the journal (outputs.md, postings.csv).

Accounts are colon-separated paths that start with one of the four beancount
root types, then the party that owns the account. Building them here, and
nowhere else, keeps postings.csv, the R15 mirror check and the beancount export
agreeing on one spelling.
"""

from __future__ import annotations

from functools import cache

ROOTS = ("Assets", "Liabilities", "Income", "Expenses")


def _party(party: str) -> str:
    """A party id usable inside an account name: non-empty, no ':' or whitespace."""
    if not isinstance(party, str) or not party:
        raise ValueError(f"party id must be a non-empty string, got {party!r}")
    if ":" in party or any(c.isspace() for c in party):
        raise ValueError(f"party id {party!r} may not contain ':' or whitespace")
    return party


def _pair(party: str, counterparty: str) -> tuple[str, str]:
    if _party(party) == _party(counterparty):
        raise ValueError(f"party {party!r} cannot owe itself")
    return party, counterparty


@cache  # a run has few parties and names its accounts on every posting
def receivable(party: str, counterparty: str) -> str:
    """What `counterparty` owes `party`: `Assets:JP:Receivable:PH`."""
    p, c = _pair(party, counterparty)
    return f"Assets:{p}:Receivable:{c}"


@cache  # a run has few parties and names its accounts on every posting
def payable(party: str, counterparty: str) -> str:
    """What `party` owes `counterparty`: `Liabilities:PH:Payable:JP`."""
    p, c = _pair(party, counterparty)
    return f"Liabilities:{p}:Payable:{c}"


@cache  # a run has few parties and names its accounts on every posting
def receivable_invoiced(party: str, counterparty: str) -> str:
    """The part of a receivable that has been invoiced for cash (R11): `...:Receivable:PH:Invoiced`.

    Kept apart so the books show what was never invoiced, the audit finding that
    recurs (GAO-20-309)."""
    return receivable(party, counterparty) + ":Invoiced"


@cache  # a run has few parties and names its accounts on every posting
def payable_invoiced(party: str, counterparty: str) -> str:
    """The mirror of `receivable_invoiced`: `Liabilities:PH:Payable:JP:Invoiced`."""
    return payable(party, counterparty) + ":Invoiced"


@cache  # a run has few parties and names its accounts on every posting
def provided(party: str) -> str:
    """Value of what `party` provided under ACSAs: `Income:JP:Provided`."""
    return f"Income:{_party(party)}:Provided"


@cache  # a run has few parties and names its accounts on every posting
def received(party: str) -> str:
    """Value of what `party` received under ACSAs: `Expenses:PH:Received`."""
    return f"Expenses:{_party(party)}:Received"


def cash(party: str) -> str:
    """Cash `party` pays from or is paid into: `Assets:JP:Cash`."""
    return f"Assets:{_party(party)}:Cash"


def parse(account: str) -> tuple[str, ...]:
    """Split an account name into its parts, checking the root and that none is empty."""
    if not isinstance(account, str):
        raise ValueError(f"account must be a string, got {account!r}")
    parts = tuple(account.split(":"))
    if parts[0] not in ROOTS:
        raise ValueError(f"account {account!r} must start with one of {', '.join(ROOTS)}")
    if len(parts) < 2 or not all(parts):
        raise ValueError(f"account {account!r} has an empty part")
    return parts


def receivable_parties(account: str) -> tuple[str, str] | None:
    """(creditor, debtor) if `account` is a receivable, plain or invoiced (R11), else None."""
    parts = account.split(":")
    if parts[0] != "Assets" or len(parts) not in (4, 5) or parts[2] != "Receivable":
        return None
    if len(parts) == 5 and parts[4] != "Invoiced":
        return None
    return parts[1], parts[3]


def mirror(account: str) -> str | None:
    """The other side of a debt between two parties (R15), or None.

    `Assets:A:Receivable:B` <-> `Liabilities:B:Payable:A`: A's receivable from B
    must always equal, with opposite sign, B's payable to A.
    """
    parts = parse(account)
    if len(parts) == 5 and parts[4] == "Invoiced":
        other = mirror(":".join(parts[:4]))
        return None if other is None else other + ":Invoiced"
    if len(parts) != 4:
        return None
    root, party, kind, counterparty = parts
    if root == "Assets" and kind == "Receivable":
        return payable(counterparty, party)
    if root == "Liabilities" and kind == "Payable":
        return receivable(counterparty, party)
    return None
