"""The command line: a thin shell over the library, and the only place that prints or exits.

Each group of commands lives in its own module and registers itself on `app`.
Exit codes (docs/reference/cli.md): 0 success, 2 bad input, 1 internal error.
Heavy libraries (simpy, pandas, matplotlib) are imported inside the commands that
need them, so `acsasim validate` starts fast.
"""

from acsasim.cli import (  # noqa: F401  (importing registers the commands)
    books_cmds,
    experiment_cmds,
    report_cmd,
    run_cmd,
    runs_cmds,
    scenario_cmds,
    serve_cmd,
)
from acsasim.cli.app import app, main

__all__ = ["app", "main"]
