"""The JSON API under /api through the ASGI test client, with real worker processes: runs
are sealed run folders that `acsasim verify` accepts, bad input is 422 with the validator's
messages, a run can be cancelled and leaves nothing, runs queue for a free worker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from workbench_tools import HOST, wait

from acsasim.runs.clean import find_leftovers
from acsasim.runs.verify import verify
from acsasim.serve.app import create_app

LONG = "duration=20000d"  # a run of duo that lasts long enough to cancel or queue behind


@pytest.fixture(scope="module")
def client(folders: tuple[Path, Path]) -> Iterator[TestClient]:
    app = create_app(*folders, workers=1)
    with TestClient(app, base_url=HOST) as test_client:
        yield test_client


def test_lists_the_scenarios_and_gives_one_as_json(client: TestClient) -> None:
    assert client.get("/api/scenarios").json() == ["broken", "duo", "marked"]
    duo = client.get("/api/scenarios/duo").json()
    assert duo["name"] == "duo"
    assert [h["id"] for h in duo["holders"]] == ["jp-coy", "ph-depot"]
    assert duo["holders"][0]["stock"]["diesel"]["initial"] == 3000


def test_a_scenario_that_is_not_valid_is_422_at_its_line(client: TestClient) -> None:
    reply = client.get("/api/scenarios/broken")
    assert reply.status_code == 422
    (problem,) = reply.json()["problems"]
    assert problem["source"].endswith("broken.yaml")
    assert problem["line"] == 10 and "6 hours" in problem["message"]


@pytest.mark.parametrize("name", ["nope", "..%2Fduo", "duo.yaml", "%2Fetc%2Fpasswd"])
def test_unknown_or_escaping_scenario_names_are_404(client: TestClient, name: str) -> None:
    reply = client.get(f"/api/scenarios/{name}")
    assert reply.status_code == 404, reply.text
    assert reply.json()["error"]  # a sentence, never a stack trace


def test_a_run_is_a_sealed_run_folder_with_its_kpis(
    client: TestClient, folders: tuple[Path, Path]
) -> None:
    sets = ["holders.jp-coy.stock.diesel.initial=4000"]
    reply = client.post("/api/runs", json={"scenario": "duo", "seed": 3, "set": sets})
    assert reply.status_code == 202, reply.text
    started = reply.json()
    folder = Path(started["folder"])
    assert folder.parent == folders[1] / "duo" and folder.name.endswith("-s3-set1")
    done = wait(client, started["id"])
    assert done["status"] == "done", done
    assert done["kpis"]["orders"] > 0 and done["folder"] == str(folder)
    assert verify(folder) == []
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    scenario = str(folders[0] / "duo.yaml")
    assert manifest["command"] == ["acsasim", "run", scenario, "--seed", "3", "--set", *sets]
    assert done["command"] == f"acsasim run {scenario} --seed 3 --set {sets[0]}"
    assert json.loads((folder / "summary.json").read_text(encoding="utf-8")) == done["kpis"]


BAD = [
    ({"set": ["holders.jp-coy.stock.diesel.initial=-5"]},
     "--set holders.jp-coy.stock.diesel.initial=-5", "must be at least 0"),
    ({"set": ["holders.jp-coy.stok.diesel.initial=5"]},
     "--set holders.jp-coy.stok.diesel.initial=5", "did you mean"),
    ({"set": ["duration"]}, "--set duration", "write PATH=VALUE"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "source", "message"), BAD)
def test_a_bad_override_is_422_with_the_validator_s_message(
    client: TestClient, folders: tuple[Path, Path], body: dict[str, Any], source: str,
    message: str
) -> None:  # fmt: skip
    before = sorted(folders[1].rglob("*"))
    reply = client.post("/api/runs", json={"scenario": "duo", **body})
    assert reply.status_code == 422
    problems = reply.json()["problems"]
    assert any(p["source"] == source and message in p["message"] for p in problems), problems
    assert sorted(folders[1].rglob("*")) == before  # nothing claimed, nothing written


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"scenario": "duo", "seed": "7"}, 400, "'seed' must be a int"),
        ({"scenario": "duo", "sets": []}, 400, "unknown key 'sets'"),
        ({"seed": 1}, 400, "missing 'scenario'"),
        ({"scenario": "duo", "set": [7]}, 400, "list of strings"),
        ({"scenario": "duo", "seed": -1}, 400, "0 or more"),
    ],
)
def test_a_malformed_request_says_what_is_wrong(
    client: TestClient, body: dict[str, Any], status: int, message: str
) -> None:
    reply = client.post("/api/runs", json=body)
    assert reply.status_code == status and message in reply.json()["error"], reply.text


def test_only_json_is_accepted(client: TestClient) -> None:
    """A form of another site posts text/plain or a form: never read as a request."""
    reply = client.post("/api/runs", content='{"scenario": "duo"}',
                        headers={"content-type": "text/plain"})  # fmt: skip
    assert reply.status_code == 415


def test_runs_queue_for_a_free_worker_and_a_cancelled_run_leaves_nothing(
    client: TestClient, folders: tuple[Path, Path]
) -> None:
    """One worker: a second run (without the agreement) waits, queued, while the first
    works; cancelling the first ends its worker and removes its partial folder; the second
    then runs, and without the agreement nothing is provided."""
    long = client.post("/api/runs", json={"scenario": "duo", "set": [LONG]}).json()
    short = client.post("/api/runs", json={"scenario": "duo", "no_acsa": True}).json()
    assert client.get(f"/api/runs/{short['id']}").json()["status"] == "queued"
    wait_for = 60.0
    while client.get(f"/api/runs/{long['id']}").json()["stage"] != "simulate" and wait_for > 0:
        wait_for -= 0.1
        __import__("time").sleep(0.1)
    cancelled = client.delete(f"/api/runs/{long['id']}")
    assert cancelled.status_code == 200
    assert wait(client, long["id"])["status"] == "cancelled"
    assert not Path(long["folder"]).exists()
    done = wait(client, short["id"])
    assert done["status"] == "done" and Path(done["folder"]).name.endswith("-noacsa")
    assert done["kpis"]["orders"] == 0 and done["kpis"]["fill_rate"]["diesel"] < 0.5
    assert find_leftovers(folders[1]) == []


def test_an_unknown_run_is_404(client: TestClient) -> None:
    assert client.get("/api/runs/nope").status_code == 404
    assert client.delete("/api/runs/nope").status_code == 404


def test_validate_says_what_acsasim_validate_says(client: TestClient) -> None:
    text = (Path(__file__).parent / "data" / "scenarios" / "duo.yaml").read_text("utf-8")
    bad = text.replace("initial: 3000", "initial: lots")
    reply = client.post("/api/validate", json={"scenario": "duo", "text": bad}).json()
    assert reply["ok"] is False
    (problem,) = reply["problems"]
    line = bad.splitlines().index(next(x for x in bad.splitlines() if "lots" in x)) + 1
    assert problem["line"] == line and "lots" in problem["message"]
    fine = client.post("/api/validate", json={"scenario": "duo", "set": ["seed=4"]}).json()
    assert fine == {"ok": True, "problems": [], "warnings": []}
