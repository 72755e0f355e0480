"""Synthetic scenarios of any size, for benchmarks: N holders over 4 parties, 6 commodities.

Every party has an agreement with every other, a weekly sealift to its own port
and a host-nation depot, so ACSA exchanges, refusals and national resupply all
happen at scale.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import yaml

PARTIES = {"JP": ("JPY", 155), "PH": ("PHP", 58), "US": ("USD", 1), "AU": ("AUD", 1.5)}
COMMODITIES = {
    "diesel": {"unit": "L", "category": "fuel"},
    "jp5": {"unit": "L", "category": "fuel"},
    "ration": {"unit": "meal", "category": "food"},
    "water": {"unit": "L", "category": "water"},
    "ammo_556": {"unit": "round", "category": "ammunition"},
    "airlift": {"unit": "h", "category": "transportation", "service": True},
}
GOODS = ["diesel", "jp5", "ration", "water", "ammo_556"]
DAILY = {"diesel": 600, "jp5": 400, "ration": 450, "water": 2500, "ammo_556": 1500}


def scenario_data(holders: int, days: int = 365, seed: int = 1) -> dict[str, Any]:
    sites = [f"site{i}" for i in range(8)]
    parties = list(PARTIES)
    data: dict[str, Any] = {
        "acsasim": 1,
        "name": f"bench-{holders}",
        "start": "2026-04-01",
        "duration": f"{days}d",
        "seed": seed,
        "tick": "6h",
        "reporting_currency": "USD",
        "currencies": {cur: rate for cur, rate in PARTIES.values()},
        "parties": {p: {"currency": PARTIES[p][0], "tax": {"vat": 0.1}} for p in parties},
        "commodities": COMMODITIES,
        "prices": {p: {c: 1.0 + i for i, c in enumerate(COMMODITIES)} for p in parties},
        "sites": {s: {"party": "PH"} for s in sites},
        "routes": [
            {"between": [sites[i], sites[i + 1]], "time": {"triangular": ["2h", "3h", "6h"]}}
            for i in range(len(sites) - 1)
        ],
        "agreements": [
            {
                "id": f"{a}-{b}",
                "parties": [a, b],
                "in_force": "2026-01-01",
                "ceilings": {"value": 60_000_000, "supplies_value": 20_000_000},
            }
            for i, a in enumerate(parties)
            for b in parties[i + 1 :]
        ],
        "supply_lines": [
            {
                "id": f"{p}-lift",
                "party": p,
                "deliver_to": sites[0],
                "commodities": GOODS,
                "every": "7d",
                "first_departure": "1d",
                "lead_time": {"triangular": ["4d", "6d", "12d"]},
            }
            for p in parties
        ],
        "holders": [_holder(i, parties, sites) for i in range(holders)],
        "timeline": [
            {
                "from": "0d",
                "to": f"{days}d",
                "holders": "all",
                "profile": "garrison",
                "activity": "exercise",
            },
            *(
                {
                    "from": f"{d}d",
                    "to": f"{d + 10}d",
                    "holders": "all",
                    "profile": "surge",
                    "activity": "exercise",
                }
                for d in range(30, days - 10, 90)
            ),
            *(
                {
                    "at": f"{d}d",
                    "event": "storm",
                    "delay_supply_lines": {"lines": ["JP-lift"], "by": "3d"},
                    "close_routes": {"routes": [[sites[1], sites[2]]], "for": "2d"},
                }
                for d in range(45, days, 120)
            ),
        ],
    }
    return data


def _holder(i: int, parties: list[str], sites: list[str]) -> dict[str, Any]:
    party = parties[i % len(parties)]
    depot = i % 10 == 9
    scale = 40 if depot else 1
    stock = {
        c: {
            "initial": DAILY[c] * 10 * scale,
            "capacity": DAILY[c] * 14 * scale,
            "reorder": DAILY[c] * 6 * scale,
            "reserve": DAILY[c] * 2 * scale,
        }
        for c in GOODS
    }
    holder: dict[str, Any] = {
        "id": f"h{i:04d}",
        "party": party,
        "kind": "depot" if depot else "unit",
        "site": sites[i % len(sites)],
        "supplied_by": f"{party}-lift",
        "stock": stock,
    }
    if depot:
        holder["transport"] = {"vehicles": 4, "load": {"diesel": 20000, "water": 20000}}
    else:
        holder["consumption"] = {"garrison": dict(DAILY), "surge": {c: DAILY[c] for c in GOODS[:3]}}
        holder["variability"] = 0.3
    return holder


def scenario_yaml(holders: int, days: int = 365, seed: int = 1) -> str:
    return yaml.safe_dump(scenario_data(holders, days, seed), sort_keys=False)


def sizes_apart(
    script: str,
    defaults: list[int],
    measure: Callable[[int, int, int], dict[str, Any]],
    extra: Callable[[argparse.ArgumentParser], None] = lambda parser: None,
) -> tuple[argparse.Namespace, Iterator[dict[str, Any]]] | None:
    """A benchmark's command line (`--sizes`, `--days`, `--repeats`, and `extra`'s options)
    and its sizes measured each in a fresh process of `script --one N` (its own peak memory,
    nothing warm from the size before). None when this process is such a child: it has
    printed its measurement as JSON."""
    parser = argparse.ArgumentParser(
        description=(sys.modules["__main__"].__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=defaults)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    extra(parser)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.days, args.repeats)))
        return None

    def each() -> Iterator[dict[str, Any]]:
        for n in args.sizes:
            command = [sys.executable, script, "--one", str(n), "--days", str(args.days),
                       "--repeats", str(args.repeats)]  # fmt: skip
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            yield json.loads(out)

    return args, each()
