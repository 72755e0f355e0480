"""The scenario files the tests use, and the `# expect:` lines of the bad corpus.

A bad file declares each problem it must produce on a first-lines comment:
``# expect: LINE:COL message fragment``; ``...`` in a fragment skips any text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
VALID_DIR = DATA / "valid"
BAD_DIR = DATA / "bad"
FULL = VALID_DIR / "full.yaml"
MINIMAL = VALID_DIR / "minimal.yaml"
VALID = sorted(VALID_DIR.glob("*.yaml"))
BAD = sorted(BAD_DIR.glob("*.yaml"))
# Legal but probably not meant: each declares the warnings it must produce, like a bad file.
SUSPICIOUS = sorted((DATA / "suspicious").glob("*.yaml"))
# The project's example scenarios: whatever scenarios/*.yaml holds when the tests run.
EXAMPLES = sorted((Path(__file__).parents[2] / "scenarios").glob("*.yaml"))

_EXPECT = re.compile(r"^# expect: (\d+):(\d+) (.+)$")


def expectations(path: Path) -> list[tuple[int, int, str]]:
    """The (line, col, fragment) a bad file declares; latin-1 reads even a non-UTF-8 file."""
    found = []
    for line in path.read_bytes().decode("latin-1").splitlines():
        match = _EXPECT.match(line)
        if match:
            found.append((int(match[1]), int(match[2]), match[3]))
    return found


def fragment_in(fragment: str, message: str) -> bool:
    """Whether `message` holds `fragment`, where '...' in the fragment stands for any text."""
    pattern = ".*".join(re.escape(part.strip()) for part in fragment.split("..."))
    return re.search(pattern, message) is not None


def unmatched(path: Path, found: list[Any]) -> tuple[list[str], list[str]]:
    """(expected but not found, found but not expected): `found` are Problems of `path`."""
    left = list(found)
    missing = []
    for line, col, fragment in expectations(path):
        hit = next(
            (
                p
                for p in left
                if (p.line, p.col) == (line, col) and fragment_in(fragment, p.message)
            ),
            None,
        )
        if hit is None:
            missing.append(f"{line}:{col} {fragment}")
        else:
            left.remove(hit)
    return missing, [str(p) for p in left]
