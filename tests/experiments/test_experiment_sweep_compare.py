"""Sweeps (full grid, common random numbers) and comparisons (pairing, sign convention)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from acsasim.experiments import compare, replication_seeds, sweep
from acsasim.experiments.spec import grid, parse_vary
from acsasim.scenario import ScenarioError, load_text
from conftest import DRILL

DEPOT = "holders.ph-subic-pol.stock.diesel.initial"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_parse_vary_keeps_commas_inside_brackets() -> None:
    parsed = parse_vary(["a.b=1,2", "lead={triangular: [1d, 2d, 3d]},[4, 5]"])
    assert parsed == (("a.b", ("1", "2")), ("lead", ("{triangular: [1d, 2d, 3d]}", "[4, 5]")))


@pytest.mark.parametrize("bad", ["nothing", "=1,2", "x=", "x=1,,2", "seed=1,2"])
def test_parse_vary_refuses(bad: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_vary([bad])
    assert str(caught.value).startswith(f"--vary {bad}:")


def test_grid_is_the_full_product_first_parameter_slowest() -> None:
    assert grid([("a", ["1", "2"]), ("b", ["x", "y", "z"])]) == [
        {"a": a, "b": b} for a in ("1", "2") for b in ("x", "y", "z")
    ]


def test_sweep_cli_writes_the_grid_on_common_seeds(cli, drill: Path, tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    code, stdout, stderr = cli(
        "sweep", drill, "--vary", f"{DEPOT}=90000,500000", "--vary", "policy.acsa=first,never",
        "-n", "3", "--out", out,
    )  # fmt: skip
    assert code == 0, stderr
    assert stdout.splitlines()[0] == str(out)
    rows = _rows(out / "replications.csv")
    assert [(r["point"], r[DEPOT], r["policy.acsa"], r["rep"]) for r in rows] == [
        (str(p), d, a, str(i))
        for p, (d, a) in enumerate((d, a) for d in ("90000", "500000") for a in ("first", "never"))
        for i in range(3)
    ]
    seeds = [int(r["seed"]) for r in rows]
    assert seeds == replication_seeds(4242, 3) * 4  # the same seeds at every point
    by_point = {(r[DEPOT], r["policy.acsa"]): r for r in rows if r["rep"] == "0"}
    # Without the agreement the depot's stock cannot matter: same seed, same world, same KPIs.
    assert (
        by_point[("90000", "never")]["unmet_demand.diesel"]
        == (by_point[("500000", "never")]["unmet_demand.diesel"])
    )
    assert float(by_point[("500000", "first")]["orders"]) > 0
    assert float(by_point[("500000", "never")]["orders"]) == 0
    long = _rows(out / "sweep.csv")
    assert {r["kpi"] for r in long} >= {"unmet_demand.diesel", "orders"}
    assert len(long) == 4 * len({r["kpi"] for r in long})
    assert {"point", DEPOT, "policy.acsa", "kpi", "n", "mean", "ci95_low", "ci95_high"} <= set(
        long[0]
    )
    summary = json.loads((out / "summary.json").read_text())
    assert summary["parameters"] == [DEPOT, "policy.acsa"]
    assert len(summary["points"]) == 4
    assert any(p.name.startswith("sweep-") for p in (out / "charts").iterdir())
    assert (out / "report.html").read_text().count("data:image/png;base64,") >= 1


def test_a_parameter_that_changes_nothing_gives_zero_differences() -> None:
    """Common random numbers: two points that differ only in a label have identical KPIs,
    so every difference between points is the parameter's effect, not noise."""
    result = sweep(load_text(DRILL), {"description": ["one", "two"]}, 4)
    assert result.stats[0] == result.stats[1]


def test_compare_pairs_replications_and_reports_variant_minus_baseline(
    cli, drill: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cmp"
    code, stdout, stderr = cli("compare", drill, "--no-acsa", "-n", "5", "--out", out)
    assert code == 0, stderr
    rows = _rows(out / "replications.csv")
    base = [r for r in rows if r["side"] == "baseline"]
    variant = [r for r in rows if r["side"] == "variant"]
    assert [r["seed"] for r in base] == [r["seed"] for r in variant]  # paired on seeds
    summary = json.loads((out / "summary.json").read_text())
    assert summary["sign"].startswith("difference = variant - baseline")
    diffs = [float(v["unmet_demand.diesel"]) - float(b["unmet_demand.diesel"])
             for b, v in zip(base, variant, strict=True)]  # fmt: skip
    got = summary["differences"]["unmet_demand.diesel"]
    assert got["mean"] == pytest.approx(sum(diffs) / 5)
    assert got["mean"] > 0  # without the agreement more diesel demand goes unmet
    # orders: the variant has none, so the difference is minus the baseline's, rep by rep.
    assert summary["differences"]["orders"]["mean"] == pytest.approx(
        -summary["baseline"]["kpis"]["orders"]["mean"]
    )
    assert summary["variant"]["kpis"]["orders"]["max"] == 0
    assert summary["variant"]["definition"] == "--no-acsa"
    # A difference can take either sign: Student t, whatever the KPI's own bounds.
    assert {d["ci_method"] for d in summary["differences"].values()} == {"student_t"}
    assert summary["baseline"]["kpis"]["orders"]["ci_method"] == "bootstrap_percentile"
    assert summary["baseline"]["definition"] == str(drill)
    assert "with the agreement, unmet diesel falls by" in stdout
    assert "overdue value at the end (with the agreement)" in stdout
    assert "difference = variant - baseline" in stdout
    assert (out / "charts" / "differences.png").is_file()
    assert "never" in (out / "scenario-variant.yaml").read_text()


def test_compare_against_a_second_file_and_by_set(cli, drill: Path, tmp_path: Path) -> None:
    poor = tmp_path / "poor.yaml"
    poor.write_text(DRILL.replace("initial: 500000", "initial: 90000"), encoding="utf-8")
    a, b = tmp_path / "against", tmp_path / "set"
    assert cli("compare", drill, "--against", poor, "-n", "3", "--out", a)[0] == 0
    assert cli("compare", drill, "--set", f"{DEPOT}=90000", "-n", "3", "--out", b)[0] == 0
    # The same variant defined two ways: the same numbers.
    assert (a / "replications.csv").read_bytes() == (b / "replications.csv").read_bytes()
    differences = json.loads((a / "summary.json").read_text())["differences"]
    assert differences["orders"]["mean"] < 0


def test_paired_ci_is_narrower_than_unpaired() -> None:
    """The reason for common random numbers: noise shared by both sides cancels."""
    s = load_text(DRILL)
    result = compare(s, load_text(DRILL, overrides=[f"{DEPOT}=300000"]), 8)
    paired = result.differences()["unmet_demand.water"]
    assert paired.sd == 0  # water is never provided: the depot's diesel changes nothing there
    assert result.stats[0]["unmet_demand.water"].sd > 0


def test_charts_and_tables_use_labels_with_units_never_raw_keys() -> None:
    """The sweep chart's title and axis, the comparison's rows, the tables: words and units;
    a fraction is drawn as a percentage, as the tables show it."""
    from matplotlib.figure import Figure

    from acsasim.experiments.charts import forest, histogram, kpi_vs_parameter
    from acsasim.experiments.lines import compare_table, info_of, kpi_table

    s = load_text(DRILL)
    swept = sweep(s, {DEPOT: [0, 300000]}, 3)
    ax = Figure().add_subplot()
    kpi_vs_parameter(ax, swept, "fill_rate.diesel")
    assert (ax.get_title(), ax.get_ylabel()) == ("fill rate, diesel (%)", "%")
    assert all(0 <= y <= 100 for line in ax.get_lines() for y in line.get_ydata())
    ax = Figure().add_subplot()
    histogram(ax, [1.0, 2.0, 3.0], info_of(swept)("unmet_demand.diesel"), 2.0)
    assert (ax.get_title(), ax.get_xlabel()) == ("unmet demand, diesel", "unmet demand, diesel (L)")
    compared = compare(s, load_text(DRILL, overrides=[f"{DEPOT}=0"]), 3)
    ax = Figure().add_subplot()
    forest(ax, compared, ["unmet_demand.diesel", "orders"])
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "unmet demand, diesel (L)",
        "ACSA orders (orders)",
    ]
    text = "\n".join([*kpi_table(swept), *compare_table(compared)])
    assert "unmet demand, diesel (L)" in text
    for raw in ("unmet_demand", "fill_rate", "value_provided", "->"):
        assert raw not in text, raw
