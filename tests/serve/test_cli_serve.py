"""`acsasim serve` at the command line: bad options and a missing extra are exit 2 with the
fix, before anything listens; a real server answers on the loopback and stops on Ctrl-C
(SIGINT) with exit 0."""

from __future__ import annotations

import importlib.util
import socket
import urllib.request
from pathlib import Path

import pytest
from workbench_tools import DUO, start_server, stop_server

from run_folder_tools import cli_invoker

cli = cli_invoker()


def test_without_the_serve_extra_it_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name)
    )
    code, stdout, stderr = cli("serve")
    assert code == 2 and stdout == ""
    assert 'pip install "acsasim[serve]"' in stderr and "uvicorn missing" in stderr


def test_a_scenarios_folder_that_is_not_there_is_bad_input(tmp_path: Path) -> None:
    code, _, stderr = cli("serve", "--scenarios", tmp_path / "nope")
    assert code == 2 and "is not a folder; give the folder of scenario files" in stderr


def test_a_port_in_use_is_bad_input(tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = taken.getsockname()[1]
        code, _, stderr = cli("serve", "--scenarios", tmp_path, "--port", str(port))
    finally:
        taken.close()
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in stderr
    assert "choose another --port" in stderr


def test_a_real_server_answers_on_the_loopback_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "duo.yaml").write_text(DUO.read_text("utf-8"), "utf-8")
    process, url = start_server(tmp_path / "s", tmp_path / "r")
    with urllib.request.urlopen(url + "/api/scenarios", timeout=5) as reply:
        assert reply.read() == b'["duo"]'
    code, err = stop_server(process)
    assert code == 0, err
    assert f"acsasim workbench on {url}/" in err and "Traceback" not in err
    assert err.rstrip().endswith("acsasim workbench stopped")
