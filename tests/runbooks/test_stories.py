"""The 30-day story end to end through the bot, as a support engineer lives it."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot_sim.harness import Simulators
from runbook_e2e import CLIENT, Bot


def status(sims: Simulators) -> str:
    return str(sims.assignar.snapshot()["integration"]["status"])


def test_2023_r2_needs_re_authorizing_after_30_days_and_the_bot_does_it_again(
    sims: Simulators, bot: Bot
) -> None:
    sims.acumatica.update_settings(version="23.200.0151")
    first = bot.run("reauthorize")
    assert first.verdict == "passed", first
    assert status(sims) == "Connected"

    syncs = sims.advance(days=31)

    assert syncs[0]["ok"]
    assert syncs[-1]["error"] == "invalid_grant"  # Acumatica's 30 days ran out
    outbox = sims.assignar.snapshot()["outbox"]
    assert [mail["to"] for mail in outbox] == ["ops@acme.example"]  # the emails the bot entered
    check = bot.run("status")
    assert check.verdict == "passed", check
    assert check.vars["status"] == "Needs re-authorization"
    assert any("Needs re-authorization" in line for line in check.summary), check.summary
    assert f"Re-authorize now: bot run reauthorize --client {CLIENT}" in check.summary
    assert "Acumatica 23.200.0151" in check.summary

    again = bot.run("reauthorize")

    assert again.verdict == "passed", again
    assert status(sims) == "Connected"
    assert sims.assignar.sync()["ok"]


def test_2024_r1_with_sliding_expiration_stays_connected_for_120_days(
    sims: Simulators, bot: Bot
) -> None:
    first = bot.run("reauthorize")
    assert first.verdict == "passed", first
    assert any(f"bot run sliding-expiration --client {CLIENT}" in line for line in first.summary)
    sliding = bot.run("sliding-expiration")
    assert sliding.verdict == "passed", sliding

    syncs = sims.advance(days=120)

    assert len(syncs) >= 120
    assert all(entry["ok"] for entry in syncs), [e for e in syncs if not e["ok"]][:1]
    assert status(sims) == "Connected"
    assert sims.assignar.snapshot()["outbox"] == []
    check = bot.run("status")
    assert check.verdict == "passed", check
    assert check.vars["status"] == "Connected"
    assert "Sliding Expiration: configured" in check.summary
    assert not any("Re-authorize now" in line for line in check.summary)


def test_status_says_when_the_30_days_run_out_and_how_to_end_them(
    sims: Simulators, bot: Bot
) -> None:
    """The article: refresh tokens die 30 days after the authentication (absolute), unless on
    2024 R1+ the connected application is set to Sliding Expiration."""
    assert bot.run("reauthorize").verdict == "passed"
    authorized = datetime.fromisoformat(sims.assignar.snapshot()["integration"]["last_authorized"])
    runs_out = (authorized.date() + timedelta(days=30)).isoformat()

    check = bot.run("status")

    assert check.verdict == "passed", check
    assert check.vars["next_due"] == runs_out
    said = [line for line in check.summary if line.startswith("The authorization lasts 30 days")]
    assert len(said) == 1, check.summary
    assert said[0].endswith(f"out on {runs_out}."), said
    sliding_hint = (
        "To stop the 30-day re-authorizations (2024 R1 or newer): run "
        f"`bot run sliding-expiration --client {CLIENT}`."
    )
    assert sliding_hint in check.summary

    assert bot.run("sliding-expiration").verdict == "passed"
    after = bot.run("status")

    assert after.verdict == "passed", after
    assert "Sliding Expiration: configured" in after.summary
    assert not any("30 days" in line for line in after.summary), after.summary
