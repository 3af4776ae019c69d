"""The fault matrix: each fault injected through the simulators (or the OS), and what the bot does.

docs/reliability.md tabulates these tests. Every run's folder is scanned for the simulators'
passwords (`RelBot.assert_clean`).
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from bot_sim.harness import Simulators
from rel_helpers import (
    UNREAD_STATE,
    RelBot,
    alive,
    assert_final_state,
    browser_main_process,
    chromium_processes,
    copy_runbooks,
)

from bot import Catalog, ClientBusy, Event, RunOptions, StepEvent, StepStatus, execute, load_config
from bot.evidence import Scrubber
from bot.steps import BUILTIN

BOT = Path(sys.executable).parent / "bot"
INTEGRATION_USER = "assignar.integration"
SAVE = r"/integrations/acumatica/wizard/save$"


def started(label: str, action: object) -> object:
    """A bus listener calling `action()` once, when the step described as `label` starts."""
    done: list[bool] = []

    def listener(event: Event) -> None:
        if (
            isinstance(event, StepEvent)
            and event.status == StepStatus.STARTED
            and event.description == label
            and not done
        ):
            done.append(True)
            action()  # type: ignore[operator]

    return listener


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def integration_state(sims: Simulators) -> dict[str, object]:
    integ = sims.assignar.integration
    return {
        "enabled": integ.enabled,
        "connection": integ.connection,
        "authorized_user": integ.authorized_user,
        "tenant": integ.tenant,
        "instance_url": integ.instance_url,
        "last_authorized": integ.last_authorized,
    }


def test_every_page_3s_slow_passes(sims: Simulators, rbot: RelBot) -> None:
    sims.assignar.faults.delay_seconds = 3.0
    sims.acumatica.faults.delay_seconds = 3.0
    run = rbot.run("status")
    assert run.verdict == "passed", run
    assert "authorized as assignar.integration" in run.summary_text
    rbot.assert_evidence(run)


def test_every_page_3s_slow_reauthorize_passes(sims: Simulators, rbot: RelBot) -> None:
    sims.assignar.faults.delay_seconds = 3.0
    sims.acumatica.faults.delay_seconds = 3.0
    run = rbot.run("reauthorize")
    assert run.verdict == "passed", run
    assert sims.assignar.integration.authorized_user == INTEGRATION_USER
    rbot.assert_evidence(run)


def test_transient_502_on_save_is_retried_and_passes(sims: Simulators, rbot: RelBot) -> None:
    sims.assignar.add_failure(SAVE, status=502, method="POST", times=1)
    run = rbot.run()
    assert run.verdict == "passed", run
    assert "↻" in run.output or "retr" in run.output.lower(), run
    assert sims.assignar.integration.authorized_user == INTEGRATION_USER
    rbot.assert_evidence(run)


def test_persistent_500_on_save_fails_classified_and_reports_the_state(
    sims: Simulators, rbot: RelBot
) -> None:
    before = integration_state(sims)
    sims.assignar.add_failure(SAVE, status=500, method="POST", times=None)
    run = rbot.run()
    assert run.verdict == "failed", run
    assert run.kind == "server_error", run
    assert "the server answered HTTP 500 for POST" in run.message, run
    assert "/integrations/acumatica/wizard/save" in run.message
    assert "Assignar says: “500 Server Error”" in run.message
    assert integration_state(sims) == before
    assert_final_state(run)
    rbot.assert_evidence(run)


def test_session_expiring_mid_wizard_is_named(sims: Simulators, rbot: RelBot) -> None:
    rbot.write(timeout="5s")
    expire = started("Notification email addresses", sims.assignar.expire_sessions)
    run = rbot.run(listeners=[expire])
    assert run.verdict == "failed", run
    assert run.kind == "signed_out", run
    assert "the Assignar (assignar_url) session expired" in run.message, run
    assert "Your session has expired" in run.message
    assert_final_state(run)
    rbot.assert_evidence(run)


def test_consent_denied_fails_saying_so(sims: Simulators, rbot: RelBot, tmp_path: Path) -> None:
    def deny(name: str, text: str) -> str:
        if name != "reauthorize":
            return text
        assert 'click: "Yes, Allow"' in text
        return text.replace('click: "Yes, Allow"', 'click: "No, Do Not Allow"')

    rbot.write(runbooks=copy_runbooks(tmp_path / "deny-runbooks", deny))
    before = integration_state(sims)
    run = rbot.run()
    assert run.verdict == "failed", run
    assert run.kind == "oauth_error", run
    assert run.message == (
        "Acumatica refused the authorization: error=access_denied (the consent was denied) — "
        "“The resource owner or authorization server denied the request”"  # its own words
    ), run
    assert integration_state(sims) == before
    assert_final_state(run)
    rbot.assert_evidence(run)


def test_wrong_integration_password_fails_at_once_with_one_attempt(
    sims: Simulators, rbot: RelBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SANDBOX_INTEGRATION_PASSWORD", "not-the-password-123")
    run = rbot.run()
    assert run.verdict == "failed", run
    assert "Invalid credentials" in run.message, run
    attempts = [a for a in sims.acumatica.sign_in_log if a.username == INTEGRATION_USER]
    assert len(attempts) == 1, attempts
    assert not sims.acumatica.users[INTEGRATION_USER].locked
    assert_final_state(run)
    rbot.assert_evidence(run)


def test_locked_account_fails_with_that_reason(sims: Simulators, rbot: RelBot) -> None:
    sims.acumatica.users[INTEGRATION_USER].locked = True
    run = rbot.run()
    assert run.verdict == "failed", run
    assert run.kind == "account_blocked", run
    assert run.message == "Acumatica says: “Your account is locked out.”", run
    assert_final_state(run)
    rbot.assert_evidence(run)


def test_assignar_unreachable_fails_with_that_reason(sims: Simulators, rbot: RelBot) -> None:
    rbot.write(settings={"assignar_url": f"http://127.0.0.1:{closed_port()}"})
    run = rbot.run()
    assert run.verdict == "failed", run
    assert run.kind == "navigation", run
    assert "ERR_CONNECTION_REFUSED" in run.message, run
    assert (run.folder / "report.html").is_file()
    rbot.assert_clean(run.folder)


def test_acumatica_unreachable_fails_with_that_reason(sims: Simulators, rbot: RelBot) -> None:
    before = integration_state(sims)
    rbot.write(settings={"acumatica_url": f"http://127.0.0.1:{closed_port()}/AcumaticaERP"})
    run = rbot.run()
    assert run.verdict == "failed", run
    assert run.kind == "navigation", run
    assert "ERR_CONNECTION_REFUSED" in run.message, run
    assert integration_state(sims) == before
    assert_final_state(run)
    rbot.assert_evidence(run)


def test_chromium_killed_mid_run_is_recorded_failed_with_evidence(
    sims: Simulators, rbot: RelBot
) -> None:
    killed: list[int] = []
    before = set(chromium_processes())  # pytest-playwright's browser, if an earlier test opened it

    def kill_browser() -> None:
        pid = browser_main_process(ignore=before)
        assert pid is not None, "no Chromium below this process"
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    run = rbot.run(listeners=[started("Re-Authorize", kill_browser)])
    assert killed
    assert run.verdict == "failed", run
    assert run.kind == "browser_closed", run
    assert_final_state(run, UNREAD_STATE)  # nothing left to read it with: the verdict says so
    # screenshots are taken at the failure (the default policy), by a browser that is gone
    rbot.assert_evidence(run, pictures=False)
    rows = rbot.history_rows()
    assert [row["verdict"] for row in rows] == ["failed"]
    assert [pid for pid in chromium_processes() if pid not in before] == []


RERENDER_RUNBOOK = """\
name: rerender
description: Click a button the page replaces in the DOM between locating and clicking it.
requires: [site_url]
steps:
  - goto: "{{ client.site_url }}/rerender.html"
  - click: Save
  - expect: {text: "/^Saved 1 time\\\\(s\\\\), by render [3-9]/"}
"""


def test_element_rerendered_between_locating_and_clicking_is_retried(
    pages_url: str, tmp_path: Path
) -> None:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "rerender.yaml").write_text(RERENDER_RUNBOOK, encoding="utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(
        f"runbooks: [runbooks]\ntimeout: 5s\nclients:\n  local:\n    settings:\n"
        f"      site_url: {pages_url}\n",
        encoding="utf-8",
    )
    loaded = load_config(config)
    catalog = Catalog([loaded.resolve(folder) for folder in loaded.runbooks], BUILTIN)
    out = io.StringIO()
    outcome = execute(loaded, catalog, "rerender", "local", {}, RunOptions(), out)
    assert outcome.result.verdict == "passed", out.getvalue()
    assert Scrubber([]).assert_clean(outcome.folder) == []


def test_ctrl_c_stops_cleanly_closes_the_browser_and_exits_130(
    sims: Simulators, rbot: RelBot
) -> None:
    sims.assignar.faults.delay_seconds = 0.5  # long enough to be mid-run when the signal lands
    bot = subprocess.Popen(
        [
            str(BOT),
            "--config",
            str(rbot.sandbox.config_path),
            "run",
            "reauthorize",
            "--client",
            "sandbox",
            "--json",
        ],
        env={**os.environ, **rbot.sandbox.env, "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert bot.stdout is not None
        for line in bot.stdout:
            event = json.loads(line)
            if event.get("description") == "Re-Authorize" and event.get("status") == "started":
                break
        browsers = chromium_processes(bot.pid)
        assert browsers, "the run has a browser by now"
        bot.send_signal(signal.SIGINT)
        out, err = bot.communicate(timeout=30)
    finally:
        if bot.poll() is None:
            bot.kill()
    assert bot.returncode == 130, err
    assert "INTERRUPTED" in out
    assert UNREAD_STATE in out  # stopped at once (no `finally`): the verdict says so
    assert [pid for pid in browsers if alive(pid)] == [], "Chromium outlived the run"
    rows = rbot.history_rows()
    assert [row["verdict"] for row in rows] == ["interrupted"]
    folder = Path(rows[0]["run_dir"])
    assert (folder / "report.html").is_file()
    rbot.assert_clean(folder)


def test_sigterm_stops_like_ctrl_c(sims: Simulators, rbot: RelBot) -> None:
    bot = subprocess.Popen(
        [
            str(BOT),
            "--config",
            str(rbot.sandbox.config_path),
            "run",
            "status",
            "--client",
            "sandbox",
            "--json",
        ],
        env={**os.environ, **rbot.sandbox.env, "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert bot.stdout is not None
        for line in bot.stdout:
            if json.loads(line).get("event") == "StepEvent":
                break
        browsers = chromium_processes(bot.pid)
        bot.send_signal(signal.SIGTERM)
        _, err = bot.communicate(timeout=30)
    finally:
        if bot.poll() is None:
            bot.kill()
    assert bot.returncode == 130, err
    # said as a signal, not as if someone at a keyboard could press Ctrl-C again
    assert "terminated: stopping after the current step" in err
    assert "Ctrl-C" not in err
    assert [pid for pid in browsers if alive(pid)] == []
    rows = rbot.history_rows()
    assert [row["verdict"] for row in rows] == ["interrupted"]
    rbot.assert_clean(Path(rows[0]["run_dir"]))


def test_two_runs_for_one_client_never_interleave(sims: Simulators, rbot: RelBot) -> None:
    first = subprocess.Popen(
        [
            str(BOT),
            "--config",
            str(rbot.sandbox.config_path),
            "run",
            "reauthorize",
            "--client",
            "sandbox",
            "--json",
        ],
        env={**os.environ, **rbot.sandbox.env, "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout is not None
        for line in first.stdout:
            if json.loads(line).get("event") == "StepEvent":
                break
        sign_ins = len(sims.assignar.world.sign_in_attempts)
        with pytest.raises(ClientBusy, match="another run for client 'sandbox' is in progress"):
            rbot.run("reauthorize")
        assert len(sims.assignar.world.sign_in_attempts) == sign_ins  # the second did nothing
        rest, err = first.communicate(timeout=90)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err + rest[-2000:]
    rows = rbot.history_rows()
    assert [row["verdict"] for row in rows] == ["passed"]  # one run, whole
    assert len(list((rbot.sandbox.runs_root / "sandbox").iterdir())) == 1
    rbot.assert_clean(Path(rows[0]["run_dir"]))
