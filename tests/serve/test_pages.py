"""The pages through the ASGI test client: local and safe by default (Host, Origin, paths,
escaping, no stack trace), the form and the editor as `--set` lines, a run's pages, the
zip, the reports folder and a study."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from workbench_tools import DUO, HOST, wait

from acsasim.serve import run_pages
from acsasim.serve.app import create_app


@pytest.fixture(scope="module")
def client(folders: tuple[Path, Path]) -> Iterator[TestClient]:
    with TestClient(create_app(*folders), base_url=HOST) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def run(client: TestClient, folders: tuple[Path, Path]) -> str:
    """One finished run of duo: its folder relative to the reports folder."""
    started = client.post("/api/runs", json={"scenario": "duo"}).json()
    assert wait(client, started["id"])["status"] == "done"
    return Path(started["folder"]).relative_to(folders[1]).as_posix()


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.2:8765", ""])
def test_a_request_that_does_not_name_this_server_is_refused(client: TestClient, host: str) -> None:
    """DNS rebinding: a page of evil.example whose name points at 127.0.0.1."""
    reply = client.get("/api/scenarios", headers={"host": host})
    assert reply.status_code == 421
    assert "--allow-host" in reply.text


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765"])
def test_loopback_names_are_served(client: TestClient, host: str) -> None:
    assert client.get("/api/scenarios", headers={"host": host}).status_code == 200


def test_a_change_from_another_site_is_refused(client: TestClient) -> None:
    for origin in ("http://evil.example", "null"):
        reply = client.post("/api/runs", json={"scenario": "duo"}, headers={"origin": origin})
        assert reply.status_code == 403, origin
    ours = client.post("/api/validate", json={"scenario": "duo"}, headers={"origin": HOST})
    assert ours.status_code == 200


def test_pages_forbid_scripts_from_anywhere_else(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_every_scenario_string_is_escaped(client: TestClient) -> None:
    page = client.get("/scenarios/marked").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "<script>alert" not in client.get("/").text


@pytest.mark.parametrize(
    "url",
    ["/run/..%2F..%2F..%2Fetc", "/run/%2Fetc", "/file/..%2F..%2Fetc%2Fpasswd", "/run/duo/nope",
     "/table/orders/..%2F..", "/download/%2Ftmp", "/scenarios/..%2Fscenarios%2Fduo"],
)  # fmt: skip
def test_paths_stay_inside_the_folders(client: TestClient, url: str) -> None:
    reply = client.get(url)
    assert reply.status_code == 404, (url, reply.text[:300])
    assert "Traceback" not in reply.text


def test_a_symbolic_link_out_of_the_reports_folder_is_not_followed(
    client: TestClient, folders: tuple[Path, Path], tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    folders[1].mkdir(exist_ok=True)
    os.symlink(tmp_path, folders[1] / "out")
    assert client.get("/file/out/secret.txt").status_code == 404


def test_a_bug_is_a_one_line_internal_error_never_a_stack_trace(
    folders: tuple[Path, Path], run: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("the page broke")

    monkeypatch.setattr(run_pages, "run_page", broken)
    with TestClient(create_app(*folders), base_url=HOST, raise_server_exceptions=False) as c:
        reply = c.get(f"/run/{run}")
    assert reply.status_code == 500
    assert "internal error (please report it): RuntimeError: the page broke" in reply.text
    assert "Traceback" not in reply.text and 'File "' not in reply.text


def test_the_form_s_changes_are_set_lines(client: TestClient) -> None:
    exempt = "set:agreements.JP-PH.tax_exempt"
    fields = {"mode": "form", "set:holders.jp-coy.stock.diesel.initial": "3500",
              "set:agreements.JP-PH.settlement.deadline": "60d", "set:seed": "0",
              "checkboxes": exempt, exempt: "on"}  # fmt: skip
    answer = client.post("/scenarios/duo/check", data=fields).json()
    assert answer["ok"] is True
    assert answer["set"] == [
        "holders.jp-coy.stock.diesel.initial=3500",
        "agreements.JP-PH.settlement.deadline=60d",
    ]
    assert answer["command"].endswith(
        "duo.yaml --set holders.jp-coy.stock.diesel.initial=3500 "
        "--set agreements.JP-PH.settlement.deadline=60d"
    )


def test_a_bad_form_value_is_named_by_its_override(client: TestClient) -> None:
    fields = {"mode": "form", "set:holders.jp-coy.stock.diesel.reserve": "99999"}
    answer = client.post("/scenarios/duo/check", data=fields).json()
    assert answer["ok"] is False
    assert any("reserve" in p["message"] for p in answer["problems"]), answer


def test_the_editor_s_text_is_checked_at_its_lines_and_becomes_overrides(
    client: TestClient,
) -> None:
    text = DUO.read_text(encoding="utf-8")
    edited = text.replace("initial: 3000", "initial: 3600")
    answer = client.post("/scenarios/duo/check", data={"mode": "yaml", "yaml": edited}).json()
    assert answer["ok"] and answer["set"] == ["holders.jp-coy.stock.diesel.initial=3600"]
    broken = text.replace("tick: 6h", "tick: often")
    answer = client.post("/scenarios/duo/check", data={"mode": "yaml", "yaml": broken}).json()
    assert not answer["ok"] and answer["set"] == []
    (problem,) = answer["problems"]
    assert problem["line"] == broken.splitlines().index("tick: often") + 1


def test_a_run_s_pages(client: TestClient, run: str) -> None:
    page = client.get(f"/run/{run}").text
    for part in ("Key figures", "value provided PH → JP", "Stock on hand", "<title>2026-06-01:",
                 "Statements of account", "who owes whom", "/charts/timeline.svg"):  # fmt: skip
        assert part in page, part
    orders = client.get(f"/table/orders/{run}?sort=order_id&desc=1").text
    ids = [line.split("<td>")[1].split("<")[0] for line in orders.splitlines()
           if line.startswith("<tr><td>O")]  # fmt: skip
    assert ids and ids == sorted(ids, reverse=True)
    none = client.get(f"/table/orders/{run}?q=status:nothing-like-this").text
    assert "No row." in none
    statement = client.get(f"/statement/JP/PH/{run}").text
    assert "<h1>Statement JP - PH</h1>" in statement and "who owes whom" in statement
    assert statement.count("<tr><td>2026-06-") >= 2  # the lines: delivered, invoiced...
    assert "verified" in client.get(f"/verify/{run}").text


def test_the_download_is_the_whole_run_folder(
    client: TestClient, run: str, folders: tuple[Path, Path]
) -> None:
    reply = client.get(f"/download/{run}")
    assert reply.headers["content-type"] == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(reply.content)).namelist())
    folder = folders[1] / run
    expected = {f"{folder.name}/{p.relative_to(folder).as_posix()}"
                for p in folder.rglob("*") if p.is_file()}  # fmt: skip
    assert names == expected and f"{folder.name}/manifest.json" in names


def test_the_reports_page_lists_runs_and_studies(
    client: TestClient, run: str, folders: tuple[Path, Path]
) -> None:
    from acsasim.experiments import define
    from acsasim.experiments.lifecycle import run_study

    planned = define.plan(define.replicate_spec(DUO, 2, 5, []))
    final, _ = run_study(planned.spec, planned.grid, define.target(planned, None, folders[1]))
    study = final.relative_to(folders[1]).as_posix()
    listed = client.get("/reports").text
    assert f'href="/run/{run}"' in listed and f'href="/study/{study}"' in listed
    page = client.get(f"/study/{study}").text
    assert "Replicate of duo" in page and "ACSA orders" in page and "95% CI" in page


SHIPPED = sorted((Path(__file__).parents[2] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("scenario", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_scenario_has_its_overview_and_form(scenario: Path, tmp_path: Path) -> None:
    """Every example the repository ships opens in the workbench: its overview (agreements
    with methods per category and ceilings per party and direction, R8 and R14) and its
    form, with no internal error."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / scenario.name).write_bytes(scenario.read_bytes())
    with TestClient(create_app(folder, tmp_path / "reports"), base_url=HOST) as test_client:
        page = test_client.get(f"/scenarios/{scenario.stem}")
        assert page.status_code == 200, page.text[:300]
        for agreement in ("JP-PH",):
            assert agreement in page.text
