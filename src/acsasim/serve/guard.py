"""Local and safe by default.

- The Host header must name this server (127.0.0.1, localhost, ::1, or the host it was told
  to bind or allow): a web page elsewhere whose name an attacker points at 127.0.0.1 (DNS
  rebinding) sends its own name in Host and is refused.
- A change (POST, DELETE) sent by a browser must come from the workbench's own pages: its
  Origin, when the browser sends one, must be this server (another site's page cannot make
  it run or cancel anything). Scripts (curl, Python) send no Origin and are let through.
- Paths asked for stay inside the scenarios and reports folders (`inside`): no `..`, no
  absolute path, no symbolic link out of them.
- Every page carries a Content-Security-Policy that allows this server's own scripts and
  styles only: nothing from a CDN, no inline script.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# A run's own report.html, served as a file of its folder: its inline style and embedded
# images only, in a sandbox (no script, no form, no network).
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make a form's Origin "null"
    (b"x-frame-options", b"DENY"),
]
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def allowed_hosts(host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The names a request's Host may give (without the port): loopback, the host bound
    (unless it is every interface), and those allowed explicitly."""
    names = {*LOOPBACK, *(h.lower() for h in extra)}
    if host not in WILDCARD:
        names.add(host.lower())
    return frozenset(names)


def host_name(value: str) -> str:
    """`127.0.0.1:8765` -> `127.0.0.1`, `[::1]:8765` -> `::1`, `LocalHost` -> `localhost`."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    name, _, port = value.rpartition(":")
    if name and port.isdigit():
        return name
    return value


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Guard:
    """ASGI middleware: the Host and Origin checks above, and the security headers."""

    def __init__(self, app: Any, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = host_name(headers.get("host", ""))
        if host not in self.hosts:
            await _refuse(
                send,
                421,
                f"this workbench answers to {', '.join(sorted(self.hosts))}, not {host or '?'} "
                "(a page elsewhere cannot reach it); open http://127.0.0.1:PORT, or start "
                "acsasim serve with --allow-host NAME",
            )
            return
        origin = headers.get("origin")
        if scope["method"] in UNSAFE and origin is not None and not self._ours(origin):
            await _refuse(
                send, 403, f"a change from another site ({origin}) is refused; use the workbench"
            )
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", CSP.encode()))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)

    def _ours(self, origin: str) -> bool:
        scheme, _, rest = origin.partition("://")
        return scheme in ("http", "https") and host_name(rest) in self.hosts


async def _refuse(send: Any, status: int, message: str) -> None:
    body = (message + "\n").encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class NotFound(LookupError):
    """A scenario, run or file that is not there (or not inside the folders served)."""


def inside(root: Path, relative: str) -> Path:
    """`root / relative`, refused (NotFound) unless it stays inside `root` once every
    symbolic link is followed; `relative` may not be absolute nor climb with `..`."""
    parts = [p for p in relative.replace("\\", "/").split("/") if p not in ("", ".")]
    if relative.startswith(("/", "\\")) or ".." in parts or any(":" in p for p in parts):
        raise NotFound(f"{relative!r} is not a path inside {root}")
    base = root.resolve()
    path = base.joinpath(*parts).resolve()
    if path != base and not path.is_relative_to(base):
        raise NotFound(f"{relative!r} leads outside {root}")
    return path


def scenario_file(folder: Path, name: str) -> Path:
    """The scenario file NAME.yaml (or .yml) directly in `folder`."""
    if not NAME.match(name):
        raise NotFound(f"no scenario {name!r}: a name holds letters, digits, '.', '_', '-'")
    for suffix in (".yaml", ".yml"):
        path = inside(folder, name + suffix)
        if path.is_file():
            return path
    raise NotFound(f"no scenario {name!r} in {folder}")


def scenario_names(folder: Path) -> list[str]:
    """Every scenario file's name in `folder` (NAME of NAME.yaml), sorted."""
    names = {
        p.stem
        for p in Path(folder).iterdir()
        if p.suffix in (".yaml", ".yml") and p.is_file() and NAME.match(p.stem)
    }
    return sorted(names)
