"""`bot fleet run` as support runs it, on `bot sim up --clients 12`: twelve client worlds, each with
its own accounts, integration user, tenant and state; the fleet's output, exit codes and Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from bot import History

BOT = str(Path(sys.executable).parent / "bot")
CLIENTS = [f"client{number:02d}" for number in range(1, 13)]


@pytest.fixture(scope="module")
def sim_up(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`bot sim up --clients 12 --write-config DIR` for the module; DIR is returned."""
    folder = tmp_path_factory.mktemp("sim12")
    process = subprocess.Popen(
        [BOT, "sim", "up", "--clients", "12", "--write-config", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not (folder / ".env").exists():
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "bot sim up wrote no config within 120 s"
            time.sleep(0.2)
        yield folder
    finally:
        process.send_signal(signal.SIGTERM)  # as Ctrl-C (a background job ignores SIGINT)
        process.communicate(timeout=60)


@pytest.fixture
def project(sim_up: Path, tmp_path: Path) -> Path:
    """The written config and .env, copied: runs and history of this test only."""
    for name in ("config.yaml", ".env"):
        shutil.copy(sim_up / name, tmp_path / name)
    return tmp_path / "config.yaml"


def bot(config: Path, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "160"}
    environment.pop("BOT_CONFIG", None)
    return subprocess.run(
        [BOT, "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        check=False,
    )


def settings(config: Path) -> dict[str, dict[str, Any]]:
    clients = yaml.safe_load(config.read_text(encoding="utf-8"))["clients"]
    return {name: client["settings"] for name, client in clients.items()}


def sim_state(url: str) -> dict[str, Any]:
    reply = requests.get(f"{url}/__sim__/state", timeout=30)
    reply.raise_for_status()
    return dict(reply.json())


def test_twelve_clients_in_one_browser_four_at_once_without_cross_talk(project: Path) -> None:
    worlds = settings(project)
    assert list(worlds) == CLIENTS
    for world in worlds.values():  # nobody authorized anywhere: the runs must set it, each its own
        reply = requests.post(
            f"{world['assignar_url']}/__sim__/set_integration",
            json={"authorized_user": None},
            timeout=30,
        )
        reply.raise_for_status()

    done = bot(project, "fleet", "run", "reauthorize", "--parallel", "4", "--json")

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    records = [json.loads(line) for line in done.stdout.splitlines()]
    outcomes = {r["client"]: r for r in records if r["event"] == "ClientOutcome"}
    assert list(outcomes) == CLIENTS
    assert {r["verdict"] for r in outcomes.values()} == {"passed"}
    assert {r["browser"] for r in outcomes.values()} == {"local chromium #1"}  # one browser
    assert max_at_once(records) == 4
    for client, outcome in outcomes.items():  # every event is tagged with its run's client
        own = {r["run_id"] for r in records if r.get("client") == client and "run_id" in r}
        assert own == {outcome["run_id"]}
        folder = project.parent / outcome["folder"]
        assert folder.parent == project.parent / "runs" / client
        assert (folder / "trace.zip").is_file()
        assert (folder / "report.html").is_file()
    with closing(History(project.parent / ".bot" / "history.sqlite")) as history:
        rows = history.list_runs(limit=100)
    assert sorted((row.client, row.verdict) for row in rows) == [(c, "passed") for c in CLIENTS]
    for client, world in worlds.items():  # each Assignar shows its own user, signed in its own
        own_user = f"{client}.integration"
        integration = sim_state(world["assignar_url"])["integration"]
        assert (integration["authorized_user"], integration["connection"]) == (
            own_user,
            "connected",
        )
        signed_in = {a["username"] for a in sim_state(world["acumatica_url"])["sign_in_attempts"]}
        assert signed_in == {own_user}


def max_at_once(records: list[dict[str, Any]]) -> int:
    """The most runs between their RunStarted and RunFinished at the same time."""
    running, most = 0, 0
    for record in records:
        running += {"RunStarted": 1, "RunFinished": -1}.get(record["event"], 0)
        most = max(most, running)
    return most


def test_ctrl_c_stops_every_run_before_its_next_step_and_keeps_the_evidence(
    project: Path,
) -> None:
    args = ["fleet", "run", "reauthorize", "--parallel", "2"]
    args += [arg for client in CLIENTS[:3] for arg in ("--client", client)]
    environment = {**os.environ, "NO_COLOR": "1", "COLUMNS": "160"}
    process = subprocess.Popen(
        [BOT, "--config", str(project), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        wait_for_steps(project.parent / ".bot" / "history.sqlite", process, steps=3)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stdout + stderr
    lines = stdout.splitlines()
    verdicts = [line.split()[0] for line in lines if line.split()[:1] != ["evidence:"]]
    assert verdicts[:3] == ["INTERRUPTED", "INTERRUPTED", "NOT"], stdout
    evidence = [Path(line.split("evidence: ", 1)[1]) for line in lines if "evidence: " in line]
    assert len(evidence) == 2, stdout
    for folder in evidence:
        found = folder if folder.is_absolute() else project.parent / folder
        assert (found / "trace.zip").is_file()
        assert (found / "report.html").is_file()


def wait_for_steps(history_path: Path, process: subprocess.Popen[str], steps: int) -> None:
    """Until some run of the fleet has recorded `steps` steps (the fleet is well under way)."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if history_path.exists():
            with closing(History(history_path)) as history:
                if any(row.step_count >= steps for row in history.list_runs()):
                    return
        time.sleep(0.2)
    pytest.fail("no run reached its third step within 600 s")


def test_bad_input_starts_nothing(project: Path) -> None:
    unknown_runbook = bot(project, "fleet", "run", "reauthorise", timeout=120)
    assert unknown_runbook.returncode == 2
    assert "reauthorize" in unknown_runbook.stderr  # did you mean …
    unknown_client = bot(project, "fleet", "run", "status", "--client", "nobody", timeout=120)
    assert unknown_client.returncode == 2
    assert "unknown client 'nobody'" in unknown_client.stderr
    assert not (project.parent / "runs").exists()
