"""Engine benchmark (issue: the engine and the books).

For 50, 100 and 200 holders over 4 parties, 6 commodities and 365 days, prints
events dispatched, wall time, events per second, ledger rows per second, peak
memory, and the engine's time per event over that of a bare SimPy loop that
dispatches the same number of timeout events in the same process.

Goals: engine <= 2.5x bare SimPy per event; time per holder-day grows by less
than 1.3x from 50 to 200 holders; the 200-holder year under 1 GB.
Each size runs in its own process so peak memory is that size's alone.

To show where the time per event goes, each size also runs once more without
agreements (demand, reorders and national lines only, no orders): the ratio of
that world, and the cost of one order as the difference of the two walls
divided by the orders, in microseconds and in bare SimPy events. Last, the least
bookkeeping one order needs (`order_floor.py`: its decimal value, tax, record,
two stock moves, and balanced issue posting) and the ratio per event the run
would have were everything else free.

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
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))


def bare_simpy(events: int, processes: int, repeats: int = 3) -> float:
    """Seconds for SimPy to dispatch `events` timeouts spread over `processes` processes: the
    best of `repeats`, so a busy machine inflates the ratio rather than flattering it. Under
    the engine's garbage-collector setting, which speeds up the bare loop too."""
    from acsasim.sim.gc_tuning import fewer_collections

    with fewer_collections():
        return min(_bare_once(events, processes) for _ in range(repeats))


def _bare_once(events: int, processes: int) -> float:
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


def timed_run(holders: int, days: int, agreements: bool = True) -> tuple[Any, float]:
    from synthetic import scenario_data

    from acsasim.scenario import load_text
    from acsasim.sim import simulate

    data = scenario_data(holders, days)
    if not agreements:
        data["agreements"] = []
    scenario = load_text(yaml.safe_dump(data, sort_keys=False))
    start = time.perf_counter()
    result = simulate(scenario)
    return result, time.perf_counter() - start


def measure(holders: int, days: int) -> dict:
    from order_floor import seconds_per_order

    result, wall = timed_run(holders, days)
    rows = (
        len(result.flows) + sum(len(t.postings) for t in result.transactions) + len(result.orders)
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the second run
    bare = bare_simpy(result.events_dispatched, holders)
    alone, alone_wall = timed_run(holders, days, agreements=False)
    alone_bare = bare_simpy(alone.events_dispatched, holders)
    per_order = (wall - alone_wall) / max(1, len(result.orders))
    floor = seconds_per_order()
    return {
        "holders": holders,
        "events": result.events_dispatched,
        "wall_s": wall,
        "events_per_s": result.events_dispatched / wall,
        "ledger_rows": rows,
        "rows_per_s": rows / wall,
        "peak_mb": peak_mb,
        "bare_s": bare,
        "ratio_per_event": wall / bare,
        "us_per_holder_day": wall / (holders * days) * 1e6,
        "orders": len(result.orders),
        "ratio_without_orders": alone_wall / alone_bare,
        "us_per_order": per_order * 1e6,
        "bare_events_per_order": per_order / (bare / result.events_dispatched),
        "events_per_order": (result.events_dispatched - alone.events_dispatched)
        / max(1, len(result.orders)),
        "us_books_per_order": floor * 1e6,
        # were everything free but SimPy's dispatch and each order's books
        "ratio_floor": (bare + len(result.orders) * floor) / bare,
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
    print(
        f"\n{'holders':>7} {'x bare, no orders':>17} {'us per order':>12} "
        f"{'= bare events':>13} {'events per order':>16} {'us books/order':>14} "
        f"{'x bare floor':>12}"
    )
    for r in results:
        print(
            f"{r['holders']:>7} {r['ratio_without_orders']:>17.2f} {r['us_per_order']:>12.0f} "
            f"{r['bare_events_per_order']:>13.0f} {r['events_per_order']:>16.1f} "
            f"{r['us_books_per_order']:>14.0f} {r['ratio_floor']:>12.2f}"
        )
    print(
        "(us books/order: the least bookkeeping an order needs, benchmarks/order_floor.py;\n"
        " x bare floor: the ratio per event were everything free but SimPy and those books)"
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
