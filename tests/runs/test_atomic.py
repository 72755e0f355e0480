"""The one write helper: a file appears whole or not at all, and a failure of the machine
(full disk, read-only file system, permissions, file-size limit, a file in the way) is an
OutputError naming the path and the cause, with no temporary file left behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from acsasim.runs import atomic
from acsasim.runs.errors import OutputError

CAUSES = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "read-only",
    errno.EACCES: "permission denied",
    errno.EFBIG: "file-size limit",
    errno.ENOTDIR: "is a file, not a folder",
    errno.EDQUOT: "quota",
}


def test_a_file_is_written_whole_and_replaces_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    target.write_text("old\n")
    atomic.write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_new_refuses_an_existing_file_and_leaves_it(tmp_path: Path) -> None:
    target = tmp_path / "mine.beancount"
    target.write_text("keep me\n")
    with pytest.raises(OutputError, match="exists"):
        atomic.write_text(target, "theirs\n", new=True)
    assert target.read_text() == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.beancount"]


@pytest.mark.parametrize("code", sorted(CAUSES), ids=[errno.errorcode[c] for c in sorted(CAUSES)])
def test_a_failing_write_names_path_and_cause_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    target = tmp_path / "orders.csv"
    target.write_text("the old, whole file\n")
    real_write, calls = os.write, []

    def failing(fd: int, data: bytes) -> int:  # half the bytes get out, then the error
        calls.append(fd)
        if len(calls) > 1:
            raise OSError(code, os.strerror(code))
        return real_write(fd, bytes(data)[: max(1, len(data) // 2)])

    monkeypatch.setattr(atomic.os, "write", failing)
    with pytest.raises(OutputError) as caught:
        atomic.write_bytes(target, b"x" * 10_000)
    message = str(caught.value)
    assert str(target) in message and CAUSES[code] in message
    assert errno.errorcode[code] in message
    assert target.read_text() == "the old, whole file\n"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["orders.csv"]  # no temporary file


def test_a_file_in_the_way_of_a_folder_is_explained(tmp_path: Path) -> None:
    (tmp_path / "reports").write_text("a file, not a folder\n")
    with pytest.raises(OutputError, match=r"reports.*a part of the path is a file"):
        atomic.make_folder(tmp_path / "reports" / "drill")


def test_a_writer_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    def fill(path: Path) -> None:
        path.write_text("half")
        raise RuntimeError("the writer broke")

    with pytest.raises(RuntimeError):
        atomic.write_bytes(tmp_path / "ledger.sqlite", fill)
    assert list(tmp_path.iterdir()) == []
