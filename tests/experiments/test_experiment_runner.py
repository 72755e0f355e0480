"""Seeds, the replications table, and executors: serial, --jobs 2 and a Dask LocalCluster
write byte-identical replications.csv; any row is re-run alone by `acsasim run --seed`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from acsasim.experiments.runner import Outcome, replication_seeds
from acsasim.experiments.table import KPI_NAMES, columns_of, replications_csv
from acsasim.output.kpi_labels import flatten
from acsasim.scenario import load_text
from acsasim.sim import simulate
from conftest import DRILL


def test_seeds_are_spawned_children_and_stable_as_n_grows() -> None:
    seeds = replication_seeds(4242, 50)
    children = np.random.SeedSequence(4242).spawn(50)
    assert seeds == [int(c.generate_state(1)[0]) for c in children]
    assert replication_seeds(4242, 7) == seeds[:7]  # growing n keeps the seeds already used
    assert len(set(seeds)) == 50
    assert replication_seeds(4243, 5) != seeds[:5]


def test_flatten_names_numbers_and_skips_none() -> None:
    kpis = {
        "orders": 3,
        "unmet_demand": {"diesel": 1.5},
        "value_provided": {"PH->JP": 10.25},
        "ceiling_use": {"A": {"JP": {"2026-01-15": {"value": 0.1}}}},
        "acsa_lead_time_hours": None,
        "label": "text",
    }
    assert flatten(kpis) == {
        "orders": 3,
        "unmet_demand.diesel": 1.5,
        "value_provided.PH->JP": 10.25,
        "ceiling_use.A.JP.2026-01-15.value": 0.1,
    }


def test_kpi_names_cover_every_kpi_of_a_run() -> None:
    """The table knows which KPIs are sums (absent -> 0) and which are means (absent ->
    empty); a KPI added to kpis.py must be classified there."""
    kpis = simulate(load_text(DRILL), 1).kpis
    assert set(kpis) == KPI_NAMES


def test_table_is_sorted_union_with_sums_zero_and_means_empty() -> None:
    a = Outcome(0, 1, 11, 0.1, {"orders": 2, "value_provided.PH->JP": 0.1 + 0.2})
    b = Outcome(0, 0, 10, 0.2, {"orders": 0, "acsa_lead_time_hours": 3.5})
    text = replications_csv([{}], [a, b], columns_of([a, b]))
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["rep", "seed", "acsa_lead_time_hours", "orders", "value_provided.PH->JP"]
    assert rows[1] == ["0", "10", "3.5", "0", "0"]  # finished second, listed first
    assert rows[2] == ["1", "11", "", "2", repr(0.1 + 0.2)]  # repr: 0.30000000000000004


def _study(cli, drill: Path, out: Path, *execution: str) -> bytes:
    code, stdout, stderr = cli("replicate", drill, "-n", "4", "--out", out, *execution)
    assert code == 0, stderr
    assert stdout.splitlines()[0] == str(out)
    return (out / "replications.csv").read_bytes()


def test_serial_and_process_pool_give_byte_identical_tables(cli, drill, tmp_path) -> None:
    serial = _study(cli, drill, tmp_path / "serial")
    pool = _study(cli, drill, tmp_path / "pool", "--jobs", "2")
    assert serial == pool
    assert len(serial.splitlines()) == 5
    assert (tmp_path / "serial" / "summary.json").read_bytes() == (
        tmp_path / "pool" / "summary.json"
    ).read_bytes()


def test_dask_local_cluster_gives_the_same_table(cli, drill, tmp_path) -> None:
    pytest.importorskip("dask.distributed")
    serial = _study(cli, drill, tmp_path / "serial")
    dask = _study(cli, drill, tmp_path / "dask", "--scheduler", "local")
    assert serial == dask
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert manifest["sessions"][0]["executor"].startswith("dask LocalCluster")


def test_run_with_a_rows_seed_reproduces_that_row(cli, drill, tmp_path) -> None:
    _study(cli, drill, tmp_path / "study")
    with (tmp_path / "study" / "replications.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = rows[2]
    assert int(row["seed"]) == replication_seeds(4242, 4)[2]
    code, _, stderr = cli("run", drill, "--seed", row["seed"], "--out", tmp_path / "one")
    assert code == 0, stderr
    kpis = flatten(json.loads((tmp_path / "one" / "summary.json").read_text()))
    for column, text in row.items():
        if column in ("rep", "seed"):
            continue
        if column in kpis:
            assert float(text) == kpis[column], column  # exact: floats travel as repr
        else:
            assert text in ("", "0"), column  # absent in that run: empty, or 0 for a sum
