"""The tweak-run-compare loop in a real browser (playwright on the machine's Chromium)
against a real `acsasim serve`: open a scenario, change a stock level, run, see the KPI
change, compare with the run without the agreement; type a mistake in the YAML editor and
see it at its line. Nothing is fetched from anywhere but the workbench, and no page logs
an error.

Screenshots of each step are written to the test's temporary folder; with
ACSASIM_SCREENSHOTS=DIR they are copied there (the manual's are made with
ACSASIM_SCREENSHOTS=docs/workbench and committed).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from workbench_tools import DUO, start_server, stop_server

from acsasim.output.kpi_labels import describe, number
from acsasim.runs.clean import find_leftovers
from acsasim.runs.verify import verify
from acsasim.scenario import load_scenario
from acsasim.sim import simulate
from browser_tools import Watch, chromium

CHANGE = "holders.jp-coy.stock.diesel.initial"
VALUE = "1000"
KPI = "value_provided.PH->JP"
SHOT = {"width": 1280, "height": 860}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("served")
    (root / "scenarios").mkdir()
    shutil.copy(DUO, root / "scenarios" / "duo.yaml")
    # run where the folders are, as a user would: the pages show `scenarios/duo.yaml`
    process, url = start_server(Path("scenarios"), Path("reports"), cwd=root)
    try:
        yield url, root / "reports"
    finally:
        code, err = stop_server(process)
        assert code == 0, err
    assert find_leftovers(root / "reports") == []


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any, server: tuple[str, Path]) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport=SHOT, base_url=server[0])
    page = context.new_page()
    watch = Watch(page)
    yield page, watch
    context.close()
    assert watch.errors == []
    assert [u for u in watch.requests if not u.startswith((server[0], "data:"))] == []


def shoot(page: Any, name: str, tmp_path: Path, full: bool = False) -> Path:
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=full)
    assert shot.stat().st_size < 300_000, f"{name}.png is too big for the manual"
    if keep := os.environ.get("ACSASIM_SCREENSHOTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    return shot


def kpi_cells(page: Any, key: str) -> list[str]:
    return page.locator(f'#kpis tr[data-kpi="{key}"] td.num').all_inner_texts()


def expected(sets: list[str], no_acsa: bool = False) -> str:
    """The KPI as the library computes it for the same file and overrides, as shown."""
    extra = ["policy.acsa=never"] if no_acsa else []
    kpis = simulate(load_scenario(DUO, [*sets, *extra])).kpis
    value = kpis["value_provided"].get("PH->JP")
    return number(value, describe(KPI, "USD")) if value is not None else "-"


def test_change_a_stock_level_run_and_compare_without_the_agreement(
    page: tuple[Any, Watch], server: tuple[str, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    p, _ = page
    p.goto("/")
    p.click("text=duo")
    expect(p.locator("h1")).to_have_text("duo")
    p.click("summary:has-text('Stock levels')")
    field = p.locator(f'input[name="set:{CHANGE}"]')
    expect(field).to_have_value("3000")
    field.fill(VALUE)
    expect(p.locator("#command")).to_contain_text(f"--set {CHANGE}={VALUE}")
    expect(p.locator("#preview")).to_have_attribute("data-ok", "yes")
    field.scroll_into_view_if_needed()
    shoot(p, "workbench-form", tmp_path)

    p.click("#form-changes button.run")
    p.wait_for_url("**/run/**", timeout=90_000)
    changed = kpi_cells(p, KPI)
    assert changed == [expected([f"{CHANGE}={VALUE}"])]
    assert changed != [expected([])], "the change of stock level changes the KPI"
    expect(p.locator("pre.command").first).to_contain_text(f"--set {CHANGE}={VALUE}")
    folder = server[1] / p.url.split("/run/", 1)[1]
    assert verify(folder) == []
    hover = p.locator("figure.stock rect.hover title").first
    assert re.fullmatch(r"2026-06-01: jp-coy [\d,]+ L; ph-depot [\d,]+ L", hover.text_content())
    shoot(p, "workbench-run", tmp_path)

    p.click("#without")
    p.wait_for_url("**/compare?**", timeout=90_000)
    expect(p.locator("h1")).to_have_text("Two runs side by side")
    first, second = kpi_cells(p, KPI)[:2]
    assert first == changed[0] and second == "-"  # no ACSA: nothing provided
    fill = kpi_cells(p, "fill_rate.diesel")
    assert fill[0] == "100.0" and float(fill[1]) < 50 and fill[2].startswith("-")
    shoot(p, "workbench-compare", tmp_path)


def test_a_mistake_in_the_yaml_editor_is_shown_at_its_line(
    page: tuple[Any, Watch], tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    p, _ = page
    p.goto("/scenarios/duo")
    editor = p.locator("#yaml")
    text = editor.input_value()
    line = text.splitlines().index("duration: 10d") + 1
    editor.fill(text.replace("duration: 10d", "duration: ten days"))
    problem = p.locator(f'#problems li[data-line="{line}"]')
    expect(problem).to_contain_text(f"line {line}")
    expect(problem).to_contain_text("ten days")
    expect(p.locator(f'#gutter span[data-line="{line}"]')).to_have_class("bad")
    expect(p.locator("#preview")).to_have_attribute("data-ok", "no")
    editor.evaluate("e => e.scrollTop = 0")
    shoot(p, "workbench-yaml-error", tmp_path)

    editor.fill(text.replace("duration: 10d", "duration: 12d"))
    expect(p.locator("#command")).to_contain_text("--set duration=12d")
    expect(p.locator("#problems li.error")).to_have_count(0)


def test_a_run_shows_its_progress_and_can_be_cancelled(page: tuple[Any, Watch]) -> None:
    from playwright.sync_api import expect

    p, _ = page
    p.goto("/scenarios/duo")
    p.locator('input[name="set:duration"]').fill("20000d")  # long enough to be seen running
    p.click("#form-changes button.run")
    p.wait_for_url("**/jobs/**")
    expect(p.locator("#job-status")).to_have_text("running", timeout=30_000)
    expect(p.locator("#job-stage")).to_have_text("simulate", timeout=30_000)
    p.click("#cancel")
    expect(p.locator("#job-status")).to_have_text("cancelled", timeout=30_000)
