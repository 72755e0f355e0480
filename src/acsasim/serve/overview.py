"""A scenario at a glance, as its page shows it: parties, agreements, holders, and the
timeline of phases and events drawn along the run (positions in percent of its duration).
Values are written as the scenario file writes them (`30d`, `2026-01-15`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from acsasim.scenario import Scenario
from acsasim.scenario.edits import value_text
from acsasim.scenario.timeline import Phase

EVENT_PARTS = ("delay_supply_lines", "close_routes", "destroy_stock")


@dataclass(frozen=True)
class Bar:
    label: str
    detail: str
    left: float  # percent of the run
    width: float
    event: bool


def overview(s: Scenario) -> dict[str, Any]:
    dumped = s.model_dump(mode="json", by_alias=True)
    return {
        "name": s.name,
        "description": s.description,
        "start": dumped["start"],
        "duration": dumped["duration"],
        "currency": s.reporting_currency,
        "policy": s.policy.acsa,
        "seed": s.seed,
        "parties": [
            (pid, p.name, p.currency, f"{p.tax.vat:.0%}", sum(h.party == pid for h in s.holders))
            for pid, p in sorted(s.parties.items())
        ],
        "agreements": [_agreement(a) for a in dumped["agreements"]],
        "holders": [
            (
                h.party,
                h.id,
                h.kind,
                h.site,
                h.personnel or "",
                h.supplied_by or "",
                ", ".join(h.stock),
            )
            for h in sorted(s.holders, key=lambda h: (h.party, h.id))
        ],
        "timeline": _bars(s, dumped["timeline"]),
    }


def _holder(h: Any) -> tuple[Any, ...]:
    return (h.party, h.id, h.kind, h.site, h.personnel or "", h.supplied_by or "",
            ", ".join(h.stock))  # fmt: skip


def _agreement(a: dict[str, Any]) -> tuple[str, ...]:
    st, ce = a["settlement"], a["ceilings"]
    ceilings = ", ".join(
        f"{path} {v:,.0f}" for path, v in _leaves(ce) if isinstance(v, float | int)
    )
    return (
        a["id"],
        " and ".join(a["parties"]),
        a["in_force"] or "the start",
        _methods(st["methods"]),
        str(st["deadline"]),
        ceilings or "none",
    )


def _leaves(data: Any, path: str = "") -> list[tuple[str, Any]]:
    """(words of the path, value) of every value set in nested terms (R14's ceilings may be
    per party and direction): `parties US acquired value 60,000,000`."""
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in _leaves(v, f"{path} {k}".strip())]
    return [] if data is None else [(path.replace("_", " "), data)]


def _methods(methods: Any) -> str:
    """One list of methods (version 1), or the mapping by category and receiving party (R8)."""
    if isinstance(methods, list):
        return ", ".join(methods).replace("_", " ")
    return "; ".join(f"{key}: {_methods(value)}" for key, value in methods.items())


def _bars(s: Scenario, dumped: list[dict[str, Any]]) -> list[Bar]:
    total = s.duration or 1.0
    bars = []
    for item, raw in zip(s.timeline, dumped, strict=True):
        if isinstance(item, Phase):
            end = total if item.to is None else min(item.to, total)
            who = raw["holders"] if isinstance(raw["holders"], str) else value_text(raw["holders"])
            label = item.profile or item.activity or "phase"
            detail = (
                f"{raw['from']} to {raw['to'] or 'the end'}: {who}, profile {item.profile or '-'}, "
                f"activity {item.activity or 'routine'}, demand x{item.demand_factor:g}"
            )
            bars.append(Bar(label, detail, _pct(item.from_, total), _pct(end - item.from_, total),
                            False))  # fmt: skip
        else:
            parts = [f"{k.replace('_', ' ')} {value_text(raw[k])}" for k in EVENT_PARTS if raw[k]]
            detail = f"at {raw['at']}: " + ("; ".join(parts) or "no effect")
            bars.append(Bar(raw["event"], detail, _pct(item.at, total), 0.0, True))
    return bars


def _pct(hours: float, total: float) -> float:
    return round(max(0.0, min(100.0, 100.0 * hours / total)), 2)
