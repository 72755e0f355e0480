"""Interruption and --resume: what finished is kept, Ctrl-C exits 130 with the resume line,
and a study killed half-way and resumed writes the same files as an uninterrupted one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from acsasim.experiments import runner
from acsasim.experiments.store import FILE
from conftest import snapshot

# study -> (arguments, jobs finished before the interruption)
STUDIES = {
    "replicate": (["replicate", "drill.yaml", "-n", "6"], 3),
    "sweep": (["sweep", "drill.yaml", "--vary", "policy.acsa=first,never", "-n", "3"], 3),
    "compare": (["compare", "drill.yaml", "--no-acsa", "-n", "3"], 3),
    # stages of 4, 8 and 12 replications: interrupted in the second stage
    "precision": ([
        "replicate", "drill.yaml", "-n", "4", "--precision", "0.01",
        "--kpi", "unmet_demand.water", "--max-n", "12",
    ], 5),
}  # fmt: skip


def _interrupt_after(monkeypatch: pytest.MonkeyPatch, k: int) -> None:
    """The (k+1)-th job raises KeyboardInterrupt, as Ctrl-C would."""
    real, calls = runner.run_job, []

    def job(scenarios, j):
        calls.append(j)
        if len(calls) > k:
            raise KeyboardInterrupt
        return real(scenarios, j)

    monkeypatch.setattr(runner, "run_job", job)


@pytest.mark.parametrize("study", sorted(STUDIES))
def test_resumed_study_equals_an_uninterrupted_one(
    study: str, cli, drill: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args, k = STUDIES[study]
    # Each study in its own directory under the same relative names, so the recorded
    # definitions (file name, no --out in it) are the same.
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    for d in (whole, broken):
        d.mkdir()
        (d / "drill.yaml").write_bytes(drill.read_bytes())
    monkeypatch.chdir(whole)
    assert cli(*args, "--out", "study")[0] == 0

    monkeypatch.chdir(broken)
    with monkeypatch.context() as m:
        _interrupt_after(m, k)
        code, stdout, stderr = cli(*args, "--out", "study")
    assert code == 130
    assert stdout == ""
    assert f"acsasim {args[0]} --resume study.partial" in stderr
    assert not Path("study").exists()
    con = sqlite3.connect(Path("study.partial") / FILE)
    assert con.execute("SELECT COUNT(*) FROM jobs").fetchone() == (k,)
    con.close()

    code, stdout, stderr = cli(args[0], "--resume", "study.partial")
    assert code == 0, stderr
    assert stdout.splitlines()[0] == "study"
    assert f"{k}/" in stderr and "already done" in stderr
    assert not Path("study.partial").exists()
    assert snapshot(broken / "study") == snapshot(whole / "study")
    assert not (broken / "study" / FILE).exists()


def test_resume_twice_interrupted_and_by_final_name(
    cli, drill: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path("s")
    with monkeypatch.context() as m:
        _interrupt_after(m, 2)
        assert cli("replicate", drill, "-n", "8", "--out", out)[0] == 130
    with monkeypatch.context() as m:
        _interrupt_after(m, 2)
        assert cli("replicate", "--resume", out)[0] == 130  # the final name also finds it
    code, _, stderr = cli("replicate", "--resume", out, "--jobs", "2")
    assert code == 0, stderr
    assert "4/8 already done" in stderr
    assert len((out / "replications.csv").read_text().splitlines()) == 9


def test_resume_refusals(cli, drill: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with monkeypatch.context() as m:
        _interrupt_after(m, 1)
        assert cli("replicate", drill, "-n", "4", "--out", "s")[0] == 130
    cases = [
        (["sweep", "--resume", "s.partial"], "is a replicate study"),
        (["replicate", drill, "--resume", "s.partial"], "give only --resume"),
        (["replicate", "--resume", "s.partial", "-n", "9"], "give only --resume"),
        (["replicate", "--resume", "elsewhere"], "no interrupted study"),
        (["replicate", drill, "-n", "4", "--out", "s"], "interrupted study"),
    ]
    for args, message in cases:
        code, stdout, stderr = cli(*args)
        assert code == 2, args
        assert stdout == ""
        assert message in stderr, (args, stderr)
        assert "Traceback" not in stderr
    assert cli("replicate", "--resume", "s")[0] == 0
    code, _, stderr = cli("replicate", "--resume", "s")
    assert code == 2 and "finished study" in stderr


HOLD = """
import sys, time
from pathlib import Path
from acsasim.runs.lock import Lock
Lock.acquire(Path(sys.argv[1]), "study")
print("locked", flush=True)
time.sleep(120)
"""


def test_a_second_resume_is_refused_and_a_dead_ones_lock_taken_over(
    cli, drill: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    with monkeypatch.context() as m:
        _interrupt_after(m, 1)
        assert cli("replicate", drill, "-n", "3", "--out", "s")[0] == 130
    other = subprocess.Popen([sys.executable, "-c", HOLD, "s.partial"], stdout=subprocess.PIPE)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == b"locked"
        code, stdout, stderr = cli("replicate", "--resume", "s.partial")
        assert code == 2 and stdout == ""
        assert f"s.partial is being worked on by process {other.pid}" in stderr
        other.send_signal(signal.SIGKILL)  # the other process dies without a word
        other.wait()
        code, stdout, stderr = cli("replicate", "--resume", "s.partial")
        assert code == 0, stderr
        assert f"took over from process {other.pid}" in stderr
        assert stdout.splitlines()[0] == "s" and not Path("s.partial").exists()
    finally:
        other.kill()
        other.wait()
