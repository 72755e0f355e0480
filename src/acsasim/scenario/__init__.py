"""The user's scenario file, checked: models, loader, overrides."""

from acsasim.scenario.errors import Problem, ScenarioError
from acsasim.scenario.load import (
    dump_scenario,
    load_scenario,
    load_text,
    load_with_warnings,
    text_with_warnings,
)
from acsasim.scenario.model import Scenario

__all__ = [
    "Problem",
    "Scenario",
    "ScenarioError",
    "dump_scenario",
    "load_scenario",
    "load_text",
    "load_with_warnings",
    "text_with_warnings",
]
