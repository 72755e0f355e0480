"""`acsasim serve`: the what-if workbench in the browser. The work is `acsasim.serve`'s;
here the options are checked (exit 2 before anything starts), the port is taken, and the
server runs until Ctrl-C."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from acsasim.cli.app import UserError, command

NEEDS = ("starlette", "uvicorn", "jinja2")
INSTALL = 'the workbench needs the serve extra: pip install "acsasim[serve]"'


@command(
    "acsasim serve   # then open http://127.0.0.1:8765",
    "acsasim serve --scenarios my-scenarios --reports runs --port 8800",
)
def serve(
    scenarios: Annotated[
        Path, typer.Option(metavar="DIR", help="The folder of scenario files to offer.")
    ] = Path("scenarios"),
    reports: Annotated[
        Path, typer.Option(metavar="DIR", help="Where runs are written and browsed.")
    ] = Path("reports"),
    host: Annotated[
        str,
        typer.Option(
            metavar="ADDRESS",
            help="The address to listen on; the default reaches this machine only.",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", min=1, max=65535, help="The port.")] = 8765,
    workers: Annotated[
        int | None,
        typer.Option(
            metavar="N", min=1, help="Runs that work at once (default: the cores, 2 at least)."
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-host",
            metavar="NAME",
            help="Another name the browser may use for this server (repeatable).",
        ),
    ] = None,
) -> None:
    """The what-if workbench: pick a scenario, change it, run it and compare runs in the
    browser; stop it with Ctrl-C.

    Pages and a JSON API (/api) on http://HOST:PORT, for this machine only by default:
    requests must name the server (127.0.0.1, localhost, or --allow-host), paths stay inside
    the scenarios and reports folders, and every asset is served locally (it works with no
    network). Each change is an override on the scenario file, shown as the `--set` lines
    that reproduce the run; each run is a run folder under --reports, like `acsasim run`'s.
    Runs work in worker processes, several at once (--workers), and can be cancelled."""
    missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
    if missing:
        raise UserError(f"{INSTALL} ({', '.join(missing)} missing)")
    if not scenarios.is_dir():
        raise UserError(
            f"{scenarios} is not a folder; give the folder of scenario files with --scenarios"
        )
    if reports.exists() and not reports.is_dir():
        raise UserError(f"{reports} is not a folder; give another --reports")
    listening = _listen(host, port)
    import uvicorn

    from acsasim.serve.app import create_app

    app = create_app(
        scenarios, reports, host, tuple(allow_host or ()), workers or max(2, os.cpu_count() or 1)
    )
    shown = f"[{host}]" if ":" in host else host
    typer.echo(
        f"acsasim workbench on http://{shown}:{port}/ (scenarios: {scenarios}, "
        f"reports: {reports}); Ctrl-C stops it",
        err=True,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            f"warning: listening on {host}: other machines may reach the workbench", err=True
        )
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    # uvicorn stops cleanly on Ctrl-C, then hands it on: it is the way to stop, not an error
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[listening])
    typer.echo("acsasim workbench stopped", err=True)


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, taken now so that a port in use is exit 2 with the fix."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UserError(
            f"cannot listen on {host}:{port}: {exc.strerror}; choose another --port or --host"
        ) from None
    sock.listen(64)
    return sock
