"""A run collects garbage less often, and leaves the process's collector as it found it."""

import gc
import threading

from acsasim.sim.gc_tuning import RUN_THRESHOLD, fewer_collections


def test_the_threshold_is_raised_during_the_run_and_restored_after() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] >= RUN_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
        assert gc.isenabled()  # fewer collections, not none: cycles are still freed
    assert gc.get_threshold() == before


def test_restored_even_when_the_run_fails() -> None:
    before = gc.get_threshold()
    try:
        with fewer_collections():
            raise RuntimeError("a run that stops on an R15 breach")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before


def test_overlapping_runs_in_threads_restore_once_the_last_ends() -> None:
    before = gc.get_threshold()
    inside, release = threading.Barrier(3), threading.Event()

    def run() -> None:
        with fewer_collections():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()  # both runs are going
    assert gc.get_threshold()[0] >= RUN_THRESHOLD
    release.set()
    for t in threads:
        t.join()
    assert gc.get_threshold() == before
