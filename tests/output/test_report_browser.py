"""report.html in a real browser (headless Chromium, driven by playwright): no console
error, every image loaded, no request leaving the page, no sideways scrolling on a phone, and
it prints.

Screenshots (desktop and phone width) and the PDF are saved next to the test's temporary
files; set ACSASIM_SCREENSHOTS=DIR to keep copies. Without Chromium the test is skipped
locally, with the install hint, and fails in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from browser_tools import Watch, chromium

ALLOWED = ("file:", "data:", "about:")
WIDTHS = (1200, 390)


@dataclass
class PageCheck:
    """What the browser saw while loading a page."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    overflow_px: dict[int, int] = field(default_factory=dict)  # viewport width -> overflow
    screenshots: list[Path] = field(default_factory=list)
    pdf: bytes = b""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def open_page(browser: Any, page_file: Path, shots: Path) -> PageCheck:
    """Load `page_file` at a desktop and a phone width: console errors, requests, image
    sizes, sideways overflow and a full-page screenshot at each; then print it to PDF."""
    check = PageCheck()
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, is_mobile=width < 600
        )
        page = context.new_page()
        watch = Watch(page)
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        check.images = page.locator("img").evaluate_all(
            "images => images.map(i => ({alt: i.alt, width: i.naturalWidth, complete: i.complete}))"
        )
        check.overflow_px[width] = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        shot = shots / f"report-{width}px.png"
        page.screenshot(path=str(shot), full_page=True)
        check.screenshots.append(shot)
        if width == WIDTHS[0]:
            check.pdf = page.pdf(print_background=True)
        check.console_errors += watch.errors
        check.requests += watch.requests
        context.close()
    return check


def test_report_opens_clean_in_chromium(browser: Any, drill_folder: Path, tmp_path: Path) -> None:
    check = open_page(browser, drill_folder / "report.html", tmp_path)

    assert check.console_errors == []
    charts = sorted((drill_folder / "charts").glob("*.png"))
    assert len(check.images) == len(charts)
    assert all(i["complete"] and i["width"] > 0 for i in check.images), check.images
    leaving = [url for url in check.requests if not url.startswith(ALLOWED)]
    assert leaving == []
    assert check.requests[0].startswith("file:")
    assert check.overflow_px == {1200: 0, 390: 0}, "the page scrolls sideways"
    assert check.pdf.startswith(b"%PDF-")
    for shot in check.screenshots:
        width, height = Image.open(shot).size
        assert width in WIDTHS and height > 2000
    (tmp_path / "report.pdf").write_bytes(check.pdf)
    if keep := os.environ.get("ACSASIM_SCREENSHOTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        for path in [*check.screenshots, tmp_path / "report.pdf"]:
            shutil.copy(path, Path(keep) / path.name)


def test_the_browser_check_catches_a_leaking_broken_page(browser: Any, tmp_path: Path) -> None:
    """The same check on a page that breaks every rule, so its passing above means something."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><img src="http://example.invalid/x.png" alt="remote">'
        '<img src="data:image/png;base64,AAAA" alt="broken"><div style="width:2000px">wide</div>'
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    check = open_page(browser, bad, tmp_path)
    assert "boom" in " ".join(check.console_errors)
    assert [i["width"] for i in check.images] == [0, 0]
    assert any(url.startswith("http://example.invalid") for url in check.requests)
    assert check.overflow_px[390] > 0
