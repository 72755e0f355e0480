"""The one way acsasim writes a file or makes a folder: whole or not at all.

Every file of a run folder, a study folder, a statement, an export or a report is written
through `write_bytes` / `write_text` (or `prepare` then `Pending.commit`, when several files
must change together, see seal.py): the bytes go to a temporary name beside the target
(`.NAME.tmp-PID-N`), are flushed to the disk (fsync), and only then renamed over the target,
and the folder itself is synced so the rename survives a power cut. A reader therefore sees
the old file or the new one, never a half-written one; a failure (full disk, read-only file
system, a missing permission, a file-size limit) removes the temporary file and raises an
OutputError that names the path and the cause.

`new=True` refuses to replace an existing file (the name is linked into place, which fails
when the name is taken): an export never overwrites a user's file, even one that appeared
while it was being written.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from acsasim.runs.errors import OutputError, explain

_COUNTER = itertools.count()


def temporary_name(path: Path) -> Path:
    """A hidden sibling of `path`, unique to this process and call."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{next(_COUNTER)}")


def is_temporary(name: str) -> bool:
    """Whether `name` is one that `temporary_name` makes (left only by a killed process)."""
    return name.startswith(".") and ".tmp-" in name


@dataclass
class Pending:
    """A file written and synced under its temporary name, waiting to be renamed into place."""

    temp: Path
    target: Path
    new: bool = False

    def commit(self) -> Path:
        try:
            if self.new:
                os.link(self.temp, self.target)  # fails if the name was taken meanwhile
                os.unlink(self.temp)
            else:
                os.replace(self.temp, self.target)
            sync_folder(self.target.parent)
        except FileExistsError:
            self.discard()
            raise OutputError(self.target, "it exists (nothing was overwritten)") from None
        except OSError as exc:
            self.discard()
            raise explain(self.target, exc) from None
        return self.target

    def discard(self) -> None:
        _unlink_quietly(self.temp)


def prepare(path: Path, data: bytes | Callable[[Path], None], *, new: bool = False) -> Pending:
    """Write `data` (bytes, or a function that writes the file it is given) under a temporary
    name beside `path` and sync it; the target is untouched until `commit`."""
    path = Path(path)
    temp = temporary_name(path)
    try:
        if callable(data):
            data(temp)
            _sync_file(temp)
        else:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
    except BaseException as exc:
        _unlink_quietly(temp)
        if isinstance(exc, OSError):
            raise explain(path, exc) from None
        raise
    return Pending(temp, path, new)


def _unlink_quietly(path: Path) -> None:
    """Remove a temporary file if it is there; a file system that refuses even that (read-
    only: then nothing was written either) must not hide the error being reported."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes | Callable[[Path], None], *, new: bool = False) -> Path:
    """Write a whole file atomically (see the module docstring); returns its path."""
    return prepare(path, data, new=new).commit()


def write_text(path: Path, text: str, *, new: bool = False) -> Path:
    return write_bytes(path, text.encode("utf-8"), new=new)


def make_folder(path: Path) -> Path:
    """Make a folder and its missing parents (an existing folder is fine)."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder of the path should be
        raise explain(path, OSError(errno.ENOTDIR, "Not a directory")) from None
    except OSError as exc:
        raise explain(path, exc) from None
    return Path(path)


def remove(path: Path) -> None:
    """Remove a file, or a folder with everything in it; an absent path is fine."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise explain(path, exc) from None


def rename_folder(source: Path, target: Path) -> None:
    """Rename a folder into place (over an empty folder of that name), then sync the parent.
    The caller handles OSError: a name taken meanwhile is a decision, not a failure."""
    os.rename(source, target)
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder, so the names created or renamed in it are on the disk."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # a folder we cannot open (another platform) cannot be synced either
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse to sync a folder; the rename itself is still atomic
    finally:
        os.close(fd)


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
