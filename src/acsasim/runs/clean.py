"""`acsasim clean`: what processes that died left behind, found and (on request) removed.

A run killed while it writes leaves its hidden partial folder (`.NAME.partial`); a study
killed or interrupted leaves `NAME.partial` (which `--resume` can continue); a process
killed in the middle of writing one file leaves a hidden temporary file (`.NAME.tmp-PID-N`),
and one killed while claiming a name a hidden `.NAME.claim.tmp-PID-N` folder.
None of them is ever read as a result, and none is removed silently: `find_leftovers`
lists them, saying whether the process that owns each is alive (its lock, see lock.py; a
temporary file's process id), and `remove_leftovers` removes those whose process is gone:
interrupted studies only when asked, since they can still be resumed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from acsasim.output.integrity import PARTIAL
from acsasim.runs.atomic import remove
from acsasim.runs.lock import Owner, is_held

# A partial folder with no lock file yet may be a process in its first instant.
YOUNG_SECONDS = 60.0


@dataclass(frozen=True)
class Leftover:
    path: Path
    kind: str  # "run" (a partial run folder), "study" (an interrupted study), "file"
    pid: int | None
    alive: bool

    def describe(self) -> str:
        who = f"process {self.pid}" if self.pid else "an unknown process"
        state = "still running" if self.alive else "gone"
        what = {
            "run": "partial run folder",
            "study": "interrupted study (acsasim <command> --resume it)",
            "file": "half-made folder" if self.path.is_dir() else "half-written file",
        }[self.kind]
        return f"{self.path}: {what}; {who} {state}"


def find_leftovers(root: Path) -> list[Leftover]:
    """Every partial folder and temporary file under `root`, sorted by path."""
    found: list[Leftover] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        for name in list(dirs):
            if PARTIAL.match(name):
                dirs.remove(name)  # a partial folder is one leftover, not a tree to search
                found.append(_partial(here / name))
            elif _is_temporary(name):  # a folder being claimed when its process died
                dirs.remove(name)
                found.append(_temporary(here / name))
        found += [_temporary(here / n) for n in files if _is_temporary(n)]
    return sorted(found, key=lambda x: str(x.path))


def remove_leftovers(leftovers: list[Leftover], studies: bool = False) -> list[Leftover]:
    """Remove those whose process is gone (interrupted studies only with `studies`);
    returns what was removed."""
    removed = []
    for item in leftovers:
        if item.alive or (item.kind == "study" and not studies):
            continue
        remove(item.path)
        removed.append(item)
    return removed


def _partial(path: Path) -> Leftover:
    owner = Owner.read(path)
    kind = owner.kind if owner and owner.kind else ("run" if path.name.startswith(".") else "study")
    if owner is not None:
        return Leftover(path, kind, owner.pid, is_held(path))
    # No lock file: an older acsasim's `.NAME.partial-PID`, or a process in its first instant.
    pid = _pid_in_name(path.name)
    return Leftover(path, kind, pid, _pid_alive(pid) if pid else _young(path))


def _temporary(path: Path) -> Leftover:
    pid = _pid_in_name(path.name)
    return Leftover(path, "file", pid, pid is not None and _pid_alive(pid))


def _is_temporary(name: str) -> bool:
    return name.startswith(".") and ".tmp-" in name


def _pid_in_name(name: str) -> int | None:
    """`.X.tmp-PID-N` and `.X.partial-PID` (an older acsasim) carry their process id."""
    for marker in (".tmp-", ".partial-"):
        if marker in name:
            digits = name.rsplit(marker, 1)[1].split("-")[0]
            return int(digits) if digits.isdigit() else None
    return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    except OSError:
        return True  # cannot tell: never call it gone
    return True


def _young(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime < YOUNG_SECONDS
    except OSError:
        return False
