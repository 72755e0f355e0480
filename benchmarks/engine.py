"""Engine benchmark: a year of a generated theatre against bare SimPy, side by side.

For 50, 100, 200 and 2,000 holders over 4 parties, 6 commodities, 365 days and 6-hour ticks
(`synthetic.py`), each size in its own process, prints:

- CPU seconds of `simulate`, and of bare SimPy doing one timeout per holder-tick (the
  simplest honest baseline: what the clock alone costs), both measured in the same process;
- the engine's time per holder-tick over bare SimPy's (the goal: at most 10x, aim 3x);
- microseconds per order: the run's time less that of the same world without agreements
  (demand, reorders and national lines only), over the orders (goal: at most 30, aim 10);
- SimPy events per holder-tick, orders, peak memory (goal: 200 holders under 500 MB,
  2,000 holders under 4 GB), and the 2,000-holder year's time over the 200-holder year's
  (goal: at most 10x).

CPU time, not wall time, and the best of `--repeats`: the development machine is shared,
and both sides of a ratio are measured in one process, interleaved, so a busy neighbour
inflates both. Figures vary from run to run; compare ratios from the same run.

    python benchmarks/engine.py [--sizes 50 100 200 2000] [--days 365] [--repeats 2]
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import sizes_apart


def bare_simpy(holders: int, ticks: int, tick: float) -> float:
    """CPU seconds for SimPy to run one process per holder doing one timeout per tick."""
    import simpy

    env = simpy.Environment()

    def holder():
        for _ in range(ticks):
            yield env.timeout(tick)

    for _ in range(holders):
        env.process(holder())
    start = time.process_time()
    env.run()
    return time.process_time() - start


def timed_run(holders: int, days: int, agreements: bool = True) -> tuple[Any, float]:
    from synthetic import scenario_data

    from acsasim.scenario import load_text
    from acsasim.sim import simulate

    data = scenario_data(holders, days)
    if not agreements:
        data["agreements"] = []
    scenario = load_text(yaml.safe_dump(data, sort_keys=False))
    start = time.process_time()
    result = simulate(scenario)
    return result, time.process_time() - start


def measure(holders: int, days: int, repeats: int) -> dict[str, Any]:
    ticks = days * 4  # 6-hour ticks
    engine, bare, peak_mb = [], [], 0.0
    result = None
    for _ in range(repeats):  # interleaved, the best of each
        bare.append(bare_simpy(holders, ticks, 6.0))
        result = None  # one run's books in memory at a time
        result, seconds = timed_run(holders, days)
        engine.append(seconds)
        if not peak_mb:  # the first run's peak (the high-water mark only grows)
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    alone = min(timed_run(holders, days, agreements=False)[1] for _ in range(repeats))
    orders = len(result.books.orders)
    return {
        "holders": holders,
        "cpu_s": min(engine),
        "bare_s": min(bare),
        "x_bare_per_holder_tick": min(engine) / min(bare),
        "us_per_order": (min(engine) - alone) / max(1, orders) * 1e6,
        "events_per_holder_tick": result.events_dispatched / (holders * ticks),
        "orders": orders,
        "peak_mb": peak_mb,
        "x_bare_without_orders": alone / min(bare),
    }


def main() -> None:
    asked = sizes_apart(__file__, [50, 100, 200, 2000], measure)
    if asked is None:
        return
    rows = []
    for r in asked[1]:
        rows.append(r)
        if len(rows) == 1:
            print(f"{'holders':>7} {'cpu s':>7} {'bare s':>7} {'x bare/holder-tick':>18} "
                  f"{'us/order':>8} {'events/holder-tick':>18} {'orders':>8} {'peak MB':>8} "
                  f"{'x bare, no orders':>17}")  # fmt: skip
        print(f"{r['holders']:>7} {r['cpu_s']:>7.2f} {r['bare_s']:>7.3f} "
              f"{r['x_bare_per_holder_tick']:>18.1f} {r['us_per_order']:>8.1f} "
              f"{r['events_per_holder_tick']:>18.2f} {r['orders']:>8} {r['peak_mb']:>8.0f} "
              f"{r['x_bare_without_orders']:>17.1f}", flush=True)  # fmt: skip
    by = {r["holders"]: r for r in rows}
    if 200 in by and 2000 in by:
        print(f"\n2,000-holder year / 200-holder year: {by[2000]['cpu_s'] / by[200]['cpu_s']:.1f}x "
              "(goal: at most 10x)")  # fmt: skip


if __name__ == "__main__":
    main()
