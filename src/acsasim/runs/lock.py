"""The lock of a folder being written: which process works on it, and whether it still lives.

A folder in progress (a run's `.NAME.partial`, a study's `NAME.partial`) holds a file
`.lock` with the owner's process id, host, start time and command. The process holds an
exclusive `flock` on that file for as long as it works; the operating system releases it
the moment the process ends, however it ends (kill -9 included). So:

- a second process that wants the folder (a second `--resume`) finds the lock held and is
  refused, naming the owner;
- a lock left by a process that is gone is free: the next process takes it over, and
  `acsasim clean` knows the folder is abandoned. The process id in the file is shown to
  the user; whether the owner lives is the lock's answer, which a reused process id cannot
  fool.

Locks are advisory and local: they hold between processes of one machine on a local disk
(POSIX `flock`; elsewhere a lock never excludes, and `clean` treats every lock as held).
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acsasim.runs.errors import FolderExists, explain

try:
    import fcntl
except ImportError:  # not a POSIX system: no exclusion, and every lock counts as held
    fcntl = None  # type: ignore[assignment]  # the module is absent: None means no locking

LOCK = ".lock"


@dataclass(frozen=True)
class Owner:
    """Who holds (or held) a folder's lock, as its lock file says."""

    pid: int | None
    host: str
    started: float | None
    command: list[str]
    kind: str  # "run" or "study"

    @classmethod
    def read(cls, folder: Path) -> Owner | None:
        try:
            data = json.loads((folder / LOCK).read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict):
            return None
        return cls(
            data.get("pid"),
            str(data.get("host", "")),
            data.get("started"),
            list(data.get("command", [])),
            str(data.get("kind", "")),
        )

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.started or 0))
        return f"process {self.pid} on {self.host or 'an unknown host'}, started {when}"


class Lock:
    """An exclusive lock on a folder, held until `release` or the end of the process."""

    def __init__(self, folder: Path, fd: int, taken_over: Owner | None) -> None:
        self.folder = folder
        self.fd = fd
        self.taken_over = taken_over  # the previous owner, gone, whose lock this took over

    @classmethod
    def acquire(cls, folder: Path, kind: str) -> Lock:
        """Lock `folder` for this process; FolderExists if a living process holds it."""
        path = folder / LOCK
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise explain(path, exc) from None
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            owner = Owner.read(folder)
            who = owner.describe() if owner else "another process"
            raise FolderExists(folder, f"is being worked on by {who}; wait for it to end") from None
        previous = Owner.read(folder)
        try:
            _write_owner(fd, kind)
        except OSError as exc:
            os.close(fd)
            raise explain(path, exc) from None
        return cls(folder, fd, previous if previous and previous.pid else None)

    def release(self, remove: bool = False) -> None:
        """Let go of the lock; with `remove`, delete the lock file first (while still held,
        so no other process can take a lock on a file about to vanish)."""
        if self.fd < 0:
            return
        if remove:
            (self.folder / LOCK).unlink(missing_ok=True)
        os.close(self.fd)
        self.fd = -1


def is_held(folder: Path) -> bool:
    """Whether a living process holds `folder`'s lock (False when there is no lock file)."""
    try:
        fd = os.open(folder / LOCK, os.O_RDONLY)
    except OSError:
        return False
    try:
        if fcntl is None:
            return True  # cannot tell: never call a folder abandoned
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases the shared lock just taken, if it was
    return False


def _write_owner(fd: int, kind: str) -> None:
    owner: dict[str, Any] = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": time.time(),
        "command": ["acsasim", *sys.argv[1:]],
        "kind": kind,
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(owner).encode("utf-8"), 0)
    os.fsync(fd)
