"""Edits of a scenario said as `--set PATH=VALUE` overrides on its file.

The workbench never changes a scenario file: whatever is edited (in its form or its YAML
editor) becomes overrides on the original, which `acsasim run FILE --set ...` reproduces.
`overrides_between(original, edited)` compares the file's data with the edited data and
says each difference as an override; the loader applying them to the original file gives
the edited scenario:

- a mapping: compared key by key; a key the edit adds is set whole; a key it removes makes
  its parent be set whole (an override sets values, it cannot remove a key; at the top
  level the key is set to null);
- a list whose items carry ids, in the same order: compared item by item, each addressed
  by its id (`holders.jp-coy.stock.diesel.initial`); a list of the same length without
  ids: item by item, by index; any other change sets the list whole;
- anything else: set when it differs (9000 and 9000.0 are the same; true and 1 are not).

Values are written as one line of YAML, which is how `--set` reads them back.
"""

from __future__ import annotations

import json
import math
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


def overrides_between(original: Any, edited: Any) -> list[str]:
    """The `PATH=VALUE` overrides that turn `original` into `edited` (both plain data)."""
    found: list[tuple[Path_, Any]] = []
    _compare(original, edited, (), found)
    return [override_text(path, value) for path, value in found]


def override_text(path: Path_, value: Any) -> str:
    """`a.b.c=VALUE`, the value as one line of YAML."""
    return f"{'.'.join(str(p) for p in path)}={value_text(value)}"


def value_text(value: Any) -> str:
    """A value as one line that `--set` reads back as the same value: YAML's flow style,
    or JSON (which YAML reads too) when YAML would need several lines."""
    text = yaml.safe_dump(
        value, default_flow_style=True, width=math.inf, allow_unicode=True, sort_keys=False
    ).strip()
    text = text.removesuffix("\n...").strip()  # a lone scalar ends its document with '...'
    if "\n" in text:
        return json.dumps(value, ensure_ascii=False, default=str)
    return text


def same(a: Any, b: Any) -> bool:
    """Equal as a scenario means it: numbers by value, but a bool is not a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _compare(old: Any, new: Any, path: Path_, found: list[tuple[Path_, Any]]) -> None:
    if same(old, new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        if old.keys() - new.keys():
            if path:
                found.append((path, new))  # a key removed: the mapping is set whole
                return
            found += [((key,), None) for key in old if key not in new]
        for key, value in new.items():
            if key in old:
                _compare(old[key], value, (*path, key), found)
            else:
                found.append(((*path, key), value))
        return
    if isinstance(old, list) and isinstance(new, list):
        keys = _item_keys(old, new)
        if keys is not None:
            for key, a, b in zip(keys, old, new, strict=True):
                _compare(a, b, (*path, key), found)
            return
    found.append((path, new))


def _item_keys(old: list[Any], new: list[Any]) -> list[str | int] | None:
    """How to address the items of two lists compared item by item: by id when every item
    has one and the ids match in order, by index when neither list has ids and both are as
    long; None when the list must be set whole."""
    if len(old) != len(new):
        return None
    ids_old, ids_new = _ids(old), _ids(new)
    if ids_old is not None and ids_new is not None:
        return list(ids_old) if ids_old == ids_new else None
    if any(_has_id(x) for x in [*old, *new]):
        return None  # some items with ids, some without: set whole rather than guess
    return list(range(len(old)))


def _ids(items: list[Any]) -> list[str] | None:
    ids = [item.get("id") for item in items if isinstance(item, dict)]
    if len(ids) != len(items) or not all(isinstance(i, str) for i in ids):
        return None
    return [str(i) for i in ids] if len(set(ids)) == len(ids) else None


def _has_id(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), str)
