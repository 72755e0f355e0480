"""The workbench's pages before a result: the scenarios, a scenario (overview, parameter
form, YAML editor, the `--set` lines of the changes), a run in progress, the reports folder.

A change never touches the scenario file: the form's fields and the editor's text both
become `--set` overrides on the original (form.overrides, scenario.edits), checked by the
same validator as `acsasim validate`, and the page shows the command line that reproduces
the run. Each page works without JavaScript; the script only checks as you type and
follows a run's progress without reloading.
"""

from __future__ import annotations

import shlex
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from acsasim.experiments.single import RunRequest
from acsasim.scenario import Problem, ScenarioError, load_with_warnings
from acsasim.scenario.edits import overrides_between
from acsasim.scenario.errors import verdict
from acsasim.scenario.schema import json_schema
from acsasim.scenario.source import parse_text, read_file
from acsasim.serve import folders, form, guard, run_pages
from acsasim.serve.api import check
from acsasim.serve.app import Workbench
from acsasim.serve.jobs import DONE
from acsasim.serve.overview import overview


def routes(bench: Workbench) -> list[BaseRoute]:
    def home(request: Request) -> Response:
        rows = [(name, *_summary(bench, name)) for name in guard.scenario_names(bench.scenarios)]
        return bench.render("home.html.j2", scenarios=rows, jobs=bench.manager.all(),
                            folder=str(bench.scenarios))  # fmt: skip

    def scenario(request: Request) -> Response:
        return scenario_page(bench, request.path_params["name"])

    async def preview(request: Request) -> Response:
        name, fields = request.path_params["name"], await _fields(request)
        changes = await run_in_threadpool(changes_of, bench, name, fields)
        return JSONResponse(changes)

    async def run(request: Request) -> Response:
        name, fields = request.path_params["name"], await _fields(request)
        changes = await run_in_threadpool(changes_of, bench, name, fields)
        if not changes["ok"]:
            problems = [_problem(p) for p in changes["problems"]]
            raise ScenarioError(problems)
        asked = RunRequest(bench.scenario_file(name), sets=tuple(changes["set"]),
                           reports=bench.reports)  # fmt: skip
        job = await run_in_threadpool(bench.manager.submit, asked)
        return RedirectResponse(f"/jobs/{job.id}", 303)

    def job_page(request: Request) -> Response:
        job = bench.manager.get(request.path_params["id"])
        if job is None:
            raise guard.NotFound(f"no run {request.path_params['id']!r} on this server")
        if job.status == DONE:
            rel = bench.relative(job.folder)
            if "compare" in job.then:
                return RedirectResponse(f"/compare?a={job.then['compare']}&b={rel}", 303)
            return RedirectResponse(f"/run/{rel}", 303)
        return bench.render("job.html.j2", job=job)

    def cancel(request: Request) -> Response:
        bench.manager.cancel(request.path_params["id"])
        return RedirectResponse(f"/jobs/{request.path_params['id']}", 303)

    def reports(request: Request) -> Response:
        found = folders.entries(bench.reports)
        return bench.render("reports.html.j2", entries=found, folder=str(bench.reports))

    return [
        Route("/", home),
        Route("/scenarios/{name}", scenario),
        Route("/scenarios/{name}/check", preview, methods=["POST"]),
        Route("/scenarios/{name}/run", run, methods=["POST"]),
        Route("/jobs/{id}", job_page),
        Route("/jobs/{id}/cancel", cancel, methods=["POST"]),
        Route("/reports", reports),
        *run_pages.routes(bench),
    ]


def _summary(bench: Workbench, name: str) -> tuple[str, int]:
    """A scenario's description, and how many errors its file has."""
    try:
        return load_with_warnings(bench.scenario_file(name))[0].description, 0
    except ScenarioError as exc:
        return "", sum(not p.warning for p in exc.problems)


def scenario_page(bench: Workbench, name: str) -> Response:
    path = bench.scenario_file(name)
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        loaded, warnings = load_with_warnings(path)
    except ScenarioError as exc:  # the file itself is wrong: its problems, and its text
        return bench.render("scenario.html.j2", 422, name=name, file=str(path), text=text,
                            problems=exc.problems, warnings=[], scenario=None, form=[],
                            command=RunRequest(path).shell())  # fmt: skip
    return bench.render(
        "scenario.html.j2",
        name=name,
        file=str(path),
        text=text,
        problems=[],
        warnings=warnings,
        scenario=overview(loaded),
        form=form.sections(loaded, json_schema()),
        command=RunRequest(path).shell(),
    )


async def _fields(request: Request) -> list[tuple[str, str]]:
    body = (await request.body()).decode("utf-8", errors="replace")
    return parse_qsl(body, keep_blank_values=True)


def changes_of(bench: Workbench, name: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
    """The overrides a submitted form or editor text makes, and what the validator says of
    the run they define; an editor's text is also checked as a file, for problems at their
    line as you type."""
    path = bench.scenario_file(name)
    answers = dict(fields)
    located: list[Problem] = []
    try:
        if answers.get("mode") == "yaml":
            text = answers.get("yaml", "")
            located = check(path, text, [])
            sets = overrides_between(read_file(path)[0], parse_text(text, str(path))[0])
        else:
            loaded, _ = load_with_warnings(path)
            shown = form.all_fields(form.sections(loaded, json_schema()))
            boxes = set(filter(None, answers.get(form.CHECKBOXES, "").split(",")))
            sets = form.overrides(shown, answers, boxes)
        found = check(path, None, sets)
    except ScenarioError as exc:
        sets, found = [], exc.problems
    if any(not p.warning for p in located):  # the editor's own lines say it best, and
        found, sets = located, []  # overrides towards text that is not valid mean nothing
    elif located:
        found = located
    request = RunRequest(path, sets=tuple(sets))
    lines = [shlex.join(["acsasim", "run", str(path)]), *(f"--set {shlex.quote(s)}" for s in sets)]
    return {**verdict(found), "set": sets, "command": request.shell(), "lines": lines}


def _problem(data: dict[str, Any]) -> Problem:
    return Problem(data["source"], data["line"] or 0, data["col"] or 0, data["message"],
                   data["severity"] == "warning")  # fmt: skip
