"""`--help` as a new user reads it, and the command line in a pipe that closes early.

Help: commands in the order of the workflow, an example under every command, flags without a
type (`<bool>`), and help text without the source's line breaks (the terminal wraps it).
Pipes: `acsasim ... | head -1` ends quietly with exit 0; the real command runs in its own
process with its stdout on a pipe whose reading end is already closed, so the first write
breaks the pipe, whatever the size of the output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from acsasim.cli import app
from acsasim.cli.help import WORKFLOW

ROOT = Path(__file__).parents[1]
FULL = ROOT / "tests" / "scenario" / "data" / "valid" / "full.yaml"
runner = CliRunner()


def _commands() -> dict[str, object]:
    group = get_command(app)
    return {name: group.commands[name] for name in group.list_commands(None)}  # type: ignore[attr-defined]


COMMANDS = tuple(_commands())  # the workflow's, then those added later (verify, clean)


def test_commands_are_listed_in_the_order_of_the_workflow() -> None:
    names = list(_commands())
    assert names[: len(WORKFLOW)] == list(WORKFLOW)
    assert {"verify", "clean"} <= set(names[len(WORKFLOW) :])
    assert WORKFLOW == (
        "validate", "run", "report", "statement", "export",
        "replicate", "sweep", "compare", "schema",
    )  # fmt: skip
    listed = runner.invoke(app, ["--help"], env={"COLUMNS": "200"}).stdout
    where = [listed.index(f" {name} ") for name in WORKFLOW]
    assert where == sorted(where), "the root help lists the commands in workflow order"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_an_example_in_its_epilog(name: str) -> None:
    command = _commands()[name]
    assert f"acsasim {name} " in (command.epilog or "")  # type: ignore[attr-defined]
    shown = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"}).stdout
    assert "Examples:" in shown and f"acsasim {name} " in shown.split("Examples:")[1]


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_help_shows_no_bool_type_for_flags(name: str | None) -> None:
    args = ["--help"] if name is None else [name, "--help"]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout
    assert "--help" in result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_help_text_has_no_hard_wrapped_lines(name: str) -> None:
    """Within a paragraph of a command's help there is no line break: at 200 columns every
    paragraph is one line, so a sentence never stops halfway across a wide terminal."""
    text = _commands()[name].help  # type: ignore[attr-defined]
    for paragraph in text.split("\n\n"):
        assert "\n" not in paragraph, paragraph
    shown = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"}).stdout
    first = text.split("\n\n")[0]
    assert first in shown


# --- pipes ---------------------------------------------------------------------------------------


def closed_pipe(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m acsasim ARGS` with stdout on a pipe nobody reads (as `| head -0`)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "acsasim", *map(str, args)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
    finally:
        os.close(write)


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_cli_run import SCENARIO

    folder = tmp_path_factory.mktemp("pipes")
    scenario = folder / "drill.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    result = runner.invoke(app, ["run", str(scenario), "--out", str(folder / "run"), "--no-report"])
    assert result.exit_code == 0, result.output
    return folder / "run"


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],  # written by rich
        ["schema"],
        ["validate", FULL],
        ["statement", "RUN", "--parties", "JP,PH"],
        ["export", "RUN", "--format", "beancount"],
    ],
    ids=["help", "schema", "validate", "statement", "export"],
)
def test_a_closed_pipe_ends_the_command_quietly_with_exit_0(
    args: list[str | Path], run_folder: Path
) -> None:
    result = closed_pipe(*(run_folder if a == "RUN" else a for a in args))
    assert (result.returncode, result.stderr) == (0, "")


def test_head_on_a_real_pipe(run_folder: Path) -> None:
    """What a user types: `acsasim statement RUN --parties JP,PH | head -1`."""
    command = f"{sys.executable} -m acsasim statement {run_folder} --parties JP,PH | head -1"
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("Statement of account JP - PH")


def test_a_failure_keeps_its_exit_code_when_nothing_breaks_the_pipe(tmp_path: Path) -> None:
    command = f"{sys.executable} -m acsasim validate {tmp_path / 'none.yaml'} | head -1"
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 2
    assert "cannot read the file" in result.stdout
