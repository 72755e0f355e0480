"""Claiming a folder's name before the work, and putting the whole folder there at the end;
readers never take a partial folder for a run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from acsasim.output.books import load_books
from acsasim.output.run_data import load_run
from acsasim.output.runfolder import RunFolderError
from acsasim.runs.claim import RUN, STUDY, claim
from acsasim.runs.errors import FolderExists


def test_the_same_name_asked_twice_gives_two_folders(tmp_path: Path) -> None:
    final = tmp_path / "reports" / "drill" / "20260101-000000-s7"
    a, b = claim(final, RUN, unique=True), claim(final, RUN, unique=True)
    assert (a.final, b.final) == (final, final.with_name(final.name + "-2"))
    assert a.partial.name == ".20260101-000000-s7.partial"
    for c in (a, b):
        (c.partial / "x.txt").write_text(c.final.name)
        assert c.finish() == c.final
    assert (final / "x.txt").read_text() == final.name
    assert sorted(p.name for p in final.parent.iterdir()) == [final.name, final.name + "-2"]


def test_a_name_given_with_out_is_refused_when_taken(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    with pytest.raises(FolderExists, match="exists and is not empty"):
        claim(taken, RUN, unique=False)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # no partial folder made


def test_an_empty_folder_given_with_out_is_used(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    c = claim(empty, RUN, unique=False)
    (c.partial / "a").write_text("a")
    assert c.finish() == empty and (empty / "a").is_file()


def test_a_name_being_written_or_left_by_a_dead_run_is_refused_and_explained(
    tmp_path: Path,
) -> None:
    out = tmp_path / "run"
    working = claim(out, RUN, unique=False)
    with pytest.raises(FolderExists, match=f"being written by process {os.getpid()}"):
        claim(out, RUN, unique=False)
    working.lock.release()  # its process is gone: the lock is free, the partial stays
    with pytest.raises(FolderExists, match="acsasim clean"):
        claim(out, RUN, unique=False)


def test_a_finished_folder_never_lands_on_a_name_filled_meanwhile(tmp_path: Path) -> None:
    out = tmp_path / "run"
    c = claim(out, STUDY, unique=False)
    (c.partial / "result.csv").write_text("the result")
    out.mkdir()
    (out / "someone-else.txt").write_text("theirs")  # filled while the study ran
    assert c.finish() == tmp_path / "run-2"
    assert (tmp_path / "run-2" / "result.csv").read_text() == "the result"
    assert [p.name for p in out.iterdir()] == ["someone-else.txt"]


def test_readers_refuse_a_partial_folder_and_a_copy_of_one(run_copy: Path, tmp_path: Path) -> None:
    old_style = Path(shutil.copytree(run_copy, tmp_path / ".run.partial-999"))
    for load in (load_run, load_books):
        with pytest.raises(RunFolderError, match="is a partial folder"):
            load(old_style)
    (run_copy / "manifest.json").unlink()  # what a killed run's folder looks like, renamed
    for load in (load_run, load_books):
        with pytest.raises(RunFolderError, match="not a complete run folder: it has no manif"):
            load(run_copy)
