"""The 30-day story end to end through the bot, as a support engineer lives it."""

from __future__ import annotations

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
