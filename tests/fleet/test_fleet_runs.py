"""`bot fleet run` in-process: one browser, a context per client, runs at once; a failing or
crashing run, a crashed browser and a stop request each touch only the runs they must."""

from __future__ import annotations

from bot_sim.worlds import Worlds
from fleet_helpers import (
    StepTrigger,
    chromium_browsers,
    has_kept_evidence,
    history_rows,
    kill,
)

from bot import FleetOptions, SandboxBot, interrupts


def test_a_failing_and_a_crashing_client_stop_nobody_else(
    fleet: SandboxBot, worlds: Worlds
) -> None:
    worlds.by_client["client02"].assignar.add_failure("/integrations", 500, times=None)
    (fleet.folder / ".bot" / "locks" / "client03.lock").mkdir(parents=True)  # its lock: a crash
    report = fleet.fleet("reauthorize", options=FleetOptions(parallel=4))
    verdicts = {outcome.client: outcome.verdict for outcome in report.outcomes}
    assert verdicts == {
        "client01": "passed",
        "client02": "failed",
        "client03": "failed",
        "client04": "passed",
    }
    failed, crashed = report.outcomes[1], report.outcomes[2]
    assert "500" in failed.message or "server" in failed.message.lower(), failed
    assert has_kept_evidence(failed)
    assert crashed.message.startswith("crashed: IsADirectoryError"), crashed
    assert {row.client for row in history_rows(fleet)} == {"client01", "client02", "client04"}


def test_a_crashed_browser_fails_only_its_runs_and_a_new_one_serves_the_rest(
    fleet: SandboxBot,
) -> None:
    before = chromium_browsers()
    trigger = StepTrigger("client01", 3, lambda: kill(chromium_browsers() - before))
    report = fleet.fleet("reauthorize", options=FleetOptions(parallel=2, observe=trigger))
    assert trigger.fired
    first, *rest = report.outcomes
    assert first.verdict == "failed"
    assert first.message.startswith("the browser (local chromium #1) was lost mid-run"), first
    assert has_kept_evidence(first)
    # the other run the crashed browser held failed too, or (before its first step) went again;
    # everyone after it ran in a new browser
    later = [outcome for outcome in rest if outcome.browser != "local chromium #1"]
    assert later, report
    assert all(outcome.verdict == "passed" for outcome in later), report
    assert {outcome.browser for outcome in later} == {"local chromium #2"}
    rows = history_rows(fleet)
    assert {row.client for row in rows} == {"client01", "client02", "client03", "client04"}
    assert next(row for row in rows if row.id == first.run_id).verdict == "failed"


def test_a_stop_request_ends_every_run_before_its_next_step_keeping_the_evidence(
    fleet: SandboxBot,
) -> None:
    trigger = StepTrigger("client01", 3, interrupts.STOP_REQUESTED.set)
    try:
        report = fleet.fleet("reauthorize", options=FleetOptions(parallel=2, observe=trigger))
    finally:
        interrupts.STOP_REQUESTED.clear()
    verdicts = [outcome.verdict for outcome in report.outcomes]
    assert verdicts == ["interrupted", "interrupted", "not started", "not started"]
    assert report.interrupted
    for outcome in report.outcomes[:2]:
        assert has_kept_evidence(outcome)
        assert (outcome.folder / "trace.zip").is_file(), outcome  # type: ignore[operator]
    rows = {row.client: row.verdict for row in history_rows(fleet)}
    assert rows == {"client01": "interrupted", "client02": "interrupted"}


def test_runs_go_at_once_up_to_parallel_each_in_its_own_context(fleet: SandboxBot) -> None:
    running: set[str] = set()
    most = 0

    def watch(progress: object) -> None:
        nonlocal most
        client, state = progress.client, progress.state  # type: ignore[attr-defined]
        if state == "running":
            running.add(client)
        elif state in ("passed", "failed"):
            running.discard(client)
        most = max(most, len(running))

    report = fleet.fleet("status", options=FleetOptions(parallel=3, observe=watch))
    assert [outcome.verdict for outcome in report.outcomes] == ["passed"] * 4
    assert most == 3
    for outcome in report.outcomes:  # each saw its own Assignar (no shared cookies)
        assert f"authorized as {outcome.client}.integration" in outcome.message, outcome
