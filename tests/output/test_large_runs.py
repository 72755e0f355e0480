"""A large run's charts and page show what they can: holders with the same phases share a
timeline row, the smallest directions of value provided are added up in one panel, the net
balance carries its range between grid instants, and the page lists the first refusals."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pytest

from acsasim.output import charts, page_tables, series
from acsasim.output.charts_time import MAX_ROWS, timeline_rows
from acsasim.output.run_data import RunData


def test_holders_with_the_same_phases_share_a_timeline_row(crowded: RunData) -> None:
    rows = timeline_rows(crowded)
    holders = crowded.scenario.holders
    assert len(holders) > MAX_ROWS >= len(rows)
    assert sum(r.count for r in rows) == len(holders)
    shared = [r for r in rows if r.count > 1]
    assert shared and all(r.label.endswith(f"+{r.count - 1} alike") for r in shared)
    spans = series.phase_spans(crowded)
    for row in shared:  # every holder of the row has exactly the row's phases
        first = row.label.split()[0]
        mine = [(sp.start, sp.end, sp.profile) for sp in spans if sp.holder == first]
        assert mine == [(sp.start, sp.end, sp.profile) for sp in row.spans]
    chart = charts._timeline(crowded, None)
    assert "share a row" in chart.title
    (ax,) = chart.figure.get_axes()
    assert [t.get_text() for t in ax.get_yticklabels()] == [r.label for r in rows]


def test_a_small_run_keeps_a_row_per_holder(drill: RunData) -> None:
    rows = timeline_rows(drill)
    by_party = sorted(drill.scenario.holders, key=lambda h: h.party)  # stable: file order
    assert [r.label for r in rows] == [h.id for h in by_party]
    assert "share" not in charts._timeline(drill, None).title


def test_gathered_directions_add_up(crowded: RunData) -> None:
    entries = series.provided(crowded)
    assert len(entries) >= 3
    gathered = charts._gathered(entries[1:])
    assert gathered.gathered == len(entries) - 1
    assert gathered.total == sum((e.total for e in entries[1:]), Decimal(0))
    end = gathered.by_category.iloc[-1].sum()
    assert end == pytest.approx(sum(e.by_category.iloc[-1].sum() for e in entries[1:]))


def test_the_net_balance_range_holds_the_line(crowded: RunData) -> None:
    for bal in series.balances(crowded):
        net = bal.net.to_numpy()
        assert (bal.low <= net + 1e-6).all() and (bal.high >= net - 1e-6).all()
        assert bal.low.min() <= net.min() + 1e-6 and bal.high.max() >= net.max() - 1e-6


def test_the_page_lists_the_first_refusals_and_says_how_many(drill: RunData) -> None:
    r = drill.frames["refusals"]
    many = pd.concat([r] * (page_tables.REFUSAL_ROWS // max(len(r), 1) + 1), ignore_index=True)
    data = replace(drill, frames={**drill.frames, "refusals": many})
    section = page_tables.refusals(data)
    assert len(section.rows) == page_tables.REFUSAL_ROWS < len(many)
    assert f"The first {page_tables.REFUSAL_ROWS} of {len(many)} refusals" in section.note


def test_a_year_is_sampled_daily_and_a_drill_every_two_hours(drill: RunData) -> None:
    when = series.grid(drill)
    assert (when[1] - when[0]).total_seconds() == 2 * 3600 and len(when) <= series.MAX_POINTS + 1
    year = drill.scenario.model_copy(update={"duration": 365 * 24.0})
    days = series.grid(replace(drill, scenario=year))
    assert (days[1] - days[0]).days == 1 and len(days) == 366
