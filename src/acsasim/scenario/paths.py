"""Walking the scenario format's types along a path of keys.

Used to name the keys that are valid at a place (for "did you mean" hints) and
to check `--set` paths against the format before anything is changed.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from acsasim.scenario.model import HolderSet


def _unwrap(tp: Any) -> list[Any]:
    """The concrete alternatives of a type: Annotated and Optional peeled away."""
    if get_origin(tp) is Annotated:
        return _unwrap(get_args(tp)[0])
    if get_origin(tp) in (Union, types.UnionType):
        return [t for arg in get_args(tp) for t in _unwrap(arg) if t is not type(None)]
    return [tp]


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    return {f.alias or name: f.annotation for name, f in model.model_fields.items()}


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel) and tp is not HolderSet


def model_keys(tp: Any) -> list[str]:
    """The keys a mapping of this type may hold (empty if it is not a model)."""
    return [k for alt in _unwrap(tp) if _is_model(alt) for k in _fields(alt)]


def child(tp: Any, key: str | int) -> tuple[Any, str]:
    """The type found under `key`, and what kind of container held it.

    The kind is 'field' (a model's key), 'entry' (a mapping keyed by ids),
    'item' (a list), or '' when the type has nothing under that key.
    """
    for alt in _unwrap(tp):
        origin = get_origin(alt)
        if _is_model(alt):
            fields = _fields(alt)
            if key in fields:
                return fields[key], "field"
        elif origin is dict:
            return get_args(alt)[1], "entry"
        elif origin in (tuple, list):
            args = get_args(alt)
            if (len(args) == 2 and args[1] is Ellipsis) or origin is list:
                return args[0], "item"
            if isinstance(key, int) and 0 <= key < len(args):
                return args[key], "item"
    return None, ""


def type_at(root: Any, path: tuple[str | int, ...]) -> Any:
    """The type at `path` (pydantic error locations may hold union tags: they are skipped)."""
    tp = root
    for key in path:
        found, _ = child(tp, key)
        if found is not None:
            tp = found
    return tp
