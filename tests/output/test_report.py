"""The report page and the charts in a run folder: self-contained, complete, rebuilt whole."""

from __future__ import annotations

import base64
import io
import re
import shutil
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from markupsafe import escape
from PIL import Image

from acsasim import __version__
from acsasim.output import html
from acsasim.output.charts import PNG_DPI, WIDTH
from acsasim.runs import report as runs_report
from acsasim.runs.errors import OutputError
from acsasim.runs.report import RunFolderError, build_report

CHARTS = (
    "timeline",
    "stock",
    "provided",
    "balance",
    "outstanding",
    "shortfalls",
    "ceilings",
    "refusals",
)


@pytest.fixture(scope="module")
def page(drill_folder: Path) -> str:
    return (drill_folder / "report.html").read_text(encoding="utf-8")


def text_of(page: str) -> str:
    """The page's visible text, tags dropped and whitespace squeezed, for `in` checks."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_run_folder_has_every_chart_as_png_and_svg(drill_folder: Path) -> None:
    names = {p.name for p in (drill_folder / "charts").iterdir()}
    assert names == {f"{c}.{ext}" for c in CHARTS for ext in ("png", "svg")}
    assert not [p for p in drill_folder.iterdir() if p.name.startswith(".")], "temp files left"


def test_page_is_self_contained(page: str) -> None:
    assert f'content="{escape(html.CSP)}"' in page  # as the template escapes it
    assert "<script" not in page.lower()
    assert not re.search(r"<link\b", page, re.I)
    urls = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', page)
    assert urls and all(u.startswith(("data:image/png;base64,", "#")) for u in urls), {
        u[:40] for u in urls
    }
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page, re.I)
    assert "@media print" in page and "max-width: 40rem" in page


def test_every_chart_is_embedded_as_the_saved_png(page: str, drill_folder: Path) -> None:
    sources = re.findall(r'<img src="data:image/png;base64,([^"]+)"[^>]*alt="([^"]+)"', page)
    assert len(sources) == len(CHARTS)
    for data, _alt in sources:
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        assert image.size[0] == WIDTH * PNG_DPI
    stock = (drill_folder / "charts" / "stock.png").read_bytes()
    assert base64.b64encode(stock).decode() in page


def test_page_shows_the_scenario_at_a_glance(page: str, drill_loaded) -> None:
    text = text_of(page)
    s = drill_loaded.scenario
    for pid, party in s.parties.items():
        assert pid in text and party.name in text
    for ag in s.agreements:
        assert f"Agreement {ag.id}" in text
    assert "convert to cash" in text and "triangular 15d, 30d, 90d" in text
    assert "signed 2026-01-15" in text and "the standard exclusion list" in text
    assert "ceilings none" in text  # Japan's agreements set none (R14)
    for h in s.holders:
        assert h.id in text
    assert "Timeline: phases per holder" in text


def test_page_has_the_kpis_and_a_caption_per_chart(page: str, drill_loaded) -> None:
    text = text_of(page)
    k = drill_loaded.kpis
    assert f"ACSA orders {k['orders']}" in text
    for pair, value in k["value_provided"].items():
        assert f"{value:,.2f} USD" in text, pair
    assert f"{abs(k['outstanding_end']['JP-PH']):,.2f}" in text
    assert text.count("What to look for:") == len(CHARTS)


def test_every_key_figure_is_named_by_its_label(drill_loaded) -> None:
    """The key figures speak as the KPI table of `run` does (`kpi_labels`): aging, settlement
    and days to settle too, never a KPI's key."""
    from acsasim.output.kpi_labels import describe, flatten
    from acsasim.output.page_tables import kpis

    rows = dict(kpis(drill_loaded).rows)
    for column in flatten(drill_loaded.kpis):
        top = column.split(".")[0]
        if top in ("aging_end", "settled_by_method", "days_to_settle"):
            assert describe(column).label in rows, column
    assert not any("_" in name for name in rows), rows


def test_page_lists_the_largest_orders_and_every_refusal(page: str, drill_loaded) -> None:
    o = drill_loaded.frames["orders"]
    largest = max(
        zip(o["value_reporting"], o["order_id"], strict=True), key=lambda x: Decimal(x[0])
    )
    text = text_of(page)
    assert f"{largest[1]} " in text and f"{Decimal(largest[0]):,.2f}" in text
    refusals = drill_loaded.frames["refusals"]
    section = page[page.index('id="refusals"') : page.index('id="statements"')]
    every = section[section.index("Every refusal") :]
    assert every.count("<tr>") - 1 == len(refusals)  # the header row, then one per refusal


def test_page_has_a_statement_per_pair_and_the_manifest_footer(page: str, drill_loaded) -> None:
    text = text_of(page)
    end = drill_loaded.kpis["outstanding_end"]["JP-PH"]
    assert f"JP and PH: at the end JP owes PH {abs(end):,.2f} USD" in text
    # The running balance is in USD at rates the page states; each amount in its own currency.
    section = unescape(text_of(page[page.index('id="statements"') :]))
    assert "converted at the scenario's rates (1 USD = 155 JPY = 58 PHP)" in section
    assert "balance (USD)" in section and "PHP " in section and "JPY " in section
    m = drill_loaded.manifest
    footer = text_of(page[page.index("<footer>") :])
    assert f"seed {m['seed']}" in footer
    assert f"acsasim {m['acsasim']}" in footer and __version__ in footer
    assert m["scenario_sha256"] in footer


def test_a_report_redrawn_from_the_folder_is_the_one_the_run_drew(
    drill_folder: Path, tmp_path: Path
) -> None:
    """The run draws its report from the tables it has just written, `acsasim report` from the
    files: the same bytes, chart by chart (SVG ids are seeded, so nothing varies)."""
    folder = tmp_path / "run"
    shutil.copytree(drill_folder, folder)
    build_report(folder)
    drawn = sorted(p.relative_to(drill_folder) for p in (drill_folder / "charts").iterdir())
    assert drawn and sorted(p.relative_to(folder) for p in (folder / "charts").iterdir()) == drawn
    for rel in [*drawn, Path("report.html")]:
        assert (folder / rel).read_bytes() == (drill_folder / rel).read_bytes(), rel


def test_a_failed_rebuild_leaves_the_old_report_untouched(
    drill_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "run"
    shutil.copytree(drill_folder, folder)
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    saved, real = [], runs_report.prepare

    def disk_full(path, data, **kw):  # the disk fills up after the first three files
        if len(saved) == 3:
            raise OutputError(path, "the disk is full (ENOSPC)")
        saved.append(real(path, data, **kw))
        return saved[-1]

    monkeypatch.setattr(runs_report, "prepare", disk_full)
    with pytest.raises(OutputError, match="ENOSPC"):
        build_report(folder)
    assert saved and not any(p.temp.exists() for p in saved)  # the half-written files are gone
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before


def test_building_into_a_folder_that_is_not_a_run_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError, match="not a run folder"):
        build_report(tmp_path)
    assert list(tmp_path.iterdir()) == []
