"""Helpers for tests that edit run folders on purpose.

`reseal` recomputes the SHA-256 of every file a manifest lists, as someone who edits a
run folder and covers their tracks would: the hashes catch accidental and casual edits,
not a deliberate forger (the manual says so). Tests use it to reach the checks that lie
behind the hashes (a damaged scenario, unbalanced books).
"""

from __future__ import annotations

import hashlib
import json
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
