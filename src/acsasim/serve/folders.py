"""The reports folder as the workbench lists it: every run folder and study folder (and
what runs that died left behind), newest first, grouped by scenario; and a run folder as
a zip to download.

A folder is listed by its manifest alone (written last: a folder with one is complete);
opening a run's page reads it as every reader does, refusing a changed folder by name.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from acsasim.output.integrity import MANIFEST, PARTIAL

DEPTH = 4  # how deep under the reports folder run folders are looked for
STUDIES = ("replicate", "sweep", "compare")


@dataclass(frozen=True)
class Entry:
    path: str  # relative to the reports folder, with '/'
    name: str  # the folder's own name
    scenario: str
    kind: str  # run | replicate | sweep | compare | partial
    created: str
    seed: str
    command: str

    @property
    def is_study(self) -> bool:
        return self.kind in STUDIES


def entries(reports: Path) -> list[Entry]:
    """Every run and study folder under `reports`, newest first."""
    found: list[Entry] = []
    root = Path(reports)
    if not root.is_dir():
        return found
    for here, dirs, files in os.walk(root):
        folder = Path(here)
        depth = len(folder.relative_to(root).parts)
        if PARTIAL.match(folder.name):
            found.append(_entry(root, folder, {}, "partial"))
            dirs.clear()
        elif MANIFEST in files and depth > 0:
            manifest = _manifest(folder)
            kind = str(manifest.get("command")) if "study" in manifest else "run"
            found.append(_entry(root, folder, manifest, kind))
            dirs.clear()  # a run's charts/ holds no run
        elif depth >= DEPTH:
            dirs.clear()
        dirs.sort()
    return sorted(found, key=lambda e: (e.created, e.path), reverse=True)


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _entry(root: Path, folder: Path, manifest: dict[str, Any], kind: str) -> Entry:
    command = manifest.get("command", "")
    if isinstance(command, list):
        command = " ".join(str(c) for c in command)
    return Entry(
        folder.relative_to(root).as_posix(),
        folder.name,
        str(manifest.get("scenario", folder.parent.name)),
        kind,
        str(manifest.get("created") or manifest.get("finished") or ""),
        str(manifest.get("seed", "")),
        str(command),
    )


def runs_of(reports: Path, scenario: str) -> list[Entry]:
    """The run folders of one scenario, newest first (to pick one to compare with)."""
    return [e for e in entries(reports) if e.kind == "run" and e.scenario == scenario]


def zipped(folder: Path) -> bytes:
    """The run folder as a zip whose entries sit under the folder's name; only its regular
    files (no symbolic link is followed out of it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()
