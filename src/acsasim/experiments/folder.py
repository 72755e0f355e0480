"""The experiment folder: `reports/<name>/<timestamp>-<command>/` or `--out DIR`.

The run-folder rule holds (a folder that exists is whole; nothing is overwritten), with a
twist for long studies: while a study runs it lives in a visible sibling,
`<final>.partial/`, holding its progress store. Ctrl-C or a crash leaves that folder as
it is, consistent (every finished job committed), and `--resume <final>.partial` (or the
final name) continues it. When the study completes, its files are written into the
partial folder, which is then renamed to the final name; the progress store is removed
last, so the final folder is the same whether or not the study was ever interrupted.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from acsasim.experiments.store import FILE, Store, StoreError
from acsasim.output.rundir import FolderExists, check_free, default_folder

SUFFIX = ".partial"


def partial_of(final: Path) -> Path:
    return final.with_name(final.name + SUFFIX)


def default_study_folder(reports: Path, name: str, command: str) -> Path:
    """reports/<name>/<timestamp>-<command>, unique among finished and partial studies."""
    folder = default_folder(reports, name, command)
    n = 1
    while partial_of(folder).exists():
        n += 1
        folder = folder.with_name(f"{folder.name}-{n}")
    return folder


def check_new(final: Path) -> None:
    """Refuse a final folder that is taken, or that has an interrupted study beside it."""
    check_free(final)
    partial = partial_of(final)
    if partial.exists():
        raise FolderExists(
            f"{partial} holds an interrupted study: continue it with --resume {partial}, "
            "or choose another --out (nothing was written)"
        )


def create(final: Path, spec: dict[str, Any]) -> tuple[Path, Store]:
    """Make `<final>.partial` with its progress store; it appears only once it holds one."""
    check_new(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    temp = final.parent / f".{final.name}.starting-{os.getpid()}"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    Store.create(temp, spec).close()
    partial = partial_of(final)
    temp.rename(partial)
    return partial, Store.open(partial)


def locate(folder: Path) -> tuple[Path, Path]:
    """--resume FOLDER -> (partial folder, final folder); FOLDER may name either."""
    if folder.name.endswith(SUFFIX) and folder.is_dir():
        return folder, folder.with_name(folder.name[: -len(SUFFIX)])
    if partial_of(folder).is_dir():
        return partial_of(folder), folder
    if (folder / "manifest.json").is_file():
        raise StoreError(f"{folder} is a finished study; there is nothing to resume")
    raise StoreError(f"no interrupted study at {folder} (looked for {partial_of(folder)})")


def finish(partial: Path, final: Path, fill: Callable[[Path], None]) -> Path:
    """Write the study's files into the partial folder, rename it, drop the progress store."""
    check_free(final)
    fill(partial)
    if final.exists():
        final.rmdir()  # empty (checked above)
    partial.rename(final)
    (final / FILE).unlink(missing_ok=True)
    return final
