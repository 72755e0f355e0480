"""`acsasim report RUN_FOLDER` and `acsasim run --no-report`, through the CLI.

Two reports are drawn in all (each takes seconds): the one `run` writes by default, and
the one `report --against` rebuilds in its place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markupsafe import escape
from typer.testing import CliRunner

from acsasim.cli import app

DRILL = Path(__file__).parents[1] / "scenarios" / "jp-ph-joint-drill.yaml"
CHARTS = {
    "timeline",
    "stock",
    "provided",
    "balance",
    "outstanding",
    "shortfalls",
    "ceilings",
    "refusals",
}

runner = CliRunner()


def invoke(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The drill with its report (run's default) and without the agreement (--no-report)."""
    base = tmp_path_factory.mktemp("runs")
    code, output = invoke("run", DRILL, "--out", base / "with")
    assert code == 0, output
    code, output = invoke("run", DRILL, "--no-acsa", "--no-report", "--out", base / "without")
    assert code == 0, output
    return {"with": base / "with", "without": base / "without"}


def test_run_writes_charts_and_report_by_default(runs: dict[str, Path]) -> None:
    folder = runs["with"]
    assert (folder / "report.html").stat().st_size > 100_000
    names = {p.name for p in (folder / "charts").iterdir()}
    assert names == {f"{c}.{ext}" for c in CHARTS for ext in ("png", "svg")}
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")], "temp left"


def test_a_report_without_against_names_no_other_run(runs: dict[str, Path]) -> None:
    assert 'id="against"' not in (runs["with"] / "report.html").read_text(encoding="utf-8")


def test_run_no_report_skips_charts_and_page(runs: dict[str, Path]) -> None:
    folder = runs["without"]
    assert not (folder / "report.html").exists()
    assert not (folder / "charts").exists()
    assert (folder / "orders.csv").exists() and (folder / "summary.json").exists()


def test_report_rebuilds_from_the_folder_alone_against_another_run(runs: dict[str, Path]) -> None:
    folder = runs["with"]
    (folder / "charts" / "stale.png").write_bytes(b"from an older version")
    old_page = (folder / "report.html").read_text(encoding="utf-8")
    code, output = invoke("report", folder, "--against", runs["without"])
    assert code == 0, output
    assert output.strip() == str(folder / "report.html")
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page != old_page
    assert "the other run: the gap is what the agreement bought" in page
    # The page names the run it is set against, so it reads alone: folder, seed, policy, command.
    named = page[page.index('id="against"') : page.index("</header>")]
    assert str(runs["without"]) in named and "jp-ph-joint-drill" in named
    assert "asks allies never (national lines only)" in named
    command = json.loads((runs["without"] / "manifest.json").read_text())["command"]
    assert f"<code>{escape(' '.join(command))}</code>" in named
    assert not (folder / "charts" / "stale.png").exists()
    assert {p.stem for p in (folder / "charts").glob("*.png")} == CHARTS
    assert not [p for p in folder.iterdir() if p.name.startswith(".")], "temp files left"


def test_report_on_a_folder_that_is_not_a_run_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    code, output = invoke("report", tmp_path)
    assert code == 2
    assert "not a run folder" in output and "scenario.yaml" in output
    assert "Traceback" not in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_report_on_a_missing_folder_exits_2(tmp_path: Path) -> None:
    code, output = invoke("report", tmp_path / "nowhere")
    assert code == 2 and "not a folder" in output


def test_report_against_a_folder_that_is_not_a_run_folder_exits_2(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    before = (runs["without"] / "orders.csv").read_bytes()
    code, output = invoke("report", runs["without"], "--against", tmp_path)
    assert code == 2 and "not a run folder" in output
    assert not (runs["without"] / "report.html").exists()
    assert (runs["without"] / "orders.csv").read_bytes() == before


def test_report_is_listed_in_help() -> None:
    code, output = invoke("--help")
    assert code == 0 and "report" in output
    code, output = invoke("run", "--help")
    assert "--no-report" in output
