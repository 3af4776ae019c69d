"""Run history: written as the run goes, so a killed run stays visible as interrupted."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bot import RunFinished, RunStarted, Scrubber, StepEvent, StepStatus
from bot.evidence import History, HistoryRecorder

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Hunter2-canary!"


def step(path: str, status: StepStatus, at: float, **extra: object) -> StepEvent:
    return StepEvent(
        run_id="r1", path=path, description=f"do {path}", status=status, at=at, **extra
    )  # type: ignore[arg-type]


def record_run(history: History) -> None:
    recorder = HistoryRecorder(history, operator="support", run_dir=Path("runs/acme/x"))
    recorder(RunStarted("r1", "reauthorize", "acme", {"tenant": "ACME"}, started_at=100.0))
    recorder(step("steps[0]", StepStatus.STARTED, 100.0))
    recorder(step("steps[0]", StepStatus.PASSED, 101.5, duration=1.5, matched="role=button"))
    recorder(step("steps[1]", StepStatus.STARTED, 101.5))
    recorder(step("steps[1]", StepStatus.RETRIED, 102.0, attempt=2, message="not found yet"))
    recorder(
        step(
            "steps[1]",
            StepStatus.FAILED,
            103.0,
            duration=1.5,
            attempt=2,
            failure_kind="not_found",
            message=f"no field; typed {PASSWORD}",
            source="runbooks/reauthorize.yaml:14",
        )
    )
    recorder(
        RunFinished(
            "r1", "failed", 103.0, message=f"stopped after {PASSWORD}", failure_kind="not_found"
        )
    )


def test_a_run_and_its_steps_are_recorded(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite", Scrubber([PASSWORD]))
    record_run(history)
    [run] = history.list_runs()
    assert (run.id, run.verdict, run.failure_kind, run.step_count) == (
        "r1",
        "failed",
        "not_found",
        2,
    )
    assert run.run_dir == "runs/acme/x"
    detail = history.get_run("r1")
    assert detail is not None
    assert [(s.seq, s.path, s.status, s.attempt) for s in detail.steps] == [
        (1, "steps[0]", "passed", 1),
        (2, "steps[1]", "failed", 2),
    ]
    assert detail.steps[0].started == 100.0
    assert detail.steps[0].matched == "role=button"
    assert detail.steps[1].source == "runbooks/reauthorize.yaml:14"


def test_no_secret_reaches_the_database_files(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite", Scrubber([PASSWORD]))
    record_run(history)
    history.remember("r1", "acme", {"authorized_user": f"user {PASSWORD}"}, ["authorized_user"])
    detail = history.get_run("r1")
    assert detail is not None
    assert detail.message == "stopped after [secret]"
    assert detail.facts["authorized_user"] == "user [secret]"
    assert Scrubber([PASSWORD]).assert_clean(tmp_path) == []  # db, -wal and -shm files


def test_update_run_and_filters(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite")
    record_run(history)
    recorder = HistoryRecorder(history)
    recorder(RunStarted("r2", "status", "globex", {}, started_at=200.0))
    recorder(RunFinished("r2", "passed", 201.0))
    history.remember("r2", "globex", {"acumatica_build": "24.102.0034"}, ["acumatica_build"])
    assert [run.id for run in history.list_runs()] == ["r2", "r1"]
    assert [run.id for run in history.list_runs(client="globex")] == ["r2"]
    assert [run.id for run in history.list_runs(failed_only=True)] == ["r1"]
    assert history.list_runs(limit=1)[0].facts["acumatica_build"] == "24.102.0034"
    with pytest.raises(ValueError, match="verdict"):
        history.update_run("r2", verdict="passed")


def test_forgetting_a_client_keeps_each_run_s_own_facts(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite")
    record_run(history)
    history.remember("r1", "acme", {"sliding_expiration": "configured"}, ["sliding_expiration"])
    history.remember("r1", "globex", {"acumatica_build": "24.102.0034"}, ["acumatica_build"])
    history.forget("acme")
    assert "acme" not in history.client_facts()
    assert history.client_facts("globex") == {"globex": {"acumatica_build": "24.102.0034"}}
    assert history.run_facts("r1")["sliding_expiration"] == "configured"
    history.forget("nobody")  # nothing known: nothing to do


def test_run_on_another_host_is_interrupted_only_after_a_day(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite")
    for run_id, started in (("old", time.time() - 2 * 86400), ("new", time.time() - 60)):
        history.insert(
            "runs",
            {
                "id": run_id,
                "runbook": "reauthorize",
                "pid": 1,
                "host": "elsewhere.invalid",
                "started_at": started,
                "verdict": "running",
            },
        )
    assert {run.id: run.verdict for run in history.list_runs()} == {
        "old": "interrupted",
        "new": "running",
    }


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_killed_run_whose_process_id_was_given_again_is_interrupted(tmp_path: Path) -> None:
    """Before: a 'running' row whose pid now belongs to another, newer process (after a reboot,
    or once pids wrap) stayed 'running' for ever in `bot runs`. A process that started after
    the run is not the run's."""
    history = History(tmp_path / "h.sqlite")
    newer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for run_id, pid, started in (
            ("reused", newer.pid, time.time() - 3600),  # the run began an hour before it
            ("live", os.getpid(), time.time()),  # this process is still running this run
        ):
            history.insert(
                "runs",
                {
                    "id": run_id,
                    "runbook": "reauthorize",
                    "pid": pid,
                    "host": socket.gethostname(),
                    "started_at": started,
                    "verdict": "running",
                },
            )
        verdicts = {run.id: run.verdict for run in history.list_runs()}
    finally:
        newer.kill()
        newer.wait()
    assert verdicts == {"reused": "interrupted", "live": "running"}


KILLED_RUN = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from bot import RunStarted, StepEvent, StepStatus
    from bot.evidence import History, HistoryRecorder
    recorder = HistoryRecorder(History(Path(sys.argv[1])))
    recorder(RunStarted("killed-1", "reauthorize", "acme", {}, started_at=1000.0))
    for index in range(2):
        path = f"steps[{index}]"
        recorder(StepEvent("killed-1", path, f"step {index}", StepStatus.STARTED, 1000.0 + index))
        recorder(StepEvent("killed-1", path, f"step {index}", StepStatus.PASSED, 1000.5 + index,
                           duration=0.5))
    os.kill(os.getpid(), 9)
""")


def test_history_survives_sigkill_mid_run(tmp_path: Path) -> None:
    database = tmp_path / "history.sqlite"
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, str(database)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    history = History(database)
    [run] = history.list_runs()
    assert run.verdict == "interrupted"
    assert run.step_count == 2
    assert "killed" in (run.message or "")
    detail = history.get_run("killed-1")
    assert detail is not None
    assert [(s.path, s.status, s.duration) for s in detail.steps] == [
        ("steps[0]", "passed", 0.5),
        ("steps[1]", "passed", 0.5),
    ]


def test_secrets_added_after_the_history_opened_are_scrubbed(tmp_path: Path) -> None:
    """The history shares the run's scrubber, which learns secrets as the run goes."""
    scrubber = Scrubber()  # empty now; traffic harvesting fills it later
    history = History(tmp_path / "h.sqlite", scrubber)
    scrubber.add(PASSWORD)
    record_run(history)
    detail = history.get_run("r1")
    assert detail is not None
    assert detail.message == "stopped after [secret]"


def test_the_failing_step_is_the_one_the_engine_named_with_the_steps_around_it(
    tmp_path: Path,
) -> None:
    history = History(tmp_path / "h.sqlite")
    recorder = HistoryRecorder(history, operator="support")
    recorder(RunStarted("r1", "outer", "acme", {}, started_at=100.0))
    inner = "steps[1].within[0].use.steps[4]"
    for path in ("steps[1]", "steps[1].within[0]", inner):
        recorder(step(path, StepStatus.STARTED, 100.0))
    for path in (inner, "steps[1].within[0]", "steps[1]"):
        recorder(step(path, StepStatus.FAILED, 101.0, duration=1.0, message="refused"))
    recorder(RunFinished("r1", "failed", 101.0, "refused", "assertion", failing_step=inner))

    row = history.get_run("r1")

    assert row is not None
    assert row.failed is not None
    assert row.failed.path == inner
    assert [s.path for s in row.around(row.failed)] == ["steps[1]", "steps[1].within[0]"]


def test_a_history_from_before_the_failing_step_was_kept_still_opens(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE runs (id TEXT PRIMARY KEY, client TEXT, runbook TEXT NOT NULL,"
            " operator TEXT, pid INTEGER, host TEXT, started_at REAL NOT NULL, finished_at REAL,"
            " verdict TEXT NOT NULL DEFAULT 'running', failure_kind TEXT, message TEXT,"
            " run_dir TEXT, trace_path TEXT, report_path TEXT)"
        )
        db.execute(
            "INSERT INTO runs (id, runbook, started_at, verdict) VALUES ('r0', 'x', 1, 'failed')"
        )
    db.close()

    rows = History(path).list_runs()

    assert [(row.id, row.failing_step) for row in rows] == [("r0", None)]


def test_a_history_made_before_it_was_owner_only_is_made_so(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    old = os.umask(0o022)
    try:
        sqlite3.connect(path).close()  # as an older bot left it: 0644
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644  # control
    History(path).close()
    assert path.stat().st_mode & 0o777 == 0o600
