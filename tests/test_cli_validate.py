"""`acsasim validate`, `acsasim schema` and `acsasim --version`, as a user runs them."""

from __future__ import annotations

import json
import re
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

import acsasim
from acsasim.cli import app

ROOT = Path(__file__).parents[1]
DATA = ROOT / "tests" / "scenario" / "data"
VALID = sorted((DATA / "valid").glob("*.yaml"))
BAD = sorted((DATA / "bad").glob("*.yaml"))
EXAMPLES = sorted((ROOT / "scenarios").glob("*.yaml"))
FULL = DATA / "valid" / "full.yaml"
LOCATED = r"^{file}:\d+:\d+: .+$"

runner = CliRunner()


def located(path: Path) -> re.Pattern[str]:
    return re.compile(LOCATED.format(file=re.escape(str(path))))


# --- validate -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID + EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_validate_a_good_file(path: Path) -> None:
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{path}: ok\n"


def test_validate_several_good_files() -> None:
    files = [str(p) for p in VALID]
    result = runner.invoke(app, ["validate", *files])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{f}: ok" for f in files]


def test_validate_a_bad_file_prints_one_line_per_problem() -> None:
    path = DATA / "bad" / "several-problems.yaml"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert all(located(path).match(line) for line in lines), lines
    assert f"{path}:11:8: unknown key 'curency'; did you mean 'currency'?" in lines


def test_validate_checks_every_file_and_fails_if_one_fails() -> None:
    bad = DATA / "bad" / "unknown-site.yaml"
    result = runner.invoke(app, ["validate", str(FULL), str(bad), str(VALID[-1])])
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{FULL}: ok",
        f"{bad}:13:32: unknown site 'cmap'; did you mean 'camp'?",
        f"{VALID[-1]}: ok",
    ]


def test_validate_with_overrides() -> None:
    result = runner.invoke(app, ["validate", str(FULL), "--set", "seed=3", "--set", "tick=3h"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["validate", str(FULL), "--set", "duration=21"])
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        "--set duration=21: give a unit, e.g. 21h or 21d (a bare number is ambiguous)"
    ]


def test_validate_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{path}: cannot read the file")


def test_validate_without_a_file_is_a_usage_error() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "acsasim", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_the_bad_corpus_is_there() -> None:
    assert len(BAD) >= 35


def test_the_console_script_refuses_the_whole_corpus_without_a_traceback() -> None:
    """The real command, in its own process, over every bad file at once."""
    result = run_cli("validate", *map(str, BAD))
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output and "internal error" not in output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    for path in BAD:
        mine = [line for line in lines if line.startswith(f"{path}:")]
        assert mine, f"no problem reported for {path.name}"
        assert all(located(path).match(line) for line in mine), mine
    assert len(lines) == sum(len(expectations) for expectations in map(declared, BAD))


def declared(path: Path) -> list[str]:
    return [
        line
        for line in path.read_bytes().decode("latin-1").splitlines()
        if line.startswith("# expect: ")
    ]


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_python_m_acsasim_refuses_each_bad_file(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m acsasim validate FILE`, each file alone: its entry module run in-process
    (a process per file would take most of the suite's time; the test above runs one)."""
    monkeypatch.setattr(sys, "argv", ["acsasim", "validate", str(path)])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("acsasim", run_name="__main__", alter_sys=True)
    assert caught.value.code == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and err == ""
    lines = out.splitlines()
    assert len(lines) == len(declared(path))
    assert all(located(path).match(line) for line in lines), lines


@pytest.mark.parametrize(
    "name",
    [
        "not-utf8",
        "alias-bomb",
        "deeply-nested",
        "deeply-nested-block",
        "python-tag",
        "top-level-list",
    ],
)
def test_a_process_per_file_for_the_files_that_attack_the_reader(name: str) -> None:
    path = DATA / "bad" / f"{name}.yaml"
    result = run_cli("validate", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert all(located(path).match(line) for line in result.stdout.splitlines())


def test_the_console_script_says_ok_for_a_good_file() -> None:
    result = run_cli("validate", str(FULL))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{FULL}: ok\n"


def test_validate_imports_no_heavy_library() -> None:
    script = textwrap.dedent(
        f"""
        import sys
        import acsasim.cli
        sys.argv = ["acsasim", "validate", {str(FULL)!r}]
        try:
            acsasim.cli.main()
        except SystemExit as exc:
            print("exit", exc.code)
        print(sorted(m for m in ("simpy", "pandas", "matplotlib") if m in sys.modules))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{FULL}: ok", "exit 0", "[]"]


# --- schema -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema() -> dict[str, object]:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def as_json(path: Path) -> object:
    """A scenario file as JSON data: YAML dates become ISO strings, as in an editor."""
    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))


def test_schema_is_a_json_schema(schema: dict[str, object]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "acsasim" in schema["required"]


@pytest.mark.parametrize("path", VALID + EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_good_file_meets_the_schema(schema: dict[str, object], path: Path) -> None:
    jsonschema.Draft202012Validator(schema).validate(as_json(path))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"durration": "21d"}, "Additional properties"),
        ({"duration": 21}, "is not of type 'string'"),
        ({"duration": "21 days"}, "does not match"),
        ({"policy": {"acsa": "sometimes"}}, "is not one of"),
        ({"acsasim": 2}, "was expected"),
    ],
)
def test_the_schema_refuses_what_the_loader_refuses(
    schema: dict[str, object], change: dict[str, object], where: str
) -> None:
    data = as_json(FULL)
    assert isinstance(data, dict)
    data.update(change)
    with pytest.raises(jsonschema.ValidationError, match=where):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_the_schema_lets_stock_levels_default(schema: dict[str, object]) -> None:
    data = as_json(FULL)
    assert isinstance(data, dict)
    data["holders"][1]["stock"]["diesel"] = {"initial": 500}
    jsonschema.Draft202012Validator(schema).validate(data)


# --- version ------------------------------------------------------------------------------------


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"acsasim {acsasim.__version__}\n"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", acsasim.__version__)


# --- warnings, --strict, --json -----------------------------------------------------------------

SUSPICIOUS = DATA / "suspicious" / "unusable-agreement.yaml"


def test_warnings_are_printed_located_and_leave_exit_0() -> None:
    result = runner.invoke(app, ["validate", str(SUSPICIOUS)])
    assert result.exit_code == 0, result.output
    *warnings, verdict = result.stdout.splitlines()
    assert len(warnings) == 2
    assert all(re.match(rf"^{re.escape(str(SUSPICIOUS))}:\d+:\d+: warning: ", w) for w in warnings)
    assert verdict == f"{SUSPICIOUS}: ok, with 2 warnings"


def test_strict_fails_on_warnings_only_when_there_are_some() -> None:
    result = runner.invoke(app, ["validate", str(SUSPICIOUS), "--strict"])
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-1] == f"{SUSPICIOUS}: 2 warnings, refused under --strict"
    assert runner.invoke(app, ["validate", str(FULL), "--strict"]).exit_code == 0


def test_validate_json_is_the_whole_stdout() -> None:
    bad = DATA / "bad" / "unknown-site.yaml"
    result = runner.invoke(app, ["validate", str(FULL), str(SUSPICIOUS), str(bad), "--json"])
    assert result.exit_code == 2
    answer = json.loads(result.stdout)
    assert answer["ok"] is False
    by_file = {f["file"]: f for f in answer["files"]}
    assert by_file[str(FULL)] == {"file": str(FULL), "ok": True, "problems": [], "warnings": []}
    assert by_file[str(SUSPICIOUS)]["ok"] is True
    assert [w["severity"] for w in by_file[str(SUSPICIOUS)]["warnings"]] == ["warning"] * 2
    (problem,) = by_file[str(bad)]["problems"]
    assert problem == {
        "source": str(bad),
        "line": 13,
        "col": 32,
        "severity": "error",
        "message": "unknown site 'cmap'; did you mean 'camp'?",
    }


def test_validate_json_of_an_override_problem_has_no_position() -> None:
    result = runner.invoke(app, ["validate", str(FULL), "--set", "duration=21", "--json"])
    assert result.exit_code == 2
    (problem,) = json.loads(result.stdout)["files"][0]["problems"]
    assert (problem["source"], problem["line"], problem["col"]) == ("--set duration=21", None, None)
