"""Every chart drawn on a bare `Figure()` from a real run of the JP-PH drill, checked for what
it draws (lines, labels, series, values), not only that something was drawn."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from acsasim.output import charts, series
from acsasim.output.breakdowns import ceiling_use
from acsasim.output.charts import (
    MAX_STOCK,
    balance_chart,
    build_charts,
    ceiling_chart,
    outstanding_chart,
    party_colours,
    provided_chart,
    refusal_chart,
    stock_chart,
    stockout_chart,
    timeline_chart,
    unmet_chart,
)
from acsasim.output.charts_time import MAX_ROWS
from acsasim.output.run_data import RunData, from_result
from acsasim.output.style import PARTY_PALETTE, REORDER, RESERVE
from acsasim.scenario import load_scenario
from acsasim.sim import simulate

SCENARIOS = Path(__file__).parents[2] / "scenarios"
DRILL = SCENARIOS / "jp-ph-joint-drill.yaml"


def axes():
    return Figure().add_subplot()


def labels(ax) -> list[str]:
    return [line.get_label() for line in ax.get_lines()]


@pytest.fixture(scope="module")
def without(drill: RunData) -> RunData:
    """The same drill without the agreement (national lines only)."""
    return from_result(simulate(load_scenario(DRILL, ["policy.acsa=never"])))


def test_party_colours_are_fixed_by_sorted_id() -> None:
    assert party_colours(["PH", "JP"]) == {"JP": PARTY_PALETTE[0], "PH": PARTY_PALETTE[1]}
    assert party_colours(["US", "JP", "PH"])["US"] == PARTY_PALETTE[2]
    assert party_colours(["PH", "JP"]) == party_colours(["JP", "PH", "JP"])


def test_stock_chart_draws_levels_phases_and_events(drill: RunData) -> None:
    ax = axes()
    stock_chart(ax, drill, "jmsdf-ship", "diesel")
    assert labels(ax)[:4] == [
        "on hand, end of day",
        "lowest in the day",
        "reorder level",
        "reserve",
    ]
    on_hand, _, reorder, reserve = ax.get_lines()[:4]
    levels = drill.scenario.holder("jmsdf-ship").stock["diesel"]
    stock = drill.frames["stock"].query("holder == 'jmsdf-ship' and commodity == 'diesel'")
    assert on_hand.get_ydata()[0] == levels.initial
    assert on_hand.get_ydata()[-1] == pytest.approx(stock["on_hand_end"].iloc[-1])
    assert len(on_hand.get_ydata()) == len(stock) + 1  # the start, then each day's end
    assert on_hand.get_color() == party_colours(drill.scenario.parties)["JP"]
    assert (reorder.get_ydata()[0], reorder.get_color()) == (levels.reorder, REORDER)
    assert (reserve.get_ydata()[0], reserve.get_color()) == (levels.reserve, RESERVE)
    events = [line for line in ax.get_lines() if line.get_label() == "_event"]
    assert len(events) == len(series.events_by_time(drill)) == 1  # two events, one instant
    # The ship's own phases, minus the run-long garrison: at sea, relief.
    assert len(ax.patches) == 2
    assert ax.get_title(loc="left") == "jmsdf-ship · diesel (L)"


def test_timeline_has_one_bar_per_phase_and_holder_grouped_by_party(drill: RunData) -> None:
    ax = axes()
    timeline_chart(ax, drill)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == [
        "jmsdf-ship",
        "jmsdf-ship-water",
        "jgsdf-coy",
        "jasdf-det",
        "ph-inf-bn",
        "ph-subic-pol",
        "ph-magsaysay-depot",
    ]
    colours = party_colours(drill.scenario.parties)
    assert ax.get_yticklabels()[0].get_color() == colours["JP"]
    assert ax.get_yticklabels()[-1].get_color() == colours["PH"]
    spans = series.phase_spans(drill)
    depots = [h.id for h in drill.scenario.holders if h.kind == "depot"]
    assert len(depots) == 3 and not [sp for sp in spans if sp.holder in depots]
    assert len(ax.collections) == len(spans) + len(depots)  # a depot: one plain bar
    hatched = [c for c in ax.collections if c.get_hatch()]
    assert len(hatched) == 1  # jasdf-det's training_support: the agreement does not list it
    texts = [t.get_text() for t in ax.texts]
    assert [t for t in texts if t.isdigit()] == ["1"]  # two events at one instant: one number
    assert "at sea" in texts and "hadr ×1.5" in texts  # bars named where the name fits
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "event 1 typhoon, typhoon-bivouac-flooding (day 14)" in legend
    assert {"at sea", "hadr", "activity not covered"} <= set(legend)
    assert "JP: Japan Self-Defense Forces" in legend
    # Depots are never drawn as consuming: the phases for `all` give them no profile bar.
    assert texts.count("depot: provides, never consumes") == 3
    assert "depot: provides, never consumes" in legend


def test_a_unit_without_the_phase_profile_is_drawn_without_demand(drill: RunData) -> None:
    """A phase for `all` whose profile a unit lacks (or gives it only zero rates) adds no
    demand for it: its bar says `no demand`, not the profile's name."""
    import dataclasses

    s = drill.scenario
    ship = s.holder("jmsdf-ship")
    idle = ship.model_copy(update={"consumption": {**ship.consumption, "hadr": {"diesel": 0}}})
    holders = tuple(idle if h.id == ship.id else h for h in s.holders)
    data = dataclasses.replace(drill, scenario=s.model_copy(update={"holders": holders}))
    relief = [sp for sp in series.phase_spans(data) if sp.activity == "disaster_relief"]
    assert {sp.holder: sp.profile for sp in relief}["jmsdf-ship"] is None
    assert {sp.profile for sp in relief if sp.holder != "jmsdf-ship"} == {"hadr"}


def test_provided_chart_stacks_categories_up_to_the_kpi_total(drill: RunData) -> None:
    entries = series.provided(drill)
    assert {(e.provider, e.receiver) for e in entries} == {("PH", "JP"), ("JP", "PH")}
    for entry in entries:
        ax = axes()
        provided_chart(ax, drill, entry)
        cats = list(entry.by_category.columns)
        assert len(ax.collections) == len(cats)  # one stacked area per category
        total = ax.get_lines()[0]
        assert total.get_label() == "total"
        kpi = drill.kpis["value_provided"][f"{entry.provider}->{entry.receiver}"]
        assert total.get_ydata()[-1] == pytest.approx(kpi)
        assert f"{entry.total:,.2f}" in ax.get_title(loc="left")
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert sorted(legend[:-1]) == sorted(c.replace("_", " ") for c in cats)


def test_balance_chart_ends_at_the_kpi_net_balance(drill: RunData) -> None:
    (bal,) = series.balances(drill)
    assert (bal.a, bal.b) == ("JP", "PH")
    ax = axes()
    balance_chart(ax, drill, bal)
    (net,) = [line for line in ax.get_lines() if line.get_label() == "net balance"]
    assert net.get_ydata()[-1] == pytest.approx(drill.kpis["outstanding_end"]["JP-PH"], abs=0.01)
    assert float(bal.end) == pytest.approx(drill.kpis["outstanding_end"]["JP-PH"], abs=0.005)
    assert max(bal.overdue_to_a) == max(bal.overdue_to_b) == 0  # nothing due in three weeks
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["PH owes JP", "JP owes PH", "net balance", "overdue part"]
    assert "at the end" in ax.get_title(loc="left")


def test_outstanding_charts_split_the_same_total(drill: RunData) -> None:
    rec = series.receivables(drill)
    for by in ("method", "aging"):
        ax = axes()
        outstanding_chart(ax, drill, by)
        table = series.outstanding_by(drill, by)
        assert len(ax.collections) == len(table.columns)
        assert table.iloc[-1].sum() == pytest.approx(rec["amount"].sum())
    assert list(series.outstanding_by(drill, "aging").columns) == ["not yet due"]
    methods = set(series.outstanding_by(drill, "method").columns)
    assert methods <= set(drill.frames["orders"]["method"])


def test_shortfall_charts_show_one_bar_per_commodity(drill: RunData, without: RunData) -> None:
    n = len(drill.kpis["unmet_demand"])
    ax = axes()
    unmet_chart(ax, drill)
    assert len(ax.patches) == n
    assert ax.get_legend() is None  # only "with" is known: no legend needed
    jp5 = [t.get_text() for t in ax.texts if "43," in t.get_text() or "L)" in t.get_text()]
    assert jp5, "unmet quantities are labelled in their unit"
    ax = axes()
    stockout_chart(ax, drill, without)
    assert len(ax.patches) == 2 * n  # with and without the agreement, side by side
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["with the agreement", "without the agreement"]
    heights = [p.get_width() for p in ax.patches]
    assert heights[:n] == pytest.approx(
        [drill.kpis["stockout_hours"][c] for c in drill.kpis["unmet_demand"]]
    )


def test_ceiling_chart_compares_use_with_the_limit() -> None:
    """R14 on the Haiyan-scale scenario: the US's statutory acquisition ceilings (60M USD,
    20M for supplies, per fiscal year from 1 October) under its two agreements."""
    haiyan = from_result(simulate(load_scenario(SCENARIOS / "haiyan-scale-relief.yaml")))
    rows = ceiling_use(haiyan)
    assert len(rows) == 4  # two agreements x (all, supplies only), the US acquiring, FY 2027
    assert {(r.agreement, r.provider, r.kind, r.year_start) for r in rows} == {
        (ag, "US", kind, "2026-10-01")
        for ag in ("US-PH-MLSA", "US-JP-ACSA")
        for kind in ("acquired_value", "acquired_supplies_value")
    }
    us = next(r for r in rows if r.agreement == "US-JP-ACSA" and r.kind == "acquired_value")
    o = haiyan.frames["orders"]
    billed = [
        Decimal(v)
        for v, a, p, m in zip(o["value_reporting"], o["agreement"], o["receiver_party"],
                              o["method"], strict=True)
        if a == "US-JP-ACSA" and p == "US" and m != "gratis"
    ]  # fmt: skip
    assert us.used == sum(billed, Decimal(0))
    kpi = haiyan.kpis["ceiling_use"]["US-JP-ACSA"]["US"]["2026-10-01"]["acquired_value"]
    assert us.fraction == pytest.approx(kpi)
    ax = axes()
    ceiling_chart(ax, haiyan)
    assert len(ax.patches) == 4
    limit = [line for line in ax.get_lines() if list(line.get_xdata()) == [1.0, 1.0]]
    assert limit, "the 100% line"
    assert any("of 60.0M USD" in t.get_text() for t in ax.texts)
    assert any("of 20.0M USD" in t.get_text() for t in ax.texts)
    assert not ceiling_use(from_result(simulate(load_scenario(DRILL))))  # Japan's: none


def test_refusal_chart_counts_match_the_kpis(drill: RunData) -> None:
    ax = axes()
    refusal_chart(ax, drill)
    reasons = drill.kpis["refusals_by_reason"]
    ticks = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
    assert sorted(ticks) == sorted(r.replace("_", " ") for r in reasons)
    counts = {t: int(p.get_width()) for t, p in zip(ticks, ax.patches, strict=True)}
    assert counts == {r.replace("_", " "): n for r, n in reasons.items()}
    # the most frequent reason comes first, naming its most refused commodity and count
    refused = drill.frames["refusals"]
    top = refused["reason"].value_counts().index[0]
    commodity, n = next(iter(refused[refused["reason"] == top]["commodity"].value_counts().items()))
    assert f"{commodity} ×{n}" in ax.get_yticklabels()[0].get_text()


def test_build_charts_gives_every_chart_with_a_caption(drill: RunData) -> None:
    built = build_charts(drill)
    assert [c.name for c in built] == [
        "timeline",
        "stock",
        "provided",
        "balance",
        "outstanding",
        "shortfalls",
        "ceilings",
        "refusals",
    ]
    for c in built:
        assert c.caption and c.title
        assert c.figure.get_axes()
    stock = next(c for c in built if c.name == "stock")
    shown = [ax for ax in stock.figure.get_axes() if ax.get_visible()]
    total = len(drill.frames["stock"].groupby(["holder", "commodity"]))
    assert len(shown) == MAX_STOCK < total
    assert f"{MAX_STOCK} of {total}" in stock.title


def test_chart_files_are_print_quality_png_and_svg(drill: RunData) -> None:
    import io

    from PIL import Image

    chart = charts._refusals(drill, None)
    files = charts.chart_files(chart)
    assert set(files) == {"refusals.png", "refusals.svg"}
    assert Image.open(io.BytesIO(files["refusals.png"])).size[0] == charts.WIDTH * charts.PNG_DPI
    text = files["refusals.svg"].decode("utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text


def test_charts_stay_readable_with_35_holders_and_3_parties(scaled: RunData) -> None:
    """Small multiples of a selection, never 30 tangled lines; one colour per party."""
    assert len(scaled.scenario.holders) == 35
    built = {c.name: c for c in build_charts(scaled)}
    stock = built["stock"]
    panels = [ax for ax in stock.figure.get_axes() if ax.get_visible()]
    assert len(panels) == MAX_STOCK
    assert all(
        len([x for x in ax.get_lines() if x.get_label() == "on hand, end of day"]) == 1
        for ax in panels
    )
    assert f"{MAX_STOCK} of " in stock.title
    (timeline,) = built["timeline"].figure.get_axes()
    # 35 holders are more than a timeline's rows: holders alike share one, and every holder
    # is on a row ("jgsdf-coy-1 +4 alike" stands for five)
    labels = [t.get_text() for t in timeline.get_yticklabels()]
    assert len(labels) <= MAX_ROWS
    assert sum(1 + int(t.split(" +")[1].split()[0]) if " +" in t else 1 for t in labels) == 35
    colours = party_colours(scaled.scenario.parties)
    assert {t.get_color() for t in timeline.get_yticklabels()} == set(colours.values())
    provided = [ax for ax in built["provided"].figure.get_axes() if ax.get_visible()]
    assert len(provided) <= charts.MAX_PANELS
    assert len(built["balance"].figure.get_axes()) == 3  # JP-PH, JP-US, PH-US
