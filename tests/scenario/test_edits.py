"""Edits said as `--set` overrides (scenario/edits.py): applied to the original file by the
loader, the overrides give exactly the edited scenario, for edits of every shape."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from acsasim.scenario import dump_scenario, load_scenario, load_text
from acsasim.scenario.edits import overrides_between, same, value_text
from acsasim.scenario.overrides import parse_override
from acsasim.scenario.source import read_file

DRILL = Path(__file__).parents[2] / "scenarios" / "jp-ph-joint-drill.yaml"


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _drop(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return edit


EDITS = {
    "a stock level": (_set(["holders", 2, "stock", "diesel", "initial"], 5000),  # jgsdf-coy
                      ["holders.jgsdf-coy.stock.diesel.initial=5000"]),
    "a key the file leaves out": (_set(["agreements", 0, "ceilings"], {"value": 1e6}), None),
    "a list of methods": (_set(["agreements", 0, "settlement", "methods"], ["cash"]),
                          ["agreements.JP-PH-ACSA.settlement.methods=[cash]"]),
    "a removed key": (_drop(["holders", 2, "consumption"]), None),
    "a phase, by index": (_set(["timeline", 0, "to"], "4d"), ["timeline.0.to=4d"]),
    "a text with a newline": (_set(["description"], "two\nlines: here"), None),
    "the policy": (_set(["policy"], {"acsa": "never"}), ["policy.acsa=never"]),
    "a holder removed from a list": (lambda d: d["holders"].pop(), None),
}  # fmt: skip


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_the_overrides_give_the_edited_scenario(edit: str) -> None:
    original, _ = read_file(DRILL)
    edited = copy.deepcopy(original)
    change, expected = EDITS[edit]
    change(edited)
    sets = overrides_between(original, edited)
    if expected is not None:
        assert sets == expected
    try:
        wanted = dump_scenario(load_text(yaml.safe_dump(edited, sort_keys=False), "edited"))
    except Exception as exc:  # an edit that makes an invalid scenario: the same refusal
        with pytest.raises(type(exc)):
            load_scenario(DRILL, sets)
        return
    assert dump_scenario(load_scenario(DRILL, sets)) == wanted


def test_no_edit_is_no_override() -> None:
    original, _ = read_file(DRILL)
    assert overrides_between(original, copy.deepcopy(original)) == []


@pytest.mark.parametrize(
    "value",
    [7, 2.5, "30d", "7", "yes", None, True, [1, "a"], {"triangular": ["1d", "2d", "3d"]},
     "a: b", "line one\nline two", "2026-01-15"],
)  # fmt: skip
def test_a_value_reads_back_as_itself(value: Any) -> None:
    text = value_text(value)
    assert "\n" not in text
    assert same(parse_override(f"x={text}").value, value), text


def test_numbers_are_the_same_but_a_bool_is_not_a_number() -> None:
    assert same(9000, 9000.0) and same({"a": [1]}, {"a": [1.0]})
    assert not same(True, 1) and not same(0, False) and not same("1", 1)
