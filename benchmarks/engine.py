"""Engine benchmark (issue: the engine and the books).

For 50, 100 and 200 holders over 4 parties, 6 commodities and 365 days, prints
events dispatched, wall time, events per second, ledger rows per second, peak
memory, and the engine's time per event over that of a bare SimPy loop that
dispatches the same number of timeout events in the same process.

Goals: engine <= 2.5x bare SimPy per event; time per holder-day grows by less
than 1.3x from 50 to 200 holders; the 200-holder year under 1 GB.
Each size runs in its own process so peak memory is that size's alone.

    python benchmarks/engine.py [--sizes 50 100 200] [--days 365]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def bare_simpy(events: int, processes: int) -> float:
    """Seconds for SimPy to dispatch `events` timeouts spread over `processes` processes."""
    import simpy

    env = simpy.Environment()
    per = events // processes

    def loop():
        for _ in range(per):
            yield env.timeout(1)

    for _ in range(processes):
        env.process(loop())
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


def measure(holders: int, days: int) -> dict:
    from synthetic import scenario_yaml

    from acsasim.scenario import load_text
    from acsasim.sim import simulate

    scenario = load_text(scenario_yaml(holders, days))
    start = time.perf_counter()
    result = simulate(scenario)
    wall = time.perf_counter() - start
    rows = (
        len(result.flows) + sum(len(t.postings) for t in result.transactions) + len(result.orders)
    )
    bare = bare_simpy(result.events_dispatched, holders)
    return {
        "holders": holders,
        "events": result.events_dispatched,
        "wall_s": wall,
        "events_per_s": result.events_dispatched / wall,
        "ledger_rows": rows,
        "rows_per_s": rows / wall,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "bare_s": bare,
        "ratio_per_event": wall / bare,
        "us_per_holder_day": wall / (holders * days) * 1e6,
        "orders": len(result.orders),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.days)))
        return
    results = []
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--days", str(args.days)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(out))
    head = (
        f"{'holders':>7} {'events':>9} {'wall s':>7} {'events/s':>9} {'rows/s':>9} {'peak MB':>8} "
        f"{'x bare':>7} {'us/holder-day':>13} {'orders':>7}"
    )
    print(head)
    for r in results:
        print(
            f"{r['holders']:>7} {r['events']:>9} {r['wall_s']:>7.2f} {r['events_per_s']:>9.0f} "
            f"{r['rows_per_s']:>9.0f} {r['peak_mb']:>8.0f} {r['ratio_per_event']:>7.2f} "
            f"{r['us_per_holder_day']:>13.1f} {r['orders']:>7}"
        )
    first, last = results[0], results[-1]
    growth = last["us_per_holder_day"] / first["us_per_holder_day"]
    print(
        f"\ntime per holder-day, {last['holders']} vs {first['holders']} holders: "
        f"{growth:.2f}x (goal < 1.3x)"
    )
    print(
        f"engine per event vs bare SimPy (largest): {last['ratio_per_event']:.2f}x (goal <= 2.5x)"
    )
    print(f"peak memory, {last['holders']} holders: {last['peak_mb']:.0f} MB (goal < 1024 MB)")


if __name__ == "__main__":
    main()
