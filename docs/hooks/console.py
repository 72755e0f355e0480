"""Run acsasim commands as a user would type them, and show what they print.

The manual's examples are real: each is run at build time in a scratch folder that holds a
copy of the repository's `scenarios/` (so paths read as they do from a clone), and its
output is pasted into the page. A command that fails stops the build with its output.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from acsasim.cli import app

REPO = Path(__file__).resolve().parents[2]


class CommandFailed(RuntimeError):
    """An example command exited with an unexpected code: the manual would show a lie."""


@dataclass(frozen=True)
class Shown:
    command: str
    code: int
    stdout: str
    stderr: str

    def block(self, limit: int | None = None, stderr: bool = False) -> str:
        """A console block: the command line, then what it printed (first `limit` lines)."""
        text = (self.stderr if stderr else self.stdout).rstrip("\n").splitlines()
        if limit is not None and len(text) > limit:
            text = [*text[:limit], "..."]
        return "\n".join(["```console", f"$ {self.command}", *text, "```"])


class Workspace:
    """A scratch folder laid out like a clone: scenarios/ and whatever the pages add."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(REPO / "scenarios", root / "scenarios")

    def run(self, command: str, expect: int = 0) -> Shown:
        """Run `acsasim ...` here; CommandFailed unless it exits with `expect`."""
        args = shlex.split(command)
        assert args[0] == "acsasim", command
        with _inside(self.root), _argv(args):
            result = CliRunner().invoke(app, args[1:], prog_name="acsasim")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise CommandFailed(f"{command}: {result.exception!r}") from result.exception
        shown = Shown(command, result.exit_code, result.stdout, result.stderr)
        if result.exit_code != expect:
            raise CommandFailed(
                f"{command} exited {result.exit_code}, expected {expect}:\n"
                f"{result.stdout}{result.stderr}"
            )
        return shown

    def newest(self, pattern: str) -> Path:
        """The most recent folder matching `pattern` (a run or study folder just written)."""
        found = sorted(self.root.glob(pattern))
        if not found:
            raise CommandFailed(f"no folder matches {pattern} in {self.root}")
        return found[-1].relative_to(self.root)


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


@contextlib.contextmanager
def _argv(args: list[str]) -> Iterator[None]:
    """The command line the run folder's manifest records, as the user typed it."""
    old = sys.argv
    sys.argv = args
    try:
        yield
    finally:
        sys.argv = old


def code(text: str, language: str = "") -> str:
    return "\n".join([f"```{language}", text.rstrip("\n"), "```"])
