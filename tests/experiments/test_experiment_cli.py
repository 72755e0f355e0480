"""The experiment commands through the CLI: the folder, the precision rule, and bad input
(exit 2, a plain message, no traceback, nothing written)."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import pytest

from acsasim.experiments import replicate
from acsasim.experiments.outputs import TIMING_FIELDS
from acsasim.experiments.stats import summarize
from acsasim.scenario import load_text
from conftest import DRILL

FILES = {"manifest.json", "replications.csv", "summary.json", "scenario.yaml", "report.html"}


def test_replicate_folder_table_and_summary(cli, drill: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = cli("replicate", drill, "-n", "5", "--set", "duration=5d")
    assert code == 0, stderr
    folder = Path(stdout.splitlines()[0])
    assert folder.parent == Path("reports") / "exp-drill"
    assert re.fullmatch(r"\d{8}-\d{6}(-\d+)?-replicate", folder.name)
    assert {p.name for p in folder.iterdir()} == FILES | {"charts"}
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no .partial left
    assert "unmet demand, diesel (L)" in stdout and "95% CI" in stdout
    assert "unmet_demand" not in stdout and "fill rate, diesel (%)" in stdout  # no raw keys
    assert "5 replications as asked" in stdout
    assert "replications 5/5" in stderr  # plain progress lines: stderr is not a terminal
    summary = json.loads((folder / "summary.json").read_text())
    water = summary["kpis"]["unmet_demand.water"]
    assert set(water) == {"n", "mean", "sd", "ci95_low", "ci95_high", "min", "max", "ci_method"}
    with (folder / "replications.csv").open(newline="") as fh:
        column = [float(r["unmet_demand.water"]) for r in csv.DictReader(fh)]
    assert water == summarize(column, bounded=True).as_dict()
    # Which interval each KPI has: a bootstrap for what cannot be negative, Student t for a
    # balance that can take either sign.
    methods = {k: v["ci_method"] for k, v in summary["kpis"].items()}
    assert methods["unmet_demand.water"] == methods["orders"] == "bootstrap_percentile"
    assert {m for k, m in methods.items() if k.startswith("outstanding_end.")} == {"student_t"}
    booted = [v for v in summary["kpis"].values() if v["ci_method"] == "bootstrap_percentile"]
    assert all(v["ci95_low"] >= 0 for v in booted if v["ci95_low"] is not None)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["study"]["sources"] == [{"file": str(drill), "set": ["duration=5d"]}]
    assert manifest["n"] == 5 and manifest["study"]["seed"] == 4242
    assert set(TIMING_FIELDS) <= set(manifest)
    assert (
        "duration: 120h" in (folder / "scenario.yaml").read_text()
        or "5d" in (folder / "scenario.yaml").read_text()
    )
    assert list((folder / "charts").glob("hist-*.png"))


def test_seed_option_sets_the_base_seed(cli, drill: Path, tmp_path: Path) -> None:
    code, _, stderr = cli("replicate", drill, "-n", "3", "--seed", "7", "--out", tmp_path / "s")
    assert code == 0, stderr
    summary = json.loads((tmp_path / "s" / "summary.json").read_text())
    assert summary["seed"] == 7


def test_precision_stops_when_the_interval_is_narrow_enough(cli, drill: Path, tmp_path) -> None:
    out = tmp_path / "p"
    code, stdout, stderr = cli(
        "replicate", drill, "-n", "4", "--precision", "0.05", "--kpi", "unmet_demand.water",
        "--out", out,
    )  # fmt: skip
    assert code == 0, stderr
    summary = json.loads((out / "summary.json").read_text())
    stop = summary["stopping"]
    assert stop["rule"] == "precision"
    water = summary["kpis"]["unmet_demand.water"]
    assert water["n"] == stop["n"] == summary["n"]
    half = (water["ci95_high"] - water["ci95_low"]) / 2
    assert half / water["mean"] == pytest.approx(stop["half_width_over_mean"])
    assert half <= 0.05 * water["mean"]
    assert "stopped by --precision" in stdout


def test_precision_stops_at_max_n_and_says_so(cli, drill: Path, tmp_path: Path) -> None:
    out = tmp_path / "p"
    code, stdout, stderr = cli(
        "replicate", drill, "-n", "3", "--precision", "0.0001", "--kpi", "unmet_demand.water",
        "--max-n", "7", "--out", out,
    )  # fmt: skip
    assert code == 0, stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["stopping"]["rule"] == "max_n" and summary["n"] == 7
    assert "stopped by --max-n 7" in stdout
    assert len((out / "replications.csv").read_text().splitlines()) == 8


def test_precision_reached_at_the_first_stage_is_not_exceeded() -> None:
    """A KPI with no noise (unmet diesel of a unit with plenty of stock is always 0) meets any
    precision at once: the study stops at -n."""
    scenario = load_text(DRILL, overrides=["holders.jgsdf-coy.stock.diesel.initial=12000"])
    result = replicate(scenario, 3, precision=0.01, kpi="unmet_demand.diesel")
    assert (result.stopping.rule, result.n) == ("precision", 3)


BAD = [
    (["replicate", "{drill}", "-n", "1"], "at least 2 replications"),
    (["compare", "{drill}", "--no-acsa", "-n", "0"], "at least 2 replications"),
    (["replicate", "{drill}", "--set", "polcy.acsa=never"], "did you mean 'policy'"),
    (["replicate", "missing.yaml"], "missing.yaml: cannot read the file"),
    (["replicate"], "give a scenario FILE"),
    (["replicate", "{drill}", "--precision", "0.05"], "--kpi"),
    (["replicate", "{drill}", "--kpi", "orders"], "give --precision too"),
    (["replicate", "{drill}", "--precision", "0.05", "--kpi", "unmet.diesel"], "no KPI 'unmet'"),
    (["replicate", "{drill}", "--precision", "0.1", "--kpi", "fill_rate.disel"],
     "'fill_rate.diesel'"),
    (["replicate", "{drill}", "-n", "5", "--precision", "0.1", "--kpi", "orders", "--max-n", "3"],
     "below -n"),
    (["replicate", "{drill}", "--jobs", "2", "--scheduler", "local"], "choose one executor"),
    (["replicate", "{drill}", "--jobs", "0"], "--jobs"),
    (["sweep", "{drill}", "-n", "3"], "at least one --vary"),
    (["sweep", "{drill}", "--vary", "duration"], "--vary duration: write PATH=V1,V2"),
    (["sweep", "{drill}", "--vary", "seed=1,2"], "the seed is not a parameter"),
    (["sweep", "{drill}", "--vary", "holders.nobody.stock.diesel.initial=1,2"],
     "unknown id 'nobody'"),
    (["sweep", "{drill}", "--vary", "duration=3d,5d,-2d"], "--vary duration=-2d"),
    (["sweep", "{drill}", "--vary", "policy.acsa=first,sometimes"], "--vary policy.acsa=sometimes"),
    (["compare", "{drill}", "-n", "3"], "say what to compare with"),
    (["compare", "{drill}", "--no-acsa", "--against", "{drill}"], "choose one variant"),
    (["compare", "{drill}", "--against", "nowhere.yaml"], "nowhere.yaml: cannot read the file"),
    # bounded before any work (issue 12): a typo of -n must not hang planning seeds
    (["replicate", "{drill}", "-n", "1000000000000"], "at most 100,000 replications"),
    (["replicate", "{drill}", "--precision", "nan", "--kpi", "orders"], "positive fraction"),
    (["replicate", "{drill}", "--precision", "inf", "--kpi", "orders"], "positive fraction"),
    (["replicate", "{drill}", "--precision", "-0.1", "--kpi", "orders"], "positive fraction"),
    (["replicate", "{drill}", "--precision", "0.1", "--kpi", "orders", "--max-n", "200000"],
     "above the limit of 100,000"),
    (["sweep", "{drill}", "-n", "100000", "--vary", "policy.acsa=first,never,when_national_late",
      "--vary", "duration=1d,2d,3d,4d"], "= 1,200,000 jobs, above the limit of 1,000,000"),
    (["replicate", "{drill}", "--scheduler", "http://somewhere"], "is not a scheduler address"),
    (["replicate", "{drill}", "--scheduler", "tcp://host:99999"], "is not a scheduler address"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a[2:]) or a[0] for a, _ in BAD])
def test_bad_input_exits_2_before_anything_is_written(
    args: list[str], message: str, cli, drill: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = cli(*(a.format(drill=drill) for a in args), "--out", "out")
    assert code == 2, (stdout, stderr)
    assert message in stderr, stderr
    assert "Traceback" not in stderr and stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drill.yaml"]  # no folder at all


def test_out_that_exists_is_refused(cli, drill: Path, tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    code, _, stderr = cli("replicate", drill, "--out", out)
    assert code == 2 and "exists and is not empty" in stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_scheduler_without_dask_says_how_to_install(cli, drill, tmp_path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if absent
    monkeypatch.setitem(sys.modules, "dask", None)
    code, _, stderr = cli("replicate", drill, "--scheduler", "local", "--out", tmp_path / "x")
    assert code == 2
    assert 'pip install "acsasim[dask]"' in stderr
    assert not (tmp_path / "x").exists()


def test_unreachable_scheduler_is_bad_input(cli, drill: Path, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("dask.distributed")
    from acsasim.experiments import dask_exec

    monkeypatch.setattr(dask_exec, "CONNECT_TIMEOUT", "1s")
    code, _, stderr = cli(
        "replicate", drill, "-n", "2", "--scheduler", "tcp://127.0.0.1:9", "--out", tmp_path / "x"
    )
    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drill.yaml"]


def test_the_help_shows_the_library_s_default_n() -> None:
    """The CLI writes the default -n out (importing the library would slow every command)."""
    from acsasim.cli import experiment_cmds
    from acsasim.experiments import define

    assert experiment_cmds.DEFAULT_N == define.DEFAULT_N
