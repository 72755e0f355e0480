"""Many runs: replications with confidence intervals, sweeps, with-vs-without comparisons,
serial, on a process pool, or on a Dask cluster; resumable through a progress store.

`replicate`, `sweep` and `compare` (api.py) are the Python entry points; the CLI commands
in cli/experiment_cmds.py add the experiment folder, progress and --resume.
"""

from acsasim.experiments.api import compare, replicate, sweep
from acsasim.experiments.results import StudyResult
from acsasim.experiments.runner import replication_seeds

__all__ = ["StudyResult", "compare", "replicate", "replication_seeds", "sweep"]
