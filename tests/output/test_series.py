"""The series behind the money charts follow the books whatever they hold: overdue parts and
aging buckets appear as soon as orders are past due, and settlement postings of any kind
move the balance. Also: a run folder reads back into the very frames of the RunResult."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pandas as pd
import pytest

from acsasim.ledger import to_money
from acsasim.output import series
from acsasim.output.run_data import RunData, load_run
from acsasim.output.runfolder import RunFolderError
from acsasim.output.statement_view import statement_columns, statement_rows
from acsasim.output.style import AGING_BUCKETS


def due_shifted(data: RunData, days: float) -> RunData:
    """The same run with every order due `days` after its delivery (negative: before)."""
    o = data.frames["orders"].copy()
    delivered = pd.to_datetime(o["delivered_at"].replace("", None))
    o["due_at"] = [(d + timedelta(days=days)).isoformat() if pd.notna(d) else "" for d in delivered]
    return replace(data, frames={**data.frames, "orders": o})


def test_frames_read_back_from_the_folder_equal_the_results(drill, drill_loaded) -> None:
    for name, frame in drill.frames.items():
        pd.testing.assert_frame_equal(drill_loaded.frames[name], frame, check_dtype=False)
    assert drill_loaded.kpis == json.loads(json.dumps(drill.kpis))
    assert drill_loaded.manifest["seed"] == drill.scenario.seed


def test_a_folder_without_csv_reads_its_tables_from_sqlite(drill_folder, tmp_path) -> None:
    import shutil

    copy = tmp_path / "run"
    shutil.copytree(drill_folder, copy)
    for csv in copy.glob("*.csv"):
        csv.unlink()
    data = load_run(copy)
    assert len(data.frames["orders"]) == data.kpis["orders"]
    assert data.frames["postings"]["txn_id"].dtype.kind == "i"


def test_a_folder_that_is_not_a_run_folder_is_named(tmp_path) -> None:
    (tmp_path / "summary.json").write_text("{}")
    with pytest.raises(RunFolderError, match=r"missing scenario\.yaml, manifest\.json"):
        load_run(tmp_path)
    with pytest.raises(RunFolderError, match="not a folder"):
        load_run(tmp_path / "nowhere")


def test_orders_long_past_due_fill_the_overdue_part_and_an_old_bucket(drill) -> None:
    late = due_shifted(drill, -100)  # due 100 days before delivery: 100-121 days late at the end
    (bal,) = series.balances(late)
    net = bal.overdue_to_a - bal.overdue_to_b
    assert net.iloc[-1] == pytest.approx(bal.net.iloc[-1])  # everything is overdue, both ways
    assert bal.overdue_to_a.iloc[-1] > 0 and bal.overdue_to_b.iloc[-1] > 0
    aging = series.outstanding_by(late, "aging")
    assert aging.iloc[-1]["91-180 d"] == pytest.approx(aging.iloc[-1].sum())
    assert aging.iloc[-1][AGING_BUCKETS[0]] == pytest.approx(0, abs=1e-6)


def test_orders_move_from_not_yet_due_to_overdue_at_their_due_date(drill) -> None:
    soon = due_shifted(drill, 3)  # due three days after delivery
    aging = series.outstanding_by(soon, "aging")
    rec = series.receivables(soon)
    first = rec["time"].min()
    at_first = aging[aging.index >= first].iloc[0]
    assert at_first["not yet due"] > 0 and at_first.drop("not yet due").sum() == 0
    assert aging.iloc[-1]["1-30 d"] > 0  # the early orders are 1-30 days late at the end
    assert aging.iloc[-1].sum() == pytest.approx(rec["amount"].sum())


def test_a_settlement_posting_of_any_kind_moves_the_balance(drill) -> None:
    """A payment the engine does not make yet (kind `payment`) still reaches the charts."""
    p = drill.frames["postings"]
    order = drill.frames["orders"].iloc[0]  # PH provided to JP
    creditor, debtor = order["provider_party"], order["receiver_party"]
    amount = Decimal(order["value"])
    pay = pd.DataFrame(
        [
            (
                9999,
                "2026-06-10T00:00:00",
                "payment",
                order["order_id"],
                f"Assets:{creditor}:Receivable:{debtor}",
                str(-amount),
                order["currency"],
            ),
            (
                9999,
                "2026-06-10T00:00:00",
                "payment",
                order["order_id"],
                f"Assets:{creditor}:Cash",
                str(amount),
                order["currency"],
            ),
        ],
        columns=p.columns,
    )
    paid = replace(
        drill, frames={**drill.frames, "postings": pd.concat([p, pay], ignore_index=True)}
    )
    before, after = series.balances(drill)[0], series.balances(paid)[0]
    expected = drill.converter.exact(-amount, order["currency"])
    change = expected if creditor == before.a else -expected
    assert abs(after.end - before.end - change) < Decimal("1e-12")  # exact but for digit 28
    rows = statement_rows(paid.frames, paid.scenario, (before.a, before.b))
    assert any(r[1] == "payment" for r in rows)


def test_statement_rows_run_to_the_kpi_balance(drill) -> None:
    pair = ("JP", "PH")
    rows = statement_rows(drill.frames, drill.scenario, pair)
    columns = statement_columns(pair, "USD")
    assert len(columns) == len(rows[0]) == 8
    assert columns[-3:] == ("in JP's favour (USD)", "in PH's favour (USD)", "balance (USD)")
    issues = drill.frames["postings"].query("kind == 'issue'")["txn_id"].nunique()
    assert len([r for r in rows if r[1] == "issue"]) == issues
    end = Decimal(str(drill.kpis["outstanding_end"]["JP-PH"]))
    who = "PH owes JP" if end > 0 else "JP owes PH"
    assert rows[-1][-1] == f"{who} {to_money(abs(end), 'USD'):,}"
    dates = [r[0] for r in rows]
    assert dates == sorted(dates)
    for r in rows:  # each line is either in JP's favour or in PH's, never both
        assert bool(r[5]) != bool(r[6])
        assert r[4].split()[0] in {"JPY", "PHP"}  # the amount, in the order's own currency


def test_series_grid_covers_the_run(drill) -> None:
    when = series.grid(drill)
    assert when[0] == drill.scenario.start and when[-1] == drill.scenario.end
    assert len(when) <= 602


def test_stock_lines_put_the_closest_to_running_out_first(drill) -> None:
    lines = series.stock_lines(drill)
    scores = [x.score for x in lines]
    assert scores == sorted(scores)
    assert len(lines) == sum(len(h.stock) for h in drill.scenario.holders)
