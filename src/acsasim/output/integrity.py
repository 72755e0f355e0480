"""What a run folder's manifest promises about its files, checked.

`manifest.json` is the last file a run writes, and so marks the folder complete. Its
`files` map holds the SHA-256 of every other file of the folder as it was written:
scenario.yaml, summary.json, ledger.sqlite, the CSVs, charts/ and report.html, and the
statement CSVs `acsasim statement` adds later (which updates the map, as `acsasim report`
does when it redraws the charts). While such an update is under way, `amending` holds the
previous hash of each file it changes, and either version is accepted: a folder stays
readable whichever instant an update is interrupted.

The manifest protects itself too: its last field, `manifest_sha256`, is the SHA-256 of the
file's own bytes with that value written as 64 zeros (`manifest_text` writes it,
`read_manifest` checks it), so a changed byte anywhere in it is seen.

Every reader runs `problems(folder, manifest)` (hashes only: cheap); `acsasim verify`
also asks `strict=True`, which reports files that are missing or that the manifest does
not list. Stdlib only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

MANIFEST = "manifest.json"
SELF = "manifest_sha256"
_ZEROS = "0" * 64
_SELF = re.compile(rb'"manifest_sha256": "([0-9a-f]{64})"\n}\n$')
# A folder still being written, or left by a process that died: `.NAME.partial` (a run),
# `NAME.partial` (a study), `.NAME.partial-PID` (a run of an older acsasim).
PARTIAL = re.compile(r"^\.?(?P<name>.+)\.partial(-\d+)?$")
# Never hashed: the manifest itself, and the lock or temporary files of a process at work.
_SKIPPED = (MANIFEST, ".lock")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder_files(folder: Path) -> list[str]:
    """Every regular file under `folder` as a relative POSIX path, sorted; the manifest,
    locks and temporary files of a writer at work are left out (not symbolic links)."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in names:
            path = Path(root) / name
            if name in _SKIPPED or (name.startswith(".") and ".tmp-" in name):
                continue
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(folder).as_posix())
    return sorted(found)


def manifest_text(manifest: dict[str, Any]) -> str:
    """The manifest as written: indented JSON ending with its own SHA-256 (see above)."""
    fields = {k: v for k, v in manifest.items() if k != SELF}
    blank = json.dumps({**fields, SELF: _ZEROS}, indent=2) + "\n"
    digest = hashlib.sha256(blank.encode("utf-8")).hexdigest()
    return blank[: -len(_ZEROS) - 4] + digest + blank[-4:]


def read_manifest(folder: Path) -> tuple[dict[str, Any] | None, str | None]:
    """(manifest, None), or (None, why it cannot be used)."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None, (
            f"{folder} is not a complete run folder: it has no {MANIFEST}, which a run "
            "writes last (an interrupted run, or a copy of one)"
        )
    raw = path.read_bytes()
    found = _SELF.search(raw)
    if found is None or _own_hash(raw, found) != found[1].decode():
        return None, f"{path}: changed since acsasim wrote it (its own SHA-256 does not match)"
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except ValueError as exc:  # bad JSON or bad UTF-8
        return None, f"{path}: cannot read it: {exc}"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None, (
            f"{path} records no file hashes: the folder was not written whole by this "
            "acsasim (an older version, or edited); run the scenario again"
        )
    return manifest, None


def _own_hash(raw: bytes, found: re.Match[bytes]) -> str:
    blank = raw[: found.start(1)] + _ZEROS.encode() + raw[found.end(1) :]
    return hashlib.sha256(blank).hexdigest()


def problems(folder: Path, manifest: dict[str, Any], strict: bool = False) -> list[str]:
    """One line per file that differs from what the manifest recorded. Without `strict`, a
    file that is gone is not a problem (its reader says if it needs it: ledger.sqlite and
    the CSVs stand in for each other); with it, missing and unlisted files are."""
    folder = Path(folder)
    files: dict[str, Any] = manifest.get("files", {})
    amending: dict[str, Any] = manifest.get("amending") or {}
    found: list[str] = []
    for rel in sorted({*files, *amending}):
        path = _inside(folder, rel)
        if path is None:
            found.append(f"{folder}: {MANIFEST} lists {rel!r}, a path outside the folder")
            continue
        if not path.is_file():
            absent_before = rel in amending and amending[rel] is None  # an addition cut off
            if strict and rel in files and not absent_before:
                found.append(f"{path}: missing (recorded in {MANIFEST})")
            continue
        actual = sha256_file(path)
        if actual not in (files.get(rel), amending.get(rel)):
            found.append(
                f"{path}: changed since acsasim wrote it (its SHA-256 differs from {MANIFEST})"
            )
    if strict:
        known = {*files, *amending}
        found += [
            f"{folder / rel}: not written by acsasim (not recorded in {MANIFEST})"
            for rel in folder_files(folder)
            if rel not in known
        ]
    return found


def _inside(folder: Path, rel: str) -> Path | None:
    """`folder/rel` if `rel` is a plain relative path (no '..', not absolute), else None."""
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        return None
    return folder.joinpath(*parts)
