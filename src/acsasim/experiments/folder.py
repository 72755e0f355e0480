"""The experiment folder: `reports/<name>/<timestamp>-<command>/` or `--out DIR`.

A study claims its name the way a run does (acsasim.runs.claim): an exclusive mkdir of
`<final>.partial/`, refused or numbered when taken, so two studies never share a folder.
The partial folder is visible and holds the progress store (every finished job committed)
and a lock naming the process that works on it. Ctrl-C or a crash leaves it consistent,
and `--resume <final>.partial` (or the final name) continues it: refused while another
process works on it, and taking over the lock of a process that is gone.

When the study completes, its files are written into the partial folder (each whole), the
manifest last with the SHA-256 of every file, then the folder is renamed to its final
name; the progress store and the lock are removed after that, so the final folder is the
same whether or not the study was ever interrupted.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from acsasim.experiments.store import FILE, Store, StoreError
from acsasim.runs.atomic import remove
from acsasim.runs.claim import STUDY, Claim, claim, default_folder, partial_of, reopen
from acsasim.runs.errors import FolderExists
from acsasim.runs.lock import LOCK, Owner, is_held

__all__ = ["FILE", "FolderExists", "create", "finish", "locate", "resume", "study_partial"]


def study_partial(final: Path) -> Path:
    return partial_of(final, STUDY)


def default_study_folder(reports: Path, name: str, command: str) -> Path:
    """reports/<name>/<timestamp>-<command>: the name asked for first (numbered if taken)."""
    return default_folder(reports, name, command)


def create(final: Path, spec: dict[str, Any], unique: bool = False) -> tuple[Claim, Store]:
    """Claim `final` for a new study and put its progress store in the partial folder."""
    claimed = claim(final, STUDY, unique)
    try:
        store = Store.create(claimed.partial, spec)
    except BaseException:
        claimed.abandon()
        raise
    return claimed, store


def locate(folder: Path) -> tuple[Path, Path]:
    """--resume FOLDER -> (partial folder, final folder); FOLDER may name either."""
    folder = Path(folder)
    if folder.name.endswith(".partial") and folder.is_dir():
        return folder, folder.with_name(folder.name.removesuffix(".partial"))
    if study_partial(folder).is_dir():
        return study_partial(folder), folder
    if (folder / "manifest.json").is_file():
        raise StoreError(f"{folder} is a finished study; there is nothing to resume")
    raise StoreError(f"no interrupted study at {folder} (looked for {study_partial(folder)})")


def check_free(partial: Path) -> None:
    """Refuse at once (before any work) a study another living process works on."""
    if is_held(partial):
        owner = Owner.read(partial)
        who = owner.describe() if owner else "another process"
        raise FolderExists(partial, f"is being worked on by {who}; wait for it to end")


def resume(partial: Path) -> tuple[Claim, Store]:
    """Lock an interrupted study's folder (taking over a dead process's lock) and open it."""
    claimed = reopen(partial)
    try:
        store = Store.open(partial)
    except BaseException:
        claimed.abandon(keep=True)
        raise
    return claimed, store


def finish(claimed: Claim, fill: Callable[[Path], None]) -> Path:
    """Write the study's files into the partial folder (`fill` seals it), rename it, then
    drop the progress store and the lock; returns where the study is."""
    fill(claimed.partial)
    final = claimed.finish()
    remove(final / FILE)
    remove(final / LOCK)
    return final
