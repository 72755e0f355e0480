"""Jobs on a Dask distributed cluster: a running scheduler (`tcp://host:8786`) or, for
`--scheduler local`, a LocalCluster of two single-threaded worker processes.

dask is optional (`pip install "acsasim[dask]"`) and imported only here. The scenarios are
scattered to every worker once; each job then ships three integers and returns a small
dict of KPIs. Workers on other machines need the same acsasim installed.
"""

from __future__ import annotations

import logging
import re
import signal
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from acsasim.experiments.runner import Job, Outcome, preload, run_job
from acsasim.scenario import Scenario

INSTALL_HINT = 'Dask is not installed: pip install "acsasim[dask]"'
CONNECT_TIMEOUT = "10s"  # how long to wait for a scheduler before saying it does not answer
PROBE_TIMEOUT = 5.0  # seconds: the connection test made before any work
DEFAULT_PORT = 8786
_ADDRESS = re.compile(r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+)"
                      r"(?::(?P<port>\d{1,5}))?/?$")  # fmt: skip


class DaskMissing(ImportError):
    """`--scheduler` was asked for and dask.distributed cannot be imported."""


class SchedulerUnreachable(ConnectionError):
    """The scheduler address did not answer."""


def check_address(address: str) -> None:
    """`local`, or `[tcp://|tls://]HOST[:PORT]` (port 8786 by default) that accepts a
    connection within PROBE_TIMEOUT: ValueError for a malformed address, SchedulerUnreachable
    for one that does not answer. Done before any work, so a typo costs seconds, not a study."""
    if address == "local":
        return
    match = _ADDRESS.match(address.strip())
    port = int(match["port"]) if match and match["port"] else DEFAULT_PORT
    if match is None or match["scheme"] not in (None, "tcp", "tls") or not 0 < port < 65536:
        raise ValueError(
            f"--scheduler {address!r} is not a scheduler address: give 'local' or "
            "tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786; tls:// too)"
        )
    host = match["host"].strip("[]")
    try:
        socket.create_connection((host, port), timeout=PROBE_TIMEOUT).close()
    except OSError as exc:
        raise SchedulerUnreachable(
            f"cannot reach the Dask scheduler at {address}: {exc.strerror or exc} "
            f"(waited up to {PROBE_TIMEOUT:g} s); is `dask scheduler` running there?"
        ) from None


def distributed() -> Any:
    try:
        import dask.distributed as distributed
    except ImportError:
        raise DaskMissing(INSTALL_HINT) from None
    return distributed


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Start the LocalCluster's processes with Ctrl-C ignored (they inherit it): a terminal
    sends SIGINT to the whole process group, and only this process should act on it, by
    recording what finished and closing the cluster, not each worker with a traceback."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals cannot be changed, nor will they arrive
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class DaskExecutor:
    def __init__(self, scenarios: Sequence[Scenario], address: str) -> None:
        self.distributed = distributed()
        self.scenarios = tuple(scenarios)
        self.address = address
        self.name = "dask LocalCluster (2 workers)" if address == "local" else f"dask {address}"
        self.cluster: Any = None
        self.client: Any = None
        self.data: Any = None
        self.futures: list[Any] = []

    def __enter__(self) -> DaskExecutor:
        d = self.distributed
        try:
            if self.address == "local":
                with _ctrl_c_ignored():
                    self.cluster = d.LocalCluster(
                        n_workers=2,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                        silence_logs=logging.ERROR,
                    )
                self.client = d.Client(self.cluster)
            else:
                self.client = d.Client(self.address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self.__exit__(None)
            raise SchedulerUnreachable(
                f"cannot reach the Dask scheduler at {self.address}: {exc}"
            ) from None
        self.client.run(preload)  # imports paid at start-up, on every worker, not by jobs
        # One copy of the scenarios on every worker; jobs refer to it by its future.
        self.data = self.client.scatter([self.scenarios], broadcast=True, hash=False)[0]
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.client is not None:
            if self.futures:
                self.client.cancel(self.futures)
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    def run(self, jobs: Sequence[Job]) -> Iterator[Outcome]:
        submit = self.client.submit
        self.futures = [submit(run_job, self.data, job, pure=False) for job in jobs]
        for future in self.distributed.as_completed(self.futures):
            yield future.result()
        self.futures = []
