"""Golden event log (SimPy's own testing style): a tiny deterministic scenario whose complete
log is compared line by line with golden/tiny.log.

The hand trace of every line is at the top of golden/tiny.yaml. To regenerate the golden
file after an intended change, run

    ACSASIM_REGEN_GOLDEN=1 pytest tests/sim/test_golden.py

then check the diff of tiny.log line by line against the trace (and update the trace).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from acsasim.scenario import load_text
from acsasim.sim import simulate

GOLDEN = Path(__file__).parent / "golden"
SCENARIO = GOLDEN / "tiny.yaml"
LOG = GOLDEN / "tiny.log"


def log_lines(seed: int = 1) -> list[str]:
    scenario = load_text(SCENARIO.read_text(encoding="utf-8"), name=str(SCENARIO))
    result = simulate(scenario, seed=seed, log=True)
    return [f"{t:9.3f} {text}" for t, text in result.log]


def test_tiny_log_matches_golden() -> None:
    """R2-R8 end to end: the complete event log of golden/tiny.yaml, line by line."""
    lines = log_lines()
    if os.environ.get("ACSASIM_REGEN_GOLDEN") == "1":
        LOG.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        pytest.skip(f"rewrote {LOG}; check every changed line by hand before committing")
    expected = LOG.read_text(encoding="utf-8").splitlines()
    for number, (got, want) in enumerate(zip(lines, expected, strict=False), start=1):
        assert got == want, f"tiny.log line {number} differs"
    assert lines[len(expected) :] == [], "the run logged lines the golden file lacks"
    assert expected[len(lines) :] == [], "the golden file has lines the run did not log"


def test_tiny_log_does_not_depend_on_seed() -> None:
    """R2, R6: with variability 0 and fixed route times nothing is random."""
    assert log_lines(seed=1) == log_lines(seed=987654321)


def test_tiny_books_match_the_trace() -> None:
    """R2, R6, R8: the books agree with the hand trace in golden/tiny.yaml."""
    scenario = load_text(SCENARIO.read_text(encoding="utf-8"), name=str(SCENARIO))
    r = simulate(scenario, seed=1)
    summary = [(o.order_id, o.quantity, o.requested_at, o.delivered_at, o.status) for o in r.orders]
    assert summary == [
        ("O00001", 600.0, 12.0, 27.0, "open"),
        ("O00002", 700.0, 30.0, None, "in_transit"),
        ("O00003", 500.0, 42.0, None, "in_transit"),
    ]
    assert r.refusals == ()
    assert r.stockout_hours == {("jp-coy", "diesel"): 3.0}
    losses = [(f.time, f.holder, f.quantity) for f in r.flows if f.kind == "loss"]
    assert losses == [(30.0, "jp-coy", -300.0)]
    # Final stock: jp-coy 400 (trace at t=47); ph-depot 5000 - 600 - 700 - 500 = 3200.
    on_hand: dict[str, float] = {}
    for f in r.flows:
        on_hand[f.holder] = on_hand.get(f.holder, 0.0) + f.quantity
    assert on_hand == {"jp-coy": 400.0, "ph-depot": 3200.0}
    # Only the delivered order is on the books (R8: posted at delivery).
    assert [(t.kind, t.order_id, t.time) for t in r.transactions] == [("issue", "O00001", 27.0)]
