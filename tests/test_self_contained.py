"""The repository is self-sufficient: no tracked file points to a path outside it.

A user who clones the repository has only what is in it; a reference to a sibling folder
or to a developer's machine is a dead end for them. Checked: mentions of the project's
private design folder, absolute paths of the development machines, and Markdown links
(manual and README) that climb out of the folder they must stay in.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Written in two parts so that this file does not match itself.
FORBIDDEN = (
    ("shared" + "/design", "the design folder outside the repository"),
    ("/" + "work/", "an absolute path on a development machine"),
)
LINK = re.compile(r"\]\(([^)\s]+)")
SKIP_SUFFIXES = (".png", ".svg", ".sqlite", ".gz", ".ico", ".woff", ".woff2")


def tracked_files() -> list[Path]:
    """The files git tracks (what a clone has); without git, every file but the usual
    build and environment folders."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout
        return [REPO / name for name in out.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "site", "reports", "__pycache__", "build", "dist"}
        return [
            p for p in REPO.rglob("*") if p.is_file() and not skip & set(p.relative_to(REPO).parts)
        ]


FILES = [p for p in tracked_files() if p.is_file() and not p.name.endswith(SKIP_SUFFIXES)]


def test_the_repository_is_listed() -> None:
    names = {p.relative_to(REPO).as_posix() for p in FILES}
    assert {"README.md", "mkdocs.yml", "docs/index.md", "src/acsasim/cli/app.py"} <= names


@pytest.mark.parametrize(("text", "what"), FORBIDDEN)
def test_no_file_refers_outside_the_repository(text: str, what: str) -> None:
    found = []
    for path in FILES:
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(content.splitlines(), 1):
            if text in line:
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()[:80]}")
    assert found == [], f"{what}:\n" + "\n".join(found)


def test_links_stay_inside_the_manual_and_the_repository() -> None:
    docs = REPO / "docs"
    bad = []
    for path in [p for p in FILES if p.suffix == ".md"]:
        root = docs if docs in path.parents else REPO
        for target in LINK.findall(path.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or an anchor on the same page
            resolved = (path.parent / target.split("#")[0]).resolve()
            if root != resolved and root not in resolved.parents:
                bad.append(f"{path.relative_to(REPO)}: {target}")
    assert bad == []
