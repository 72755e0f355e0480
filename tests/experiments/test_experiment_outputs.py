"""Progress display, the report page and the in-progress folder, each on its own."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from acsasim.experiments import folder, progress, replicate
from acsasim.experiments.report import page
from acsasim.experiments.runner import Outcome
from acsasim.experiments.store import FILE, Store, StoreError
from acsasim.runs.errors import FolderExists
from acsasim.scenario import load_text
from conftest import DRILL


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_progress_when_not_a_terminal() -> None:
    stream = io.StringIO()
    bar = progress.make(stream, "replications")
    assert isinstance(bar, progress.PlainProgress)
    with bar:
        bar.total(40, 20)
        for i in range(20):
            bar.advance(Outcome(0, i, i, 0.0, {}))
    lines = stream.getvalue().splitlines()
    assert lines[0] == "replications 20/40 already done"
    assert len(lines) == 1 + 10  # every 2 jobs (5% of 40), the last one included
    assert re.fullmatch(r"replications 40/40  [\d.]+/s  ~0s left", lines[-1])
    assert "\x1b" not in stream.getvalue()  # no control codes in a log file


def test_rich_progress_on_a_terminal() -> None:
    stream = _Tty()
    bar = progress.make(stream, "replications")
    assert isinstance(bar, progress.RichProgress)
    with bar:
        bar.total(3, 0)
        for i in range(3):
            bar.advance(Outcome(0, i, i, 0.0, {}))
    assert "3/3" in stream.getvalue()


def test_report_page_is_self_contained(tmp_path: Path) -> None:
    result = replicate(load_text(DRILL), 3)
    chart = tmp_path / "c.png"
    chart.write_bytes(b"\x89PNG fake")
    html = page(result, [chart])
    assert html.startswith("<!DOCTYPE html>")
    assert "data:image/png;base64," in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing fetched from a network
    assert "<script" not in html
    assert "unmet demand, water (L)" in html and "3 replications as asked" in html
    assert "unmet_demand" not in html  # human labels, never raw KPI keys


def test_partial_folder_life_cycle(tmp_path: Path) -> None:
    final = tmp_path / "reports" / "study"
    claimed, store = folder.create(final, {"command": "replicate"})
    store.close()
    partial = claimed.partial
    assert partial == tmp_path / "reports" / "study.partial"
    assert sorted(p.name for p in partial.iterdir()) == [".lock", FILE]
    assert folder.locate(partial) == (partial, final)
    assert folder.locate(final) == (partial, final)
    with pytest.raises(FolderExists, match="being worked on"):
        folder.resume(partial)  # a second --resume while the first one works
    claimed.lock.release()  # the first process is gone
    with pytest.raises(FolderExists, match="--resume"):
        folder.create(final, {})  # a new study may not start on top of an interrupted one
    again, store = folder.resume(partial)  # the lock of a process that is gone is taken over
    store.close()
    assert again.lock.taken_over is not None
    folder.finish(again, lambda f: (f / "manifest.json").write_text("{}"))
    assert [p.name for p in final.iterdir()] == ["manifest.json"]  # store and lock are gone
    assert not partial.exists()
    with pytest.raises(StoreError, match="finished study"):
        folder.locate(final)
    with pytest.raises(StoreError, match="not an interrupted study"):
        Store.open(tmp_path)


def test_default_folder_names_the_command_and_a_second_study_gets_its_own(tmp_path) -> None:
    first = folder.default_study_folder(tmp_path, "drill", "sweep")
    assert first.parent == tmp_path / "drill"
    assert re.fullmatch(r"\d{8}-\d{6}-sweep", first.name)
    a, store_a = folder.create(first, {}, unique=True)
    b, store_b = folder.create(first, {}, unique=True)  # the same second, the same name asked
    store_a.close()
    store_b.close()
    assert (a.final, b.final) == (first, first.with_name(first.name + "-2"))
