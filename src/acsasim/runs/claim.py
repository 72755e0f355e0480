"""Claiming a folder's name at the start of the work, and putting the finished folder there.

A run (or a study) takes its name before it does anything slow: it makes its partial
folder with an exclusive `mkdir` (only one process can make a given folder), and the name
is its own only if no finished folder holds it yet. Two runs of the same scenario and seed
started in the same second therefore get two names (`...-s7` and `...-s7-2`), and both
results are kept. The partial folder holds a lock (lock.py) naming the process.

- a run writes into `.NAME.partial` (hidden: a run is seconds to minutes of work);
- a study into `NAME.partial` (visible: it can be interrupted and `--resume`d).

When the work is complete, the partial folder is renamed to NAME in one step, so a folder
with the final name is always whole. Were NAME filled meanwhile by someone else (a user's
`--out` folder that was empty at the start), the result goes to the next free name
instead of being lost, and the caller says where.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from acsasim.output.integrity import PARTIAL
from acsasim.runs.atomic import make_folder, remove, rename_folder
from acsasim.runs.errors import FolderExists, explain
from acsasim.runs.lock import LOCK, Lock, Owner, is_held

RUN, STUDY = "run", "study"
_COUNTER = itertools.count()
SUFFIX = ".partial"


def partial_of(final: Path, kind: str) -> Path:
    """`.NAME.partial` for a run, `NAME.partial` for a study."""
    hidden = "." if kind == RUN else ""
    return final.with_name(f"{hidden}{final.name}{SUFFIX}")


def final_of(partial: Path) -> Path:
    """The final folder a partial folder is for (`.NAME.partial-123` of older acsasim too)."""
    match = PARTIAL.match(partial.name)
    return partial.with_name(match["name"]) if match else partial


def is_partial(folder: Path) -> bool:
    return PARTIAL.match(Path(folder).name) is not None


def default_folder(reports: Path, name: str, suffix: str) -> Path:
    """reports/<name>/<timestamp>-<suffix>: the name a run or study asks for first."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(reports) / name / f"{stamp}-{suffix}"


@dataclass
class Claim:
    """A name taken: the final folder-to-be and the locked partial folder written meanwhile."""

    final: Path
    partial: Path
    lock: Lock
    kind: str

    def finish(self) -> Path:
        """Rename the partial folder to its final name (or the next free one, were the final
        name filled meanwhile); returns where the folder is. The lock is held until the
        folder is in place (a run's lock file is removed first: a run folder holds none)."""
        if self.kind == RUN:
            with contextlib.suppress(OSError):
                (self.partial / LOCK).unlink()  # still held through its open file
        target = self.final
        for n in range(2, 10_000):
            try:
                rename_folder(self.partial, target)
                self.lock.folder = target
                self.lock.release()
                return target
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                    raise explain(target, exc) from None
            target = numbered(self.final, n)
        raise FolderExists(self.final, "and 10,000 numbered names beside it are taken")

    def abandon(self, keep: bool = False) -> None:
        """Give the name up after a failure: the partial folder is removed (a study's is kept,
        with its progress, for --resume)."""
        self.lock.release()
        if not keep:
            remove(self.partial)


def numbered(final: Path, n: int) -> Path:
    return final.with_name(f"{final.name}-{n}")


def claim(final: Path, kind: str, unique: bool) -> Claim:
    """Take `final` for a run or a study. With `unique` (a default name), a taken name gets
    the next number (-2, -3...); without (a name the user chose with --out), it is refused
    with FolderExists. Nothing is written when it is refused."""
    final = Path(final)
    if not unique and final.exists() and not final.is_dir():
        raise FolderExists(final, "exists and is not a folder; choose another --out")
    make_folder(final.parent)
    candidate = final
    for n in range(2, 10_000):
        taken = _take(candidate, kind)
        if isinstance(taken, Claim):
            return taken
        if not unique:
            raise FolderExists(candidate, taken)
        candidate = numbered(final, n)
    raise FolderExists(final, "and 10,000 numbered names beside it are taken")


def _take(final: Path, kind: str) -> Claim | str:
    """Take the partial folder of `final`: the Claim, or why the name is not free.

    The partial folder appears with its lock already in it: it is made and locked under a
    temporary name, then renamed, which fails when a partial folder of that name exists
    (it is never empty: it holds a lock). So every partial folder names its process, even
    one killed at its first instant."""
    partial = partial_of(final, kind)
    temp = final.with_name(f".{final.name}.claim.tmp-{os.getpid()}-{next(_COUNTER)}")
    try:
        os.mkdir(temp)
    except OSError as exc:
        raise explain(final, exc) from None  # the user's name for it, not the temporary one
    try:
        lock = Lock.acquire(temp, kind)
    except BaseException:
        remove(temp)
        raise
    try:
        os.rename(temp, partial)
    except OSError as exc:
        lock.release()
        remove(temp)
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
            return _why_taken(partial, kind)
        raise explain(partial, exc) from None
    lock.folder = partial
    # The partial folder is ours: a finished folder, or another kind's partial, may still
    # hold the name (a folder renamed into place before ours appeared is seen here).
    other = partial_of(final, STUDY if kind == RUN else RUN)
    if _filled(final) or other.exists():
        lock.release()
        remove(partial)
        return (
            "exists and is not empty; choose another --out (nothing was written)"
            if _filled(final)
            else f"is being written (see {other}); choose another --out"
        )
    return Claim(final, partial, lock, kind)


def _filled(folder: Path) -> bool:
    return folder.exists() and (not folder.is_dir() or any(folder.iterdir()))


def _why_taken(partial: Path, kind: str) -> str:
    if is_held(partial):
        owner = Owner.read(partial)
        who = owner.describe() if owner else "another process"
        return f"is being written by {who}; choose another --out"
    if kind == STUDY:
        return (
            f"has an interrupted study beside it: continue it with --resume {partial}, "
            "or choose another --out (nothing was written)"
        )
    return (
        f"has {partial} beside it, left by a run that did not finish; list and remove such "
        "folders with `acsasim clean`, or choose another --out (nothing was written)"
    )


def reopen(partial: Path) -> Claim:
    """Take over an interrupted study's partial folder, to resume it: refused while the
    process that works on it lives; a lock left by a process that is gone is taken over."""
    lock = Lock.acquire(partial, STUDY)
    return Claim(final_of(partial), partial, lock, STUDY)


__all__ = [
    "LOCK",
    "RUN",
    "STUDY",
    "Claim",
    "claim",
    "default_folder",
    "final_of",
    "is_partial",
    "partial_of",
    "reopen",
]
