"""Headless Chromium for the browser tests, driven by playwright: the machine's own
Chromium (`/usr/bin/chromium`, installed by .ci/run from Debian's packages; never
`playwright install`), found as CHROMIUM, `chromium` or `chromium-browser`. Locally a
missing browser skips the test with the install hint; in CI (CI=true) it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

INSTALL_HINT = (
    "no Chromium found for the browser tests: install it with `apt-get install chromium` "
    "(Debian/Ubuntu), or set CHROMIUM=/path/to/chrome"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def find_chromium() -> str:
    path = (
        os.environ.get("CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    )
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(INSTALL_HINT + " (CI=true: the browser tests may not be skipped)")
    pytest.skip(INSTALL_HINT)


@contextmanager
def chromium() -> Iterator[Any]:
    """A playwright Browser on the machine's Chromium, closed on exit."""
    binary = find_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=binary, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watch:
    """What a page did while the test drove it: console errors and every request's URL."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
