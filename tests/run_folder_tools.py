"""Helpers shared by the tests of run and study folders.

`reseal` recomputes the SHA-256 of every file a manifest lists, as someone who edits a
run folder and covers their tracks would: the hashes catch accidental and casual edits,
not a deliberate forger (the manual says so). Tests use it to reach the checks that lie
behind the hashes (a damaged scenario, unbalanced books).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path


def reseal(folder: Path) -> None:
    from acsasim.output.integrity import manifest_text

    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["files"] = {
        rel: hashlib.sha256((folder / rel).read_bytes()).hexdigest()
        for rel in manifest["files"]
        if (folder / rel).is_file()
    }
    path.write_text(manifest_text(manifest), encoding="utf-8")


ROOT = Path(__file__).parents[1]
TINY = ROOT / "tests" / "sim" / "golden" / "tiny.yaml"  # 2 days, 3 orders: ~0.1 s a run
DRILL = ROOT / "scenarios" / "jp-ph-joint-drill.yaml"


def cli_invoker() -> Callable[..., tuple[int, str, str]]:
    """acsasim in-process: (exit code, stdout, stderr); never an escaped exception."""
    from typer.testing import CliRunner

    from acsasim.cli import app

    runner = CliRunner()

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        result = runner.invoke(app, [str(a) for a in args])
        escaped = result.exception
        assert escaped is None or isinstance(escaped, SystemExit), repr(escaped)
        return result.exit_code, result.stdout, result.stderr

    return invoke


def study_files(folder: Path) -> dict[str, bytes]:
    """Every file of a study folder as bytes; manifest.json without the fields that differ
    between two runs of one study (when and how long, and the manifest's own hash)."""
    from acsasim.experiments.outputs import TIMING_FIELDS

    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "manifest.json":
            manifest = json.loads(data)
            for key in TIMING_FIELDS:
                manifest.pop(key)
            data = json.dumps(manifest, sort_keys=True).encode()
        files[str(path.relative_to(folder))] = data
    return files
