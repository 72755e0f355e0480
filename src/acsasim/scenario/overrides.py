"""`--set PATH=VALUE` overrides, applied to the file's data before validation.

Paths are dotted keys; list items that have an `id` are addressed by it, other
list items by their index (`timeline.0.to=5d`). A path may name an optional key
the file leaves out; a key the format does not know, or an id that does not
exist, is refused with the closest valid path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn

from acsasim.scenario.errors import Problem, ScenarioError, did_you_mean
from acsasim.scenario.paths import child, model_keys
from acsasim.scenario.source import parse_text

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Override:
    text: str  # as the user wrote it, for messages
    keys: tuple[str, ...]
    value: Any

    @property
    def label(self) -> str:
        return f"--set {self.text}"


def parse_override(text: str) -> Override:
    """'a.b.c=VALUE' -> Override, the value read as YAML."""
    path, sep, raw = text.partition("=")
    label = f"--set {text}"
    if not sep or not path.strip():
        raise ScenarioError([Problem(label, 0, 0, "write PATH=VALUE, e.g. seed=7 or duration=30d")])
    keys = tuple(k.strip() for k in path.strip().split("."))
    if any(not k for k in keys):
        raise ScenarioError([Problem(label, 0, 0, f"empty key in path {path!r}")])
    try:
        value, _ = parse_text(raw, label) if raw.strip() else (None, None)
    except ScenarioError as exc:  # the value is one line: no LINE:COL after the label
        raise ScenarioError([Problem(label, 0, 0, p.message) for p in exc.problems]) from None
    return Override(text, keys, value)


def apply(document: dict[str, Any], override: Override, root: Any) -> Path_:
    """Set the override's value in `document` (in place); return the data path it set."""
    node: Any = document
    tp: Any = root
    done: list[str | int] = []
    for i, key in enumerate(override.keys):
        last = i == len(override.keys) - 1
        shown = ".".join(override.keys[:i])
        if isinstance(node, list):
            index = _list_index(node, key, shown, override)
            tp, _ = child(tp, index)
            done.append(index)
            if last:
                node[index] = override.value
            else:
                node = node[index]
            continue
        if not isinstance(node, dict):
            _fail(override, f"'{shown}' holds a single value, not keys")
        tp_next, kind = child(tp, key)
        if not kind:
            where = f"'{shown}'" if shown else "the top level"
            hint = did_you_mean(key, model_keys(tp), prefix=f"{shown}." if shown else "")
            _fail(override, f"the format has no key '{key}' in {where}{hint}")
        if last:
            node[key] = override.value
        elif key not in node or node[key] is None:
            if kind == "entry":
                _unknown_id(override, key, shown, node)
            if child(tp_next, 0)[1] == "item":
                here = ".".join(override.keys[: i + 1])
                _fail(override, f"the file has no '{here}' list: set it whole, e.g. {here}=[...]")
            node[key] = {}  # an optional key the file leaves out is added
        done.append(key)
        node, tp = node[key], tp_next
    return tuple(done)


def _unknown_id(
    override: Override, key: str, shown: str, known: Iterable[str], there: str | None = None
) -> NoReturn:
    """Fail naming the closest id; else the id of the item at position `key` (`there`), for
    a user who gave a position where an id belongs; else the ids there are."""
    known = sorted(known)
    hint = did_you_mean(key, known)
    if not hint and there is not None:
        hint = f"; its items are addressed by id: item {key} is '{shown}.{there}'"
    elif not hint and known:
        listed = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        hint = f"; the ids there are {listed}"
    _fail(override, f"unknown id '{key}' in '{shown}'{hint}")


def _list_index(items: list[Any], key: str, shown: str, override: Override) -> int:
    ids = [item.get("id") for item in items if isinstance(item, dict)]
    if any(isinstance(i, str) for i in ids):
        for index, item in enumerate(items):
            if isinstance(item, dict) and item.get("id") == key:
                return index
        known = [i for i in ids if isinstance(i, str)]
        item = items[int(key)] if key.isdigit() and int(key) < len(items) else None
        there = item.get("id") if isinstance(item, dict) else None
        _unknown_id(override, key, shown, known, there if isinstance(there, str) else None)
    if key.isdigit() and int(key) < len(items):
        return int(key)
    _fail(
        override, f"'{shown}' is a list of {len(items)} items: address one by 0..{len(items) - 1}"
    )


def _fail(override: Override, message: str) -> NoReturn:
    raise ScenarioError([Problem(override.label, 0, 0, message)])
