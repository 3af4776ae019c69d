"""The sandbox path for real: simulators started separately with `bot sim up --write-config`, the
smoke suite pointed at them with `--bot-target sandbox`, pytest-playwright tracing on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.evidence import encodings_of

ROOT = Path(__file__).resolve().parents[2]
BOT = str(Path(sys.executable).with_name("bot"))


@pytest.fixture
def sim_up(tmp_path: Path) -> Iterator[Path]:
    """`bot sim up --write-config DIR` in its own process group; yields DIR once it is written."""
    folder = tmp_path / "sandbox"
    process = subprocess.Popen(
        [BOT, "sim", "up", "--write-config", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not (folder / ".env").exists() or not (folder / ".env").read_text():
            assert process.poll() is None, "bot sim up exited"
            assert time.monotonic() < deadline, "bot sim up wrote no config"
            time.sleep(0.2)
        yield folder
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=15)


@pytest.mark.browser
def test_smoke_suite_runs_against_a_sandbox_config_and_scrubs_its_traces(
    sim_up: Path, tmp_path: Path
) -> None:
    output = tmp_path / "pw-output"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/smoke",
            "-p",
            "no:cacheprovider",
            "--bot-target",
            "sandbox",
            "--bot-config",
            str(sim_up / "config.yaml"),
            "--tracing",
            "on",
            "--output",
            str(output),
            "-q",
            "-rs",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "3 passed" in done.stdout, done.stdout[-3000:]
    # the run folders are where the sandbox config's `runs.root` says, as with `bot run` (not in
    # a temporary folder that CI would not upload and the config's history would outlive)
    reports = {p.parent.name.split("-")[1] for p in (sim_up / "runs").rglob("report.html")}
    assert reports == {"reauthorize", "sliding", "status"}
    traces = list(output.rglob("trace.zip"))
    assert traces, "pytest-playwright wrote no trace"
    passwords = [line.split("=", 1)[1] for line in (sim_up / ".env").read_text().splitlines()]
    spellings = {form.encode() for password in passwords for form in encodings_of(password)}
    for path in output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [form for form in spellings if form in data], f"a password is in {path}"


@pytest.mark.browser
def test_runs_on_one_sandbox_take_turns(sim_up: Path, pytester: pytest.Pytester) -> None:
    """Another run of the sandbox's client (another pytest-xdist worker, a colleague's `bot run`)
    holds its lock: the smoke test's run waits for it instead of failing as busy."""
    pytester.makepyfile(
        textwrap.dedent("""
        import threading

        from filelock import FileLock

        def test_status(bot_target, bot_run):
            lock = FileLock(
                str(bot_target.config.resolve(".bot/locks") / "sandbox.lock"), thread_local=False
            )
            lock.acquire()
            threading.Timer(1.0, lock.release).start()
            assert bot_run("status").result.vars["status"]
    """)
    )
    result = pytester.runpytest_subprocess(
        "--bot-target", "sandbox", "--bot-config", str(sim_up / "config.yaml")
    )
    result.assert_outcomes(passed=1)


@pytest.mark.browser
def test_an_xdist_worker_scrubs_its_own_tests_artifacts_not_the_other_workers(
    sim_up: Path, pytester: pytest.Pytester
) -> None:
    """Workers end at different times: one that scrubbed the whole --output folder would rewrite
    or delete a trace another worker is still writing (on a sandbox all know the same password).
    Each worker scrubs the folders of its own tests; the file of "another worker" stays as it is."""
    password = dict(line.split("=", 1) for line in (sim_up / ".env").read_text().splitlines())[
        "SANDBOX_ASSIGNAR_PASSWORD"
    ].strip('"')
    output = Path(pytester.path) / "pw-output"
    elsewhere = output / "another-worker-s-test" / "trace.zip"
    partial = b"PK\x03\x04\x00" + password.encode() + b"\xff"  # being written, holding the secret
    pytester.makepyfile(
        textwrap.dedent(f"""
        from pathlib import Path

        def test_status(bot_run):
            bot_run("status")

        def test_another_worker_is_still_writing():
            Path({str(elsewhere)!r}).parent.mkdir(parents=True)
            Path({str(elsewhere)!r}).write_bytes({partial!r})
    """)
    )
    result = pytester.runpytest_subprocess(
        "-p", "xdist", "-n", "1", "--bot-target", "sandbox",
        "--bot-config", str(sim_up / "config.yaml"), "--tracing", "on", "--output", str(output),
    )  # fmt: skip
    result.assert_outcomes(passed=2)
    assert elsewhere.read_bytes() == partial
    own = [p for p in output.rglob("trace.zip") if p != elsewhere]
    assert own, "pytest-playwright wrote no trace for the bot's test"
    spellings = {form.encode() for form in encodings_of(password)}
    for path in own:
        assert not [form for form in spellings if form in path.read_bytes()], path
