"""What can go wrong when acsasim writes: the user's to fix (exit 2), never a crash.

`OutputError` names the path and the cause in plain words: a full disk, a read-only file
system, a missing permission, a file-size limit, a path through a file. The command line
prints it and exits 2; nothing half-written is left (see atomic.py).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

# errno -> what to tell the user, beyond the system's own words.
_HINTS = {
    errno.ENOSPC: "the disk is full; free some space or write elsewhere",
    errno.EDQUOT: "the disk quota is used up; free some space or write elsewhere",
    errno.EROFS: "the file system is read-only; write elsewhere",
    errno.EACCES: "permission denied; write elsewhere or change the folder's permissions",
    errno.EPERM: "operation not permitted; write elsewhere",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "a folder is in the way",
    errno.EFBIG: "the file would exceed the file-size limit (ulimit -f)",
    errno.ENAMETOOLONG: "the name is too long for the file system",
    errno.ENOENT: "a folder on the path does not exist",
}


class OutputError(Exception):
    """A file or folder could not be written; `path` and `cause` say where and why."""

    def __init__(self, path: Path | str, cause: str, message: str | None = None) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(message or f"cannot write {path}: {cause}")


# SQLite reports the same failures in its own words (sqlite3 errors' `sqlite_errorname`).
_SQLITE = {
    "SQLITE_FULL": errno.ENOSPC,
    "SQLITE_READONLY": errno.EROFS,
    "SQLITE_PERM": errno.EACCES,
}


def explain(path: Path | str, exc: BaseException) -> OutputError:
    """An OSError (or SQLite's word for one) as an OutputError naming `path`."""
    if isinstance(exc, OutputError):
        return exc
    name = str(getattr(exc, "sqlite_errorname", ""))
    if name in _SQLITE:
        return explain(path, OSError(_SQLITE[name], name))
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        return OutputError(
            path, f"the disk refused the write: full, read-only or a file-size limit ({name})"
        )
    code = getattr(exc, "errno", None)
    if isinstance(code, int) and code in _HINTS:
        return OutputError(path, f"{_HINTS[code]} ({errno.errorcode[code]})")
    if isinstance(code, int) and code:
        return OutputError(path, f"{os.strerror(code)} ({errno.errorcode.get(code, code)})")
    return OutputError(path, str(exc) or type(exc).__name__)


class FolderExists(OutputError):
    """The folder asked for is taken: it exists and is not empty, or a process writes it."""

    def __init__(self, path: Path | str, why: str) -> None:
        super().__init__(path, why, f"{path} {why}")
