"""The workbench's ASGI application: its folders, templates, routes and error pages.

    app = create_app(Path("scenarios"), Path("reports"))      # uvicorn serves it

Every error a user can cause gets the message the command line gives, as a page (or, under
/api, as JSON), never a stack trace: a scenario problem is 422 with every problem at its
line, a folder or path that is not there 404, a run folder that is not whole 400, and a
bug of ours 500 with a one-line "internal error (please report it)".
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from acsasim import __version__
from acsasim.output.runfolder import RunFolderError
from acsasim.runs.errors import OutputError
from acsasim.runs.statement_request import StatementError
from acsasim.scenario import ScenarioError
from acsasim.serve import guard
from acsasim.serve.jobs import RunManager

STATIC = Path(__file__).parent / "static"


@dataclass
class Workbench:
    """What every page works with: the two folders, the runs and the templates."""

    scenarios: Path  # as the user gave it: shown in the command lines the pages print
    reports: Path
    manager: RunManager
    templates: Environment

    def render(self, template: str, code: int = 200, **context: Any) -> HTMLResponse:
        page = self.templates.get_template(template)
        html = page.render(version=__version__, active=[j for j in self.manager.all() if j.active],
                           **context)  # fmt: skip
        return HTMLResponse(html, code)

    def scenario_file(self, name: str) -> Path:
        """The scenario file `name`, as a path under the folder the user gave."""
        found = guard.scenario_file(self.scenarios, name)
        return self.scenarios / found.name

    def run_folder(self, relative: str) -> Path:
        """A folder under the reports folder (guard.inside), as a path under the folder the
        user gave; NotFound unless it is there."""
        found = guard.inside(self.reports, relative)
        if not found.is_dir():
            raise guard.NotFound(f"no folder {relative!r} in {self.reports}")
        return self.reports / found.relative_to(self.reports.resolve())

    def relative(self, folder: Path) -> str:
        """A folder under the reports folder, as the pages' URLs name it."""
        return Path(folder).resolve().relative_to(self.reports.resolve()).as_posix()


def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("acsasim.serve", "templates"),
        autoescape=True,  # every scenario string is escaped: names, descriptions, messages
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pretty"] = lambda key: str(key).replace("_", " ")
    return env


def create_app(
    scenarios: Path,
    reports: Path,
    host: str = "127.0.0.1",
    allow: tuple[str, ...] = (),
    workers: int = 2,
) -> Starlette:
    """The workbench over `scenarios` (a folder of scenario files) and `reports` (where run
    folders are written and browsed); `host` and `allow`: the names a request may use."""
    from acsasim.serve import api, pages

    bench = Workbench(Path(scenarios), Path(reports), RunManager(Path(reports), workers),
                      templates())  # fmt: skip

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        bench.manager.shutdown()  # a run still going is cancelled: its folder is removed

    app = Starlette(
        routes=[
            *api.routes(bench),
            *pages.routes(bench),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(guard.Guard, hosts=guard.allowed_hosts(host, allow))],
        exception_handlers=_handlers(bench),
        lifespan=lifespan,
    )
    app.state.bench = bench
    return app


def _handlers(bench: Workbench) -> dict[Any, Any]:
    def answer(request: Request, status: int, message: str, problems: list[Any]) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                {"error": message, "problems": [p.as_json() for p in problems]}, status
            )
        return bench.render("error.html.j2", status, status=status, message=message,
                            problems=problems)  # fmt: skip

    async def scenario(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ScenarioError)
        return answer(request, 422, "the scenario or an override is not valid", exc.problems)

    async def missing(request: Request, exc: Exception) -> Response:
        return answer(request, 404, str(exc), [])

    async def refused(request: Request, exc: Exception) -> Response:
        return answer(request, 400, str(exc), [])

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return answer(request, 404, f"there is no page {request.url.path} here", [])
        return answer(request, exc.status_code, str(exc.detail), [])

    async def bug(request: Request, exc: Exception) -> Response:
        text = f"internal error (please report it): {type(exc).__name__}: {exc}"
        return answer(request, 500, text, [])

    return {
        ScenarioError: scenario,
        guard.NotFound: missing,
        RunFolderError: refused,
        OutputError: refused,
        StatementError: refused,
        HTTPException: http,
        Exception: bug,
    }
