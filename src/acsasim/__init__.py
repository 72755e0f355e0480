"""acsasim: simulate logistics cross-servicing under ACSAs, with double-entry books.

The public API: `load_scenario(path, overrides)`, `simulate(scenario, seed)`,
`RunResult`, and for many runs `replicate`, `sweep` and `compare`. The engine is
imported on first use, so loading a scenario stays fast.
"""

from typing import Any

from acsasim.scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.1.0"
__all__ = [
    "RunResult",
    "Scenario",
    "ScenarioError",
    "compare",
    "load_scenario",
    "replicate",
    "simulate",
    "sweep",
]


def __getattr__(name: str) -> Any:
    if name == "simulate":
        from acsasim.sim import simulate

        return simulate
    if name in ("replicate", "sweep", "compare"):
        from acsasim.experiments import api

        return getattr(api, name)
    if name == "RunResult":
        from acsasim.result import RunResult

        return RunResult
    raise AttributeError(f"module 'acsasim' has no attribute {name!r}")
