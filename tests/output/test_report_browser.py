"""report.html in a real browser (headless Chromium): no console error, every image loaded,
no request leaving the page, no sideways scrolling on a phone, and it prints.

Screenshots (desktop and phone width) and the PDF are saved next to the test's temporary
files; set ACSASIM_SCREENSHOTS=DIR to keep copies. Without Chromium the test is skipped
locally, with the install hint, and fails in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from chromium_devtools import DevTools, open_page
from PIL import Image

ALLOWED = ("file:", "data:", "about:")


def test_report_opens_clean_in_chromium(
    chromium: DevTools, drill_folder: Path, tmp_path: Path
) -> None:
    check = open_page(chromium, drill_folder / "report.html", tmp_path)

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
        assert width in (1200, 390) and height > 2000
    (tmp_path / "report.pdf").write_bytes(check.pdf)
    if keep := os.environ.get("ACSASIM_SCREENSHOTS"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        for path in [*check.screenshots, tmp_path / "report.pdf"]:
            shutil.copy(path, Path(keep) / path.name)


def test_the_browser_check_catches_a_leaking_broken_page(
    chromium: DevTools, tmp_path: Path
) -> None:
    """The same check on a page that breaks every rule, so its passing above means something."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><img src="http://example.invalid/x.png" alt="remote">'
        '<img src="data:image/png;base64,AAAA" alt="broken"><div style="width:2000px">wide</div>'
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    check = open_page(chromium, bad, tmp_path)
    assert "boom" in " ".join(check.console_errors)
    assert [i["width"] for i in check.images] == [0, 0]
    assert any(url.startswith("http://example.invalid") for url in check.requests)
    assert check.overflow_px[390] > 0
