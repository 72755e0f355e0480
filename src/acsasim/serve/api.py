"""The JSON API under /api, which the pages use and scripts can too (docs/workbench.md):

    GET    /api/scenarios         -> ["jp-ph-joint-drill", ...]
    GET    /api/scenarios/{name}  -> the scenario as JSON (defaults written out)
    POST   /api/validate          {"scenario", "text"?, "set"?} -> {"ok", "problems", "warnings"}
    POST   /api/runs              {"scenario", "seed", "set", "no_acsa"} -> 202 {"id", "folder"}
    GET    /api/runs              -> every run of this server
    GET    /api/runs/{id}         -> {"status", "stage", "progress", "folder", "kpis", ...}
    DELETE /api/runs/{id}         -> cancels a queued or running run

A scenario or override that is not valid is 422 with the validator's messages, each as
`acsasim validate --json` gives it (source, line, col, severity, message).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from acsasim.experiments.single import RunRequest
from acsasim.scenario import Problem, ScenarioError, load_with_warnings, text_with_warnings
from acsasim.scenario.errors import verdict
from acsasim.serve import guard
from acsasim.serve.app import Workbench
from acsasim.serve.jobs import Job


def routes(bench: Workbench) -> list[Route]:
    async def scenarios(request: Request) -> JSONResponse:
        return JSONResponse(guard.scenario_names(bench.scenarios))

    async def scenario(request: Request) -> JSONResponse:
        path = bench.scenario_file(request.path_params["name"])
        loaded, _ = await run_in_threadpool(load_with_warnings, path)
        return JSONResponse(loaded.model_dump(mode="json", by_alias=True))

    async def validate(request: Request) -> JSONResponse:
        body = await _body(request, {"scenario": str}, {"text": str, "set": list})
        path = bench.scenario_file(body["scenario"])
        found = await run_in_threadpool(check, path, body.get("text"), body.get("set") or [])
        return JSONResponse(verdict(found))

    async def start(request: Request) -> JSONResponse:
        body = await _body(request, {"scenario": str}, {"seed": int, "set": list, "no_acsa": bool})
        if body.get("seed") is not None and body["seed"] < 0:
            raise HTTPException(400, "seed: give a whole number, 0 or more")
        run = RunRequest(
            bench.scenario_file(body["scenario"]),
            body.get("seed"),
            tuple(_texts(body.get("set") or [], "set")),
            bool(body.get("no_acsa")),
            reports=bench.reports,
        )
        job = await run_in_threadpool(bench.manager.submit, run)
        return JSONResponse({"id": job.id, "folder": str(job.folder)}, 202)

    async def runs(request: Request) -> JSONResponse:
        return JSONResponse([j.as_json() for j in bench.manager.all()])

    async def status(request: Request) -> JSONResponse:
        return JSONResponse(_job(bench, request).as_json())

    async def cancel(request: Request) -> JSONResponse:
        job = bench.manager.cancel(_job(bench, request).id)
        assert job is not None
        return JSONResponse(job.as_json())

    return [
        Route("/api/scenarios", scenarios),
        Route("/api/scenarios/{name}", scenario),
        Route("/api/validate", validate, methods=["POST"]),
        Route("/api/runs", start, methods=["POST"]),
        Route("/api/runs", runs),
        Route("/api/runs/{id}", status),
        Route("/api/runs/{id}", cancel, methods=["DELETE"]),
    ]


def check(path: Any, text: str | None, sets: list[Any]) -> list[Problem]:
    """What `acsasim validate FILE --set ...` finds (errors and warnings); for `text`, the
    same checks of the text as it would be saved in FILE."""
    overrides = _texts(sets, "set")
    try:
        if text is None:
            _, found = load_with_warnings(path, overrides)
        else:
            _, found = text_with_warnings(text, str(path), overrides)
    except ScenarioError as exc:
        found = exc.problems
    return found


def _job(bench: Workbench, request: Request) -> Job:
    job = bench.manager.get(request.path_params["id"])
    if job is None:
        raise guard.NotFound(f"no run {request.path_params['id']!r} on this server")
    return job


async def _body(
    request: Request, required: dict[str, type], optional: dict[str, type]
) -> dict[str, Any]:
    """The JSON object of the request, its keys and their types checked (400 says which).
    Only `application/json`: a form of another site cannot post here."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise HTTPException(415, "send the body as JSON (Content-Type: application/json)")
    try:
        body = json.loads(await request.body())
    except ValueError as exc:
        raise HTTPException(400, f"the body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise HTTPException(400, "the body must be a JSON object")
    known = {**required, **optional}
    for key in body:
        if key not in known:
            raise HTTPException(400, f"unknown key {key!r}; the keys are {', '.join(known)}")
    for key, kind in known.items():
        value = body.get(key)
        if value is None:
            if key in required:
                raise HTTPException(400, f"missing {key!r}")
            continue
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise HTTPException(400, f"{key!r} must be a {kind.__name__}")
    return body


def _texts(values: list[Any], key: str) -> list[str]:
    if not all(isinstance(v, str) for v in values):
        raise HTTPException(400, f'{key!r} must be a list of strings such as "seed=7"')
    return list(values)
