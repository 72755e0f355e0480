"""Byte flips and truncations of every file of a run folder: `verify` catches each one,
naming the file, and readers refuse the folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from acsasim.output.books import load_books
from acsasim.output.runfolder import RunFolderError
from acsasim.runs.verify import verify


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_every_file_is_covered(tiny_report: Path) -> None:
    names = set(_files(tiny_report))
    assert {"manifest.json", "report.html", "ledger.sqlite", "orders.csv"} <= names
    assert any(n.startswith("charts/") and n.endswith(".svg") for n in names)


DAMAGES = ("flip the first byte", "flip a middle byte", "flip the last byte", "truncate to half")


@pytest.mark.parametrize("damage", DAMAGES)
def test_verify_catches_every_damage_of_every_file(
    tiny_report: Path, tmp_path: Path, damage: str
) -> None:
    missed = []
    for i, rel in enumerate(_files(tiny_report)):
        folder = Path(shutil.copytree(tiny_report, tmp_path / f"run{i}"))
        path = folder / rel
        data = path.read_bytes()
        changed = {
            "flip the first byte": lambda d: _flip(d, 0),
            "flip a middle byte": lambda d: _flip(d, len(d) // 2),
            "flip the last byte": lambda d: _flip(d, len(d) - 1),
            "truncate to half": lambda d: d[: len(d) // 2],
        }[damage](data)
        path.write_bytes(changed)
        found = verify(folder)
        if not any(str(path) in line for line in found):
            missed.append((rel, found))
        if rel in ("manifest.json", "postings.csv", "orders.csv", "scenario.yaml"):
            with pytest.raises(RunFolderError):
                load_books(folder)  # and a reader refuses it
        shutil.rmtree(folder)
    assert missed == []
