"""Scenarios and helpers shared by the experiment tests.

DRILL: a week on Luzon in which a JP company draws diesel from a PH depot (orders,
refusals, money), ~20 ms a replication. KNOWN_MEAN: one holder with no stock and no
resupply, so all demand is unmet: unmet diesel = sum of 20 ticks of 25 L x a lognormal
factor of mean 1, whose expectation is exactly 100 L/day x 5 days = 500 L.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from run_folder_tools import cli_invoker, study_files

DRILL = """\
acsasim: 1
name: exp-drill
start: 2026-05-25
duration: 7d
seed: 4242
tick: 6h
reporting_currency: USD
currencies: {USD: 1, JPY: 155, PHP: 58}
parties:
  JP: {currency: JPY, tax: {vat: 0.10}}
  PH: {currency: PHP, tax: {vat: 0.12}}
commodities:
  diesel: {unit: L, category: fuel}
  water:  {unit: L, category: water}
prices:
  JP: {diesel: 130, water: 0.4}
  PH: {diesel: 60, water: 0.2}
sites:
  subic: {party: PH}
  fort:  {party: PH}
routes:
  - {between: [subic, fort], time: {triangular: [2h, 3h, 6h]}}
agreements:
  - id: JP-PH-ACSA
    parties: [JP, PH]
    in_force: 2026-01-15
    categories: [fuel]
    settlement: {methods: [replacement_in_kind, cash], deadline: 3d}
supply_lines:
  - id: jp-sealift
    party: JP
    deliver_to: subic
    commodities: [diesel, water]
    every: 7d
    first_departure: 2d
    lead_time: {triangular: [4d, 6d, 10d]}
holders:
  - id: jgsdf-coy
    party: JP
    site: fort
    supplied_by: jp-sealift
    stock:
      diesel: {initial: 4000, capacity: 12000, reorder: 4000, reserve: 1500}
      water:  {initial: 5000, capacity: 9000, reorder: 3000, reserve: 1000}
    consumption:
      garrison: {diesel: 900, water: 2500}
    variability: 0.3
  - id: ph-subic-pol
    party: PH
    kind: depot
    site: subic
    stock:
      diesel: {initial: 500000, capacity: 800000, reserve: 100000}
    transport: {vehicles: 2, load: {diesel: 20000}}
timeline:
  - {from: 0d, holders: all, profile: garrison, activity: exercise}
"""

KNOWN_MEAN = """\
acsasim: 1
name: known-mean
start: 2026-01-01
duration: 5d
seed: 1
tick: 6h
reporting_currency: USD
currencies: {USD: 1}
parties:
  JP: {currency: USD}
commodities:
  diesel: {unit: L, category: fuel}
prices:
  JP: {diesel: 1}
sites:
  base: {party: JP}
holders:
  - id: coy
    party: JP
    site: base
    stock:
      diesel: {initial: 0, capacity: 10}
    consumption:
      garrison: {diesel: 100}
    variability: 0.5
timeline:
  - {from: 0d, holders: all, profile: garrison, activity: exercise}
"""
KNOWN_MEAN_UNMET = 500.0


@pytest.fixture
def drill(tmp_path: Path) -> Path:
    path = tmp_path / "drill.yaml"
    path.write_text(DRILL, encoding="utf-8")
    return path


@pytest.fixture
def cli() -> Callable[..., tuple[int, str, str]]:
    """Invoke acsasim in-process: (exit code, stdout, stderr); never an escaped exception."""
    return cli_invoker()


snapshot = study_files  # every file of a folder as bytes; the manifest without its timing
