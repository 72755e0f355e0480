"""Reproducibility and common random numbers (streams.py, outputs.md).

- the same scenario and seed give byte-identical run folders (CSV files and summary.json),
  in one process and across processes with different hash seeds;
- another seed gives other demand;
- adding an unrelated holder leaves every other holder's demand draws unchanged;
- the counterfactual without the agreement (`policy.acsa=never`, the CLI's `--no-acsa`) has
  no orders and more unmet demand when the agreement helps.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from acsasim.result import RunResult
from acsasim.runs.run_folder import write_run
from acsasim.scenario import load_text
from acsasim.sim import simulate

# The example scenario of the format reference (docs/scenario-format.md).
DRILL = """\
acsasim: 1
name: jp-ph-joint-drill
description: Two-week combined exercise on Luzon, then typhoon relief.
start: 2026-05-25
duration: 21d
seed: 20260115
tick: 6h
reporting_currency: USD
currencies: {USD: 1, JPY: 155, PHP: 58}
policy: {acsa: when_national_late}
parties:
  JP:
    name: Japan Self-Defense Forces
    currency: JPY
    tax: {vat: 0.10, excise: {diesel: 32.1}}
  PH:
    name: Armed Forces of the Philippines
    currency: PHP
    tax: {vat: 0.12, excise: {diesel: 6.0}}
commodities:
  diesel:   {unit: L,     category: fuel}
  jp5:      {unit: L,     category: fuel}
  ration:   {unit: meal,  category: food}
  water:    {unit: L,     category: water}
  ammo_556: {unit: round, category: ammunition}
  airlift:  {unit: h,     category: transportation, service: true}
  rifle:    {unit: each,  category: weapons}
prices:
  JP: {diesel: 130, ration: 900, water: 0.4, ammo_556: 120, airlift: 900000}
  PH: {diesel: 60,  ration: 180, water: 0.2, ammo_556: 40}
sites:
  subic:          {party: PH}
  fort-magsaysay: {party: PH}
  clark:          {party: PH}
routes:
  - {between: [subic, clark], time: 3h}
  - {between: [clark, fort-magsaysay], time: {triangular: [1.5h, 2h, 4h]}}
agreements:
  - id: JP-PH-ACSA
    parties: [JP, PH]
    in_force: 2026-01-15
    activities: [exercise, disaster_relief, peacekeeping, evacuation, liaison]
    categories: [food, water, billeting, transportation, fuel, clothing,
                 communications, medical, base_support, repair_maintenance,
                 spare_parts, ammunition]
    excluded: [rifle]
    tax_exempt: true
    settlement:
      methods: [replacement_in_kind, equal_value_exchange, cash]
      deadline: 365d
      on_deadline: convert_to_cash
      invoice_after: 30d
      payment_terms: {triangular: [15d, 30d, 90d]}
      offset_after: 540d
    ceilings: {value: 60000000, supplies_value: 20000000}
supply_lines:
  - id: jp-sealift
    party: JP
    deliver_to: subic
    commodities: [diesel, ration, water, ammo_556]
    every: 7d
    first_departure: 2d
    lead_time: {triangular: [4d, 6d, 10d]}
    capacity: {diesel: 400000, ration: 30000, water: 200000, ammo_556: 100000}
holders:
  - id: jgsdf-coy
    party: JP
    kind: unit
    site: fort-magsaysay
    personnel: 150
    supplied_by: jp-sealift
    stock:
      diesel:   {initial: 8000, capacity: 12000, reorder: 4000, reserve: 1500}
      ration:   {initial: 1350, capacity: 2700,  reorder: 900,  reserve: 450}
      water:    {initial: 6000, capacity: 9000,  reorder: 3000, reserve: 1000}
      ammo_556: {initial: 30000, capacity: 60000, reorder: 10000, reserve: 5000}
    consumption:
      garrison:       {diesel: 300, ration: 450, water: 1500}
      field_training: {diesel: 900, water: 3000}
      live_fire:      {ammo_556: 9000}
      hadr:           {diesel: 1500, water: 4500}
    variability: 0.2
  - id: ph-inf-bn
    party: PH
    site: clark
    stock:
      diesel: {initial: 9000, capacity: 15000, reorder: 5000, reserve: 2000}
      water:  {initial: 20000, capacity: 30000, reorder: 8000, reserve: 3000}
    consumption:
      garrison: {diesel: 400, water: 2500}
      hadr:     {diesel: 1200, water: 6000}
    variability: 0.3
  - id: ph-subic-pol
    party: PH
    kind: depot
    site: subic
    stock:
      diesel: {initial: 500000, capacity: 800000, reserve: 100000}
    transport: {vehicles: 6, load: {diesel: 20000}}
timeline:
  - {from: 0d, to: 21d, holders: all, profile: garrison, activity: exercise}
  - {from: 2d, to: 12d, holders: [jgsdf-coy], profile: field_training, activity: exercise}
  - {from: 6d, to: 8d, holders: [jgsdf-coy], profile: live_fire, activity: exercise}
  - at: 13d
    event: typhoon
    delay_supply_lines: {lines: [jp-sealift], by: 4d}
    close_routes: {routes: [[clark, fort-magsaysay]], for: 2d}
    destroy_stock: {holder: ph-inf-bn, commodity: water, fraction: 0.5}
  - {from: 13d, to: 21d, holders: all, profile: hadr, activity: disaster_relief, demand_factor: 1.5}
"""

# A JP company whose own line is slow (on demand, 12 days), next to a full PH depot: the
# agreement is the only way to keep it supplied.
STRANDED = """\
acsasim: 1
name: stranded-company
start: 2026-06-01
duration: 10d
seed: 11
reporting_currency: USD
currencies: {USD: 1, JPY: 155, PHP: 58}
policy: {acsa: when_national_late}
parties:
  JP: {currency: JPY}
  PH: {currency: PHP}
commodities:
  diesel: {unit: L, category: fuel}
  water:  {unit: L, category: water}
prices:
  PH: {diesel: 60, water: 0.2}
sites:
  fort: {party: PH}
  subic: {party: PH}
routes:
  - {between: [fort, subic], time: 3h}
agreements:
  - id: JP-PH
    parties: [JP, PH]
    activities: [exercise]
    categories: [fuel, water]
supply_lines:
  - id: jp-line
    party: JP
    deliver_to: subic
    commodities: [diesel, water]
    lead_time: 12d
holders:
  - id: jp-coy
    party: JP
    site: fort
    supplied_by: jp-line
    stock:
      diesel: {initial: 3000, capacity: 6000, reorder: 2000, reserve: 500}
      water:  {initial: 4000, capacity: 8000, reorder: 3000, reserve: 1000}
    consumption:
      garrison: {diesel: 1000, water: 1500}
    variability: 0.25
  - id: ph-depot
    party: PH
    kind: depot
    site: subic
    stock:
      diesel: {initial: 100000, capacity: 100000, reserve: 10000}
      water:  {initial: 100000, capacity: 100000, reserve: 10000}
timeline:
  - {from: 0d, holders: all, profile: garrison, activity: exercise}
"""

COMPARED = ("orders.csv", "postings.csv", "flows.csv", "refusals.csv", "stock.csv", "summary.json")


def _written(result: RunResult, folder: Path) -> dict[str, bytes]:
    write_run(result, folder, ["acsasim", "run", "test"], report=False)  # the data, no charts
    return {name: (folder / name).read_bytes() for name in (*COMPARED, "scenario.yaml")}


def _demand(result: RunResult, holder: str) -> list[tuple[float, str, float, float]]:
    """One holder's consume flows: served (negative quantity) and unmet demand, in order."""
    return [
        (f.time, f.commodity, f.quantity, f.unmet)
        for f in result.flows
        if f.holder == holder and f.kind == "consume"
    ]


def _unmet(result: RunResult) -> float:
    return sum(f.unmet for f in result.flows if f.kind == "consume")


@pytest.mark.parametrize("seed", [None, 7])
def test_same_seed_gives_byte_identical_run_folders(tmp_path: Path, seed: int | None) -> None:
    scenario = load_text(DRILL, "drill.yaml")
    first = _written(simulate(scenario, seed), tmp_path / "a")
    second = _written(simulate(load_text(DRILL, "drill.yaml"), seed), tmp_path / "b")
    assert set(first) == set(second)
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs with one seed"
    assert first["orders.csv"].count(b"\n") > 1, "the example should have orders"


def test_same_seed_gives_identical_files_across_processes(tmp_path: Path) -> None:
    """Nothing depends on Python's per-process hash seed (set iteration, hash())."""
    path = tmp_path / "drill.yaml"
    path.write_text(DRILL, encoding="utf-8")
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"run-{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        command = [sys.executable, "-m", "acsasim", "run", str(path), "--seed", "5"]
        command += ["--out", str(out), "--no-report"]  # the data only: charts are slow
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
        )
        assert done.returncode == 0, done.stderr
        outputs.append({name: (out / name).read_bytes() for name in (*COMPARED, "scenario.yaml")})
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], f"{name} depends on the hash seed"


def test_another_seed_gives_other_demand() -> None:
    scenario = load_text(DRILL, "drill.yaml")
    one, two = simulate(scenario, 1), simulate(scenario, 2)
    assert one.seed == 1 and two.seed == 2
    assert one.flows != two.flows
    assert _demand(one, "jgsdf-coy") != _demand(two, "jgsdf-coy")
    assert _demand(one, "ph-inf-bn") != _demand(two, "ph-inf-bn")


def _with_unrelated_holder(text: str) -> str:
    """The scenario plus a US detachment at its own site: no agreement, no route, no line."""
    data: dict[str, Any] = yaml.safe_load(text)
    data["parties"]["US"] = {"name": "US Army", "currency": "USD"}
    data["sites"]["guam"] = {"party": "US"}
    data["holders"].insert(
        0,  # first, so that it is also created and scheduled before every other holder
        {
            "id": "us-det",
            "party": "US",
            "site": "guam",
            "stock": {"diesel": {"initial": 500, "capacity": 5000, "reorder": 1000}},
            "consumption": {"garrison": {"diesel": 400}, "hadr": {"diesel": 900}},
            "variability": 0.4,
        },
    )
    return yaml.safe_dump(data, sort_keys=False)


@pytest.mark.parametrize("text", [DRILL, STRANDED], ids=["drill", "stranded"])
def test_an_unrelated_holder_leaves_other_demand_draws_unchanged(text: str) -> None:
    base = simulate(load_text(text, "base.yaml"))
    more = simulate(load_text(_with_unrelated_holder(text), "more.yaml"))
    assert _demand(more, "us-det"), "the new holder consumes"
    for holder in {h.id for h in base.scenario.holders}:
        assert _demand(more, holder) == _demand(base, holder), f"{holder}'s demand changed"
    # Nothing else about the old world changes either.
    old = {h.id for h in base.scenario.holders}
    assert [f for f in more.flows if f.holder in old] == list(base.flows)
    assert more.orders == base.orders
    assert more.refusals == base.refusals


def test_an_unrelated_holder_leaves_demand_unchanged_with_another_seed() -> None:
    base = simulate(load_text(DRILL, "base.yaml"), 99)
    more = simulate(load_text(_with_unrelated_holder(DRILL), "more.yaml"), 99)
    assert _demand(more, "jgsdf-coy") == _demand(base, "jgsdf-coy")


@pytest.mark.parametrize("policy", ["when_national_late", "first"])
def test_without_the_agreement_more_demand_goes_unmet(policy: str) -> None:
    with_acsa = simulate(load_text(STRANDED, "s.yaml", [f"policy.acsa={policy}"]))
    without = simulate(load_text(STRANDED, "s.yaml", ["policy.acsa=never"]))
    assert without.scenario.policy.acsa == "never"
    assert len(with_acsa.orders) > 0
    assert without.orders == ()
    assert without.transactions == ()
    assert without.refusals == ()
    assert not any(f.kind in ("acsa_issue", "acsa_receipt") for f in without.flows)
    assert _unmet(without) > _unmet(with_acsa)
    assert with_acsa.kpis["orders"] > 0 and without.kpis["orders"] == 0
    unmet_with = sum(with_acsa.kpis["unmet_demand"].values())
    unmet_without = sum(without.kpis["unmet_demand"].values())
    assert unmet_without > unmet_with
    # common random numbers: the demand drawn is the same in both worlds (served + unmet)
    drawn_with = sum(f.unmet - f.quantity for f in with_acsa.flows if f.kind == "consume")
    drawn_without = sum(f.unmet - f.quantity for f in without.flows if f.kind == "consume")
    assert drawn_with == pytest.approx(drawn_without, rel=1e-9)
