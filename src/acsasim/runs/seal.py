"""Sealing a folder (its manifest written last, with the hash of every file) and changing
files of a sealed folder without ever leaving it looking tampered.

`seal` is the last write of a run or study: the manifest lists the SHA-256 of every file
then in the folder, and its presence marks the folder complete (output/integrity.py says
what readers check). `amend` changes files of a sealed run folder (`acsasim report`
redrawing the charts, `acsasim statement` adding a statement) in three steps, each atomic:

1. the manifest is rewritten with the new hashes, and the old hash of every file about to
   change kept under `amending`;
2. the files are replaced (each written whole, see atomic.py) or removed;
3. the manifest is rewritten without `amending`.

Interrupted anywhere, every file holds its old or its new content and the manifest accepts
both, so the folder stays readable and `acsasim verify` passes. Amendments of one folder
take turns (an exclusive lock on the folder), so two commands cannot lose each other's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from acsasim.output.integrity import (
    MANIFEST,
    SELF,
    folder_files,
    manifest_text,
    read_manifest,
    sha256_file,
)
from acsasim.runs.atomic import Pending, write_text
from acsasim.runs.errors import OutputError, explain

try:
    import fcntl
except ImportError:  # not POSIX: amendments cannot take turns
    fcntl = None  # type: ignore[assignment]  # the module is absent: None means no locking


def json_text(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


def seal(folder: Path, manifest: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Write `manifest` with the hash of every file of `folder` (but those in `skip`, which
    the caller removes afterwards: a study's progress store), last; returns it."""
    files = {rel: sha256_file(folder / rel) for rel in folder_files(folder) if rel not in skip}
    sealed = {**manifest, "files": files}
    write_text(folder / MANIFEST, manifest_text(sealed))
    return sealed


@contextmanager
def turn(folder: Path) -> Iterator[None]:
    """Wait for, then hold, the folder's amendment lock (released on exit or death)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise explain(folder, exc) from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def amend(
    folder: Path,
    changes: Mapping[str, Pending | None],
    update: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Put prepared files into a sealed folder (None removes a file), keeping the manifest
    true at every instant (see the module docstring); `update` adds manifest fields. Call
    it inside `turn(folder)`, having read what the new files are built from in the same
    turn. Returns the new manifest."""
    manifest, why = read_manifest(folder)
    if manifest is None:
        _discard(changes)
        raise OutputError(folder, why or "no manifest")
    old = _settled(folder, manifest)
    new = dict(old)
    for rel, pending in changes.items():
        if pending is None:
            new.pop(rel, None)
        else:
            new[rel] = sha256_file(pending.temp)
    base = {k: v for k, v in manifest.items() if k not in ("files", "amending", SELF)}
    base.update(update or {})
    amending = {rel: old.get(rel) for rel in changes}
    try:
        write_text(folder / MANIFEST, manifest_text({**base, "files": new, "amending": amending}))
    except BaseException:
        _discard(changes)
        raise
    try:
        for rel, pending in changes.items():
            if pending is None:
                _unlink(folder / rel)
            else:
                pending.commit()
    except BaseException:
        _discard(changes)
        raise
    final = {**base, "files": new}
    write_text(folder / MANIFEST, manifest_text(final))
    return final


def _settled(folder: Path, manifest: dict[str, Any]) -> dict[str, str]:
    """The manifest's `files`, with what an interrupted amendment left resolved: each file it
    was changing is recorded as it now is (its old or its new version, both written by
    acsasim), so this amendment starts from the truth."""
    files: dict[str, str] = dict(manifest["files"])
    for rel, before in (manifest.get("amending") or {}).items():
        path = folder / rel
        if not path.is_file():
            files.pop(rel, None)
        elif (actual := sha256_file(path)) in (files.get(rel), before):
            files[rel] = actual
    return files


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise explain(path, exc) from None


def _discard(changes: Mapping[str, Pending | None]) -> None:
    for pending in changes.values():
        if pending is not None:
            pending.discard()
