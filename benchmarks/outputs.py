"""Outputs benchmark: what a run costs after its simulation, against pandas writing its tables.

For 60 and 200 holders over 4 parties, 6 commodities and a year (`synthetic.py`), each size in
its own process, the run is simulated once, then, in interleaved rounds:

- the floor: pandas `DataFrame.to_csv` writing the run's five tables once (the frames built
  beforehand, untimed), into a scratch folder;
- the outputs, as `acsasim run` writes them into a run folder: `tables` (the CSVs, ledger.sqlite,
  scenario.yaml, summary.json), `charts` (every chart, PNG and SVG) and `report` (report.html);
- `acsasim report` of that finished folder (read back, every chart and the page redrawn).

It prints the CPU seconds of each stage, their sum, and each over the floor (goal: the outputs
at most 3x the floor, aim 1.5x; `acsasim report` of a folder no slower than that). Then the
JP-PH drill's whole `acsasim run`, each try in a fresh process: the start-up (the interpreter
and the imports: acsasim's command line, pandas, matplotlib, PIL, jinja2) and the work after it
(goal: under 1.5 s); and the same work when only acsasim's command line was imported first
(the heavy libraries then load lazily, inside the work, as they do for a user).

CPU time, not wall time, and the best of `--repeats`: the development machine is shared, and
both sides of a ratio are measured in one process, interleaved, so a busy neighbour inflates
both. Wall seconds are printed too. Figures vary from run to run; compare ratios from one run.

    python benchmarks/outputs.py [--sizes 60 200] [--days 365] [--repeats 2] [--drill-repeats 3]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import sizes_apart

ROOT = Path(__file__).resolve().parents[1]
DRILL = ROOT / "scenarios" / "jp-ph-joint-drill.yaml"
STAGES = ("tables", "charts", "report")


class CpuClock:
    """A watcher for `runs.stages.StageClock`: the CPU (and wall) seconds of each stage."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        cpu, wall = time.process_time(), time.perf_counter()
        yield
        self.cpu[name] = time.process_time() - cpu
        self.wall[name] = time.perf_counter() - wall


def timed(work: Callable[[], Any]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of `work()`."""
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


def measure(holders: int, days: int, repeats: int) -> dict[str, Any]:
    from synthetic import scenario_data

    from acsasim.output.tables import frames
    from acsasim.runs.report import build_report
    from acsasim.runs.run_folder import write_run
    from acsasim.scenario import load_text
    from acsasim.sim import simulate
    from acsasim.sim.gc_tuning import fewer_collections

    scenario = load_text(yaml.safe_dump(scenario_data(holders, days), sort_keys=False))
    result = simulate(scenario)
    tables = frames(result)
    rows = sum(len(f) for f in tables.values())
    best: dict[str, tuple[float, float]] = {}

    def keep(name: str, cpu: float, wall: float) -> None:
        if name not in best or cpu < best[name][0]:
            best[name] = (cpu, wall)

    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as scratch:
            floor = timed(lambda: [f.to_csv(Path(scratch) / f"{n}.csv", index=False)
                                   for n, f in tables.items()])  # fmt: skip
            keep("floor", *floor)
            clock = CpuClock()
            folder = Path(scratch) / "run"
            with fewer_collections():  # as `acsasim run` and `acsasim report` do
                write_run(result, folder, ["benchmark"], watch=clock)
            for name in STAGES:
                keep(name, clock.cpu[name], clock.wall[name])
            keep("outputs", sum(clock.cpu.values()), sum(clock.wall.values()))
            with fewer_collections():
                keep("acsasim report", *timed(partial(build_report, folder)))
    return {"holders": holders, "orders": len(result.books.orders), "rows": rows, **best}


DRILL_RUN = """
import sys, time, tempfile
cpu0, wall0 = time.process_time(), time.perf_counter()
import acsasim.cli
if {heavy}:
    import pandas, matplotlib.figure, matplotlib.backends.backend_agg, PIL.Image, jinja2
cpu1, wall1 = time.process_time(), time.perf_counter()
from acsasim.cli import app
with tempfile.TemporaryDirectory() as scratch:
    app(["run", {drill!r}, "--out", scratch + "/run", "--quiet"], standalone_mode=False)
print(time.process_time() - cpu1, time.perf_counter() - wall1, cpu1 - cpu0, wall1 - wall0,
      file=sys.stderr)
"""


def drill(repeats: int, heavy: bool) -> dict[str, float]:
    """The drill's `acsasim run`, each try in a fresh process: the best try's work and
    start-up (CPU and wall seconds)."""
    tries = []
    for _ in range(repeats):
        code = DRILL_RUN.format(heavy=heavy, drill=str(DRILL))
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr)
        tries.append([float(x) for x in done.stderr.split()[-4:]])
    cpu, wall, start_cpu, start_wall = min(tries)
    return {"cpu": cpu, "wall": wall, "start_cpu": start_cpu, "start_wall": start_wall}


def report(rows: list[dict[str, Any]]) -> None:
    print(f"{'holders':>7} {'orders':>7} {'rows':>8}  " + "  ".join(
        f"{n:>14}" for n in ("floor", *STAGES, "outputs", "acsasim report")))  # fmt: skip
    for r in rows:
        cells = "  ".join(f"{r[n][0]:>6.2f} ({r[n][1]:>5.2f})" for n in
                          ("floor", *STAGES, "outputs", "acsasim report"))  # fmt: skip
        print(f"{r['holders']:>7} {r['orders']:>7} {r['rows']:>8}  {cells}")
    print("CPU seconds (wall seconds); floor = pandas to_csv of the same five tables, once\n")
    for r in rows:
        floor = r["floor"][0]
        parts = ", ".join(f"{n} {r[n][0] / floor:.2f}x" for n in STAGES)
        print(f"{r['holders']} holders: outputs {r['outputs'][0] / floor:.2f}x the floor "
              f"({parts}); acsasim report of the folder {r['acsasim report'][0] / floor:.2f}x "
              "(goal: at most 3x, aim 1.5x)")  # fmt: skip


def main() -> None:
    asked = sizes_apart(
        __file__, [60, 200], measure,
        lambda parser: parser.add_argument("--drill-repeats", type=int, default=3),
    )  # fmt: skip
    if asked is None:
        return
    args, each = asked
    rows = list(each)
    report(rows)
    warm, cold = drill(args.drill_repeats, True), drill(args.drill_repeats, False)
    print(f"\ndrill, acsasim run: start-up {warm['start_cpu']:.2f} s CPU ({warm['start_wall']:.2f} "
          f"s wall), then {warm['cpu']:.2f} s CPU ({warm['wall']:.2f} s wall) of work "
          "(goal: under 1.5 s)")  # fmt: skip
    print(
        f"drill, acsasim run with only acsasim.cli imported first: {cold['cpu']:.2f} s CPU "
        f"({cold['wall']:.2f} s wall), pandas and matplotlib loading inside the work"
    )


if __name__ == "__main__":
    main()
