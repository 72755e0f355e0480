"""Headless Chromium driven over the DevTools protocol on a pipe, for the browser test.

`--remote-debugging-pipe` makes Chromium read JSON commands (NUL-separated) on its file
descriptor 3 and answer on 4: no network port, no websocket, no Python dependency. The
binary is found as CHROMIUM, `chromium` or `chromium-browser`; locally a missing browser
skips the test with the install hint, in CI (CI=true) it fails.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

INSTALL_HINT = (
    "no Chromium found for the browser test: install it with `apt-get install chromium` "
    "(Debian/Ubuntu), or set CHROMIUM=/path/to/chrome"
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    # Belt and braces: even a request the page should not make cannot leave the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def find_chromium() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(INSTALL_HINT + " (CI=true: the browser test may not be skipped)")
    pytest.skip(INSTALL_HINT)


@dataclass
class PageCheck:
    """What the browser saw while loading a page."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    overflow_px: dict[int, int] = field(default_factory=dict)  # viewport width -> overflow
    screenshots: list[Path] = field(default_factory=list)
    pdf: bytes = b""


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become its fds 3 and 4
            # Via fds above 9 first: dup2 onto the same number would keep close-on-exec.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chrome_r, from_chrome_w)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next = 0
        self._inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_chrome, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for m in messages:
                self._inbox.put(json.loads(m))

    def send(
        self, method: str, session: str | None = None, timeout: float = 60, **params: Any
    ) -> Any:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        reply = self._until(lambda m: m.get("id") == self._next, timeout, method)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method: str, timeout: float = 60) -> dict[str, Any]:
        for e in self.events:
            if e.get("method") == method:
                return e
        return self._until(lambda m: m.get("method") == method, timeout, method)

    def _until(self, done: Any, timeout: float, what: str) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            try:
                m = self._inbox.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"Chromium did not answer {what} in {timeout} s") from None
            if "method" in m:
                self.events.append(m)
            if done(m):
                return m

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._to_chrome)


def open_page(chrome: DevTools, page: Path, shots: Path) -> PageCheck:
    """Load `page`, collect console errors, requests and image sizes, take screenshots at a
    desktop and a phone width, and print it to PDF."""
    target = chrome.send("Target.createTarget", url="about:blank")["targetId"]
    session = chrome.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        chrome.send(f"{domain}.enable", session)
    check = PageCheck()
    for width in (1200, 390):
        chrome.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        chrome.events.clear()
        chrome.send("Page.navigate", session, url=page.resolve().as_uri())
        chrome.wait_event("Page.loadEventFired")
        check.images = _evaluate(
            chrome,
            session,
            "Array.from(document.images, i => "
            "({alt: i.alt, width: i.naturalWidth, complete: i.complete}))",
        )
        check.overflow_px[width] = _evaluate(
            chrome, session, "document.documentElement.scrollWidth - window.innerWidth"
        )
        check.screenshots.append(_screenshot(chrome, session, shots / f"report-{width}px.png"))
        _collect(chrome.events, check)
    check.pdf = base64.b64decode(
        chrome.send("Page.printToPDF", session, printBackground=True)["data"]
    )
    return check


def _evaluate(chrome: DevTools, session: str, expression: str) -> Any:
    reply = chrome.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
    return reply["result"].get("value")


def _screenshot(chrome: DevTools, session: str, path: Path) -> Path:
    size = chrome.send("Page.getLayoutMetrics", session)["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = chrome.send(
        "Page.captureScreenshot", session, format="png", clip=clip, captureBeyondViewport=True
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def _collect(events: list[dict[str, Any]], check: PageCheck) -> None:
    for e in events:
        p = e.get("params", {})
        if e["method"] == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
            check.console_errors.append(" ".join(str(a.get("value")) for a in p["args"]))
        elif e["method"] == "Runtime.exceptionThrown":
            check.console_errors.append(p["exceptionDetails"].get("text", "exception"))
        elif e["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
            check.console_errors.append(p["entry"]["text"])
        elif e["method"] == "Network.requestWillBeSent":
            check.requests.append(p["request"]["url"])
