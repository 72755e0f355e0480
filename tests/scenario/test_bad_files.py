"""The corpus of bad scenario files: each yields exactly the problems its `# expect:` lines name,
at the right FILE:LINE:COL, and nothing else."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from scenario_files import BAD, MINIMAL, expectations, unmatched

from acsasim.scenario import Problem, ScenarioError, load_scenario
from acsasim.scenario.source import MAX_BYTES


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value.problems


def test_the_corpus_is_complete() -> None:
    assert len(BAD) >= 35
    undeclared = [p.name for p in BAD if not expectations(p)]
    assert undeclared == [], "every bad file declares its problems with '# expect:'"


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_reports_exactly_its_problems(path: Path) -> None:
    problems = problems_of(path)
    missing, unexpected = unmatched(path, problems)
    shown = [str(p) for p in problems]
    assert missing == [], f"expected problems not reported; got {shown}"
    assert unexpected == [], f"unexpected problems: {unexpected}"
    for problem in problems:
        assert problem.source == str(path)
        assert str(problem) == f"{path}:{problem.line}:{problem.col}: {problem.message}"


def test_the_non_utf8_file_really_is_not_utf8() -> None:
    raw = (BAD[0].parent / "not-utf8.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    (problem,) = problems_of(path)
    assert (problem.line, problem.col) == (1, 1)
    assert "the file is empty" in problem.message


def test_a_file_over_10_mb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    text = MINIMAL.read_text()
    padding = MAX_BYTES - len(text.encode()) + 1
    # Valid YAML all along: only the size can be the problem.
    path.write_text(text + "# " + "x" * (padding - 3) + "\n")
    assert path.stat().st_size == MAX_BYTES + 1
    (problem,) = problems_of(path)
    assert str(problem) == f"{path}:1:1: {problem.message}"
    assert "limited to 10 MB" in problem.message


def test_deep_brackets_are_refused_quickly(tmp_path: Path) -> None:
    # PyYAML's scanner slows with the square of the bracket depth: without a limit, this
    # 1 MB file would keep `acsasim validate` busy for days.
    path = tmp_path / "brackets.yaml"
    path.write_text("acsasim: 1\nx: " + "[" * 2**20)
    started = time.perf_counter()
    (problem,) = problems_of(path)
    assert time.perf_counter() - started < 5
    assert (problem.line, problem.col) == (2, 68)
    assert "nests too deeply" in problem.message


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    (problem,) = problems_of(path)
    assert str(problem).startswith(f"{path}: cannot read the file")


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert load_scenario(path).name == "minimal"


def test_a_bom_does_not_shift_columns(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes().replace(b"7d", b"7"))
    (problem,) = problems_of(path)
    assert (problem.line, problem.col) == (5, 11)
