"""Properties of the loader over generated scenarios.

(a) Random valid scenarios load without a problem and round-trip through `dump_scenario`.
(b) A valid file broken by one mutation is always refused through the command line with
    exit code 2 and located problems, never with a traceback.
"""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_files import EXAMPLES, VALID
from typer.testing import CliRunner

from acsasim.cli import app
from acsasim.scenario import ScenarioError, dump_scenario, load_text
from acsasim.scenario.model import Scenario, Stock
from acsasim.scenario.paths import _unwrap, model_keys, type_at
from acsasim.scenario.source import parse_text
from acsasim.scenario.types import CATEGORIES

PARTY_IDS = ["JP", "PH", "US", "AU"]
CURRENCIES = {"JP": "JPY", "PH": "PHP", "US": "USD", "AU": "AUD"}
COMMODITY_IDS = ["diesel", "jp5", "ration", "water", "ammo_556", "airlift"]
PROFILES = ["garrison", "field_training", "hadr"]
UNITS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "w": 604800}

amounts = st.one_of(
    st.integers(min_value=0, max_value=10**7),
    st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False),
)


@st.composite
def durations(draw: st.DrawFn, max_hours: float = 24 * 30, min_hours: float = 0) -> str:
    """A duration text between min_hours and max_hours, in any unit."""
    unit = draw(st.sampled_from(list(UNITS)))
    per_hour = 3600 / UNITS[unit]
    low, high = int(min_hours * per_hour) + 1, int(max_hours * per_hour)
    if low > high:
        return f"{min_hours}h"
    count = draw(st.integers(min_value=low, max_value=high))
    if draw(st.booleans()) and count > 1:
        return f"{count - 0.5}{unit}"  # a decimal one
    return f"{count}{unit}"


@st.composite
def random_durations(draw: st.DrawFn, max_hours: float = 24 * 30) -> Any:
    """A fixed duration or one of the distributions, with consistent parameters."""
    kind = draw(st.sampled_from(["fixed", "triangular", "uniform", "normal", "lognormal", "exp"]))
    hours = sorted(draw(st.lists(st.integers(1, int(max_hours)), min_size=3, max_size=3)))
    low, mode, high = (f"{h}h" for h in hours)
    if kind == "fixed":
        return draw(durations(max_hours))
    if kind == "triangular":
        return {"triangular": [low, mode, high]}
    if kind == "uniform":
        return {"uniform": [low, high]}
    if kind == "normal":
        return {"normal": [mode, low]}
    if kind == "lognormal":
        return {"lognormal": {"mean": mode, "cv": draw(st.floats(0, 3))}}
    return {"exponential": mode}


@st.composite
def stock_levels(draw: st.DrawFn) -> dict[str, Any]:
    """Consistent levels (reserve <= reorder <= capacity, initial <= capacity), some left out."""
    capacity = draw(st.integers(0, 10**6))
    initial = draw(st.integers(0, capacity))
    reorder = draw(st.integers(0, capacity))
    reserve = draw(st.integers(0, reorder))
    stock: dict[str, Any] = {"initial": initial}
    if initial == capacity and draw(st.booleans()):
        pass  # capacity defaults to initial
    else:
        stock["capacity"] = capacity
    if reserve:
        stock["reserve"] = reserve
    if reorder != reserve or draw(st.booleans()):
        stock["reorder"] = reorder  # else it defaults to the reserve
    return stock


def subset(draw: st.DrawFn, items: list[Any], min_size: int = 0) -> list[Any]:
    """Some of `items` (at least `min_size`), in a drawn order."""
    chosen = draw(st.lists(st.sampled_from(items), min_size=min_size, unique=True))
    return chosen if len(chosen) >= min_size else items[:min_size]


@st.composite
def valid_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    days = draw(st.integers(1, 60))
    duration_h = days * 24
    parties = PARTY_IDS[: draw(st.integers(2, 4))]
    commodities = draw(
        st.lists(st.sampled_from(COMMODITY_IDS), min_size=1, max_size=6, unique=True)
    )
    n_sites = draw(st.integers(1, 5))
    sites = [f"site-{i}" for i in range(n_sites)]
    data: dict[str, Any] = {
        "acsasim": 1,
        "name": draw(st.from_regex(r"[a-z][a-z0-9_.-]{0,20}", fullmatch=True)),
        "start": date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 3000))),
        "duration": f"{days}d",
        "seed": draw(st.integers(0, 2**32)),
        "reporting_currency": "USD",
        "currencies": {
            "USD": 1,
            **{CURRENCIES[p]: draw(st.floats(0.01, 500)) for p in parties if p != "US"},
        },
        "policy": {"acsa": draw(st.sampled_from(["never", "when_national_late", "first"]))},
    }
    if draw(st.booleans()):
        data["tick"] = draw(durations(max_hours=min(duration_h, 24.0), min_hours=0.5))
    data["parties"] = {
        p: {
            "name": f"Party {p}",
            "currency": CURRENCIES[p],
            "tax": {
                "vat": draw(st.floats(0, 1)),
                "excise": {c: draw(amounts) for c in subset(draw, commodities)},
            },
        }
        for p in parties
    }
    data["commodities"] = {
        c: {
            "unit": "L",
            "category": draw(st.sampled_from(CATEGORIES)),
            "service": draw(st.booleans()),
        }
        for c in commodities
    }
    data["prices"] = {p: {c: draw(amounts) for c in subset(draw, commodities)} for p in parties}
    data["sites"] = {s: {"party": draw(st.sampled_from(parties))} for s in sites}
    # a spanning tree keeps every site connected, then a few extra routes
    pairs = [(sites[i], sites[draw(st.integers(0, i - 1))]) for i in range(1, n_sites)]
    if n_sites > 1:
        pairs += draw(
            st.lists(st.tuples(st.sampled_from(sites), st.sampled_from(sites)), max_size=3)
        )
    data["routes"] = [
        {"between": list(pair), "time": draw(random_durations(48))}
        for pair in pairs
        if pair[0] != pair[1]
    ]
    all_pairs = [(a, b) for i, a in enumerate(parties) for b in parties[i + 1 :]]
    data["agreements"] = []
    for i, (pa, pb) in enumerate(subset(draw, all_pairs)):
        agreement: dict[str, Any] = {"id": f"ACSA-{i}", "parties": [pa, pb]}
        if draw(st.booleans()):
            offset = draw(st.integers(-400, days))
            agreement["in_force"] = data["start"] + timedelta(days=offset)
        if draw(st.booleans()):
            agreement["categories"] = subset(draw, list(CATEGORIES), 1)
            agreement["excluded"] = subset(draw, commodities)
            agreement["tax_exempt"] = draw(st.booleans())
            agreement["activities"] = subset(draw, ["exercise", "disaster_relief", "liaison"], 1)
        if draw(st.booleans()):
            settlement: dict[str, Any] = {
                "methods": subset(draw, ["replacement_in_kind", "equal_value_exchange", "cash"], 1),
                "deadline": draw(durations(24 * 400)),
                "on_deadline": draw(st.sampled_from(["convert_to_cash", "stay_overdue"])),
                "invoice_after": draw(random_durations(24 * 60)),
                "payment_terms": draw(random_durations(24 * 90)),
            }
            if draw(st.booleans()):
                settlement["offset_after"] = draw(durations(24 * 600))
            agreement["settlement"] = settlement
        if draw(st.booleans()):
            agreement["ceilings"] = {"value": draw(amounts), "supplies_value": draw(amounts)}
        data["agreements"].append(agreement)
    data["supply_lines"] = []
    for i in range(draw(st.integers(0, 3))):
        carried = subset(draw, commodities, 1)
        supply: dict[str, Any] = {
            "id": f"line-{i}",
            "party": draw(st.sampled_from(parties)),
            "deliver_to": draw(st.sampled_from(sites)),
            "commodities": carried,
            "lead_time": draw(random_durations(24 * 20)),
            "capacity": {c: draw(amounts) for c in subset(draw, carried)},
        }
        if draw(st.booleans()):  # else on demand
            supply["every"] = draw(durations(24 * 14, min_hours=1))
            supply["first_departure"] = draw(durations(24 * 7))
        data["supply_lines"].append(supply)
    data["holders"] = []
    for i in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["unit", "depot"]))
        stocked = subset(draw, commodities)
        h: dict[str, Any] = {
            "id": f"holder-{i}",
            "party": draw(st.sampled_from(parties)),
            "kind": kind,
            "site": draw(st.sampled_from(sites)),
            "stock": {c: draw(stock_levels()) for c in stocked},
            "variability": draw(st.floats(0, 2)),
        }
        if draw(st.booleans()):
            h["personnel"] = draw(st.integers(0, 5000))
            h["per_person"] = draw(st.booleans())
        if data["supply_lines"] and draw(st.booleans()):
            h["supplied_by"] = draw(st.sampled_from(data["supply_lines"]))["id"]
        if kind == "unit" and stocked:
            h["consumption"] = {
                p: {c: draw(amounts) for c in subset(draw, stocked, 1)}
                for p in subset(draw, PROFILES)
            }
        if stocked and draw(st.booleans()):
            h["transport"] = {
                "vehicles": draw(st.integers(1, 20)),
                "load": {c: draw(st.integers(1, 10**5)) for c in subset(draw, stocked)},
            }
        data["holders"].append(h)
    data["timeline"] = [
        draw(timeline_items(data, duration_h)) for _ in range(draw(st.integers(0, 6)))
    ]
    return data


@st.composite
def timeline_items(draw: st.DrawFn, data: dict[str, Any], duration_h: int) -> dict[str, Any]:
    holders = data["holders"]
    if draw(st.booleans()):  # a phase
        start = draw(st.integers(0, duration_h - 1))
        item: dict[str, Any] = {"from": f"{start}h"}
        if draw(st.booleans()):
            item["to"] = f"{draw(st.integers(start + 1, duration_h))}h"
        form = draw(st.sampled_from(["all", "list", "party"]))
        if form == "all":
            members = holders
            item["holders"] = "all"
        elif form == "list":
            members = [h for h in holders if draw(st.booleans())] or holders[:1]
            item["holders"] = [h["id"] for h in members]
        else:
            party = draw(st.sampled_from([h["party"] for h in holders]))
            members = [h for h in holders if h["party"] == party]
            item["holders"] = {"party": party}
        profiles = sorted({p for h in members for p in h.get("consumption", {})})
        if profiles and draw(st.booleans()):
            item["profile"] = draw(st.sampled_from(profiles))
        if draw(st.booleans()):
            item["activity"] = draw(st.sampled_from(["exercise", "disaster_relief", "routine"]))
        if draw(st.booleans()):
            item["demand_factor"] = draw(st.floats(0, 5))
        return item
    item = {"at": f"{draw(st.integers(0, duration_h))}h", "event": "storm"}
    if data["supply_lines"] and draw(st.booleans()):
        lines = subset(draw, [s["id"] for s in data["supply_lines"]], 1)
        item["delay_supply_lines"] = {"lines": lines, "by": draw(durations(24 * 10))}
    if data["routes"] and draw(st.booleans()):
        pairs = [list(r["between"]) for r in data["routes"]]
        chosen = [p if draw(st.booleans()) else p[::-1] for p in pairs if draw(st.booleans())]
        item["close_routes"] = {"routes": chosen or pairs[:1]}
        if draw(st.booleans()):
            item["close_routes"]["for"] = draw(durations(24 * 5))
    stocked = [(h["id"], c) for h in holders for c in h["stock"]]
    if stocked and draw(st.booleans()):
        losses = [
            {"holder": hid, "commodity": c, "fraction": draw(st.floats(0, 1))}
            for hid, c in subset(draw, stocked, 1)
        ]
        item["destroy_stock"] = losses[0] if len(losses) == 1 else losses
    return item


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_scenarios())
def test_generated_valid_scenarios_load_and_round_trip(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, sort_keys=False)
    try:
        scenario = load_text(text, "generated.yaml")
    except ScenarioError as exc:  # pragma: no cover - the message is the point
        pytest.fail(f"a valid scenario was refused:\n{exc}\n---\n{text}")
    dumped = dump_scenario(scenario)
    assert load_text(dumped, "dumped.yaml") == scenario


# --- (b) mutations of valid files ---------------------------------------------------------

BASES = {p.name: parse_text(p.read_text(), str(p))[0] for p in VALID + EXAMPLES}

# Values that are references to ids: breaking one must always be an error.
REFERENCES = [
    "sites.*.party",
    "routes.*.between.*",
    "agreements.*.parties.*",
    "agreements.*.excluded.*",
    "supply_lines.*.party",
    "supply_lines.*.deliver_to",
    "supply_lines.*.commodities.*",
    "holders.*.party",
    "holders.*.site",
    "holders.*.supplied_by",
    "timeline.*.holders.*",
    "timeline.*.holders.party",
    "timeline.*.profile",
    "timeline.*.delay_supply_lines.lines.*",
    "timeline.*.close_routes.routes.*.*",
    "timeline.*.destroy_stock.holder",
    "timeline.*.destroy_stock.commodity",
    "timeline.*.destroy_stock.*.holder",
    "timeline.*.destroy_stock.*.commodity",
]
_REFERENCE = re.compile(
    "^(" + "|".join(re.escape(r).replace(r"\*", "[^.]+") for r in REFERENCES) + ")$"
)


def walk(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) of the document, containers included."""
    found = [(path, node)]
    if isinstance(node, dict):
        for key, value in node.items():
            found += walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += walk(value, (*path, i))
    return found


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def model_of(path: tuple[Any, ...]) -> list[Any]:
    """The pydantic models a mapping at `path` may be (none for id-keyed mappings)."""
    return [m for m in _unwrap(type_at(Scenario, path)) if model_keys(m)]


def required_keys(path: tuple[Any, ...], mapping: dict[str, Any]) -> list[str]:
    keys = []
    for model in model_of(path):
        for name, field in model.model_fields.items():
            key = field.alias or name
            filled = model is Stock and key in ("capacity", "reorder")  # defaults from others
            if field.is_required() and not filled and key in mapping:
                keys.append(key)
    return keys


def typos(key: str) -> list[str]:
    out = {key[:i] + key[i + 1 :] for i in range(len(key))}  # a letter dropped
    out |= {key[:i] + key[i] + key[i:] for i in range(len(key))}  # a letter doubled
    out |= {key[:i] + key[i + 1] + key[i] + key[i + 2 :] for i in range(len(key) - 1)}
    return sorted(k for k in out if k and k != key)


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, dict[str, Any], list[str]]:
    """(what was done, the broken data, overrides): one change that no valid file survives."""
    name = draw(st.sampled_from(sorted(BASES)))
    data = copy.deepcopy(BASES[name])
    nodes = walk(data)
    kind = draw(st.sampled_from(["delete", "reference", "type", "typo", "override"]))
    if kind == "delete":
        options = [
            (path, key)
            for path, node in nodes
            if isinstance(node, dict)
            for key in required_keys(path, node)
        ]
        path, key = draw(st.sampled_from(options))
        del get(data, path)[key]
        return f"{name}: deleted {(*path, key)}", data, []
    if kind == "reference":
        options = [
            path
            for path, value in nodes
            if isinstance(value, str) and _REFERENCE.match(".".join(map(str, path)))
        ]
        path = draw(st.sampled_from(options))
        get(data, path[:-1])[path[-1]] = "nonexistent_" + get(data, path)
        return f"{name}: broke the reference at {path}", data, []
    leaves = [(path, value) for path, value in nodes if path and not isinstance(value, dict | list)]
    path, value = draw(st.sampled_from(leaves))
    wrong = wrong_value(draw, value)
    if kind == "type":
        get(data, path[:-1])[path[-1]] = wrong
        return f"{name}: {path} = {wrong!r}", data, []
    if kind == "override":
        keys = []
        for i, key in enumerate(path):
            parent = get(data, path[:i])
            if isinstance(parent, list) and isinstance(parent[key], dict) and "id" in parent[key]:
                keys.append(parent[key]["id"])
            else:
                keys.append(str(key))
        flow = yaml.safe_dump(wrong, default_flow_style=True, width=10**6).strip()
        flow = flow.removesuffix("\n...").removesuffix("...").strip()
        return f"{name}: --set", data, [f"{'.'.join(keys)}={flow}"]
    # typo: a key of a model mapping misspelt, next to the real one
    options = [
        (path, key)
        for path, node in nodes
        if isinstance(node, dict) and model_of(path)
        for key in node
    ]
    path, key = draw(st.sampled_from(options))
    mapping = get(data, path)
    valid = {k for model in model_of(path) for k in model_keys(model)}
    typo = draw(st.sampled_from([t for t in typos(key) if t not in valid]))
    mapping[typo] = copy.deepcopy(mapping[key])
    return f"{name}: added the key {typo!r} at {path}", data, []


def wrong_value(draw: st.DrawFn, value: Any) -> Any:
    """A value of another type, that no field holding `value` accepts."""
    if isinstance(value, bool):
        return draw(st.sampled_from(["maybe", [True], {"x": 1}]))
    if isinstance(value, int | float):
        return draw(st.sampled_from(["many", [value], {"x": value}]))
    return draw(st.sampled_from([[{"x": 1}], {"zz": [1]}]))


runner = CliRunner()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutations")


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutations())
def test_a_mutated_file_is_refused_with_located_problems(
    workdir: Path, mutation: tuple[str, dict[str, Any], list[str]]
) -> None:
    what, data, overrides = mutation
    path = workdir / "mutated.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    args = ["validate", str(path)] + [arg for o in overrides for arg in ("--set", o)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, f"{what}\n{result.output}"
    assert isinstance(result.exception, SystemExit), f"{what}: {result.exception!r}"
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    located = re.compile(rf"^{re.escape(str(path))}:\d+:\d+: .+|^--set .+: .+")
    assert lines and all(located.match(line) for line in lines), f"{what}\n{result.output}"
