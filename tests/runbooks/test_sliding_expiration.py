"""`bot run sliding-expiration`: Connected Applications (SM303010) → the Assignar application →
Refresh Tokens: Sliding Expiration, Sliding Lifetime 15, Infinite — only on 2024 R1 or newer."""

from __future__ import annotations

from typing import Any

from bot_sim.harness import Simulators
from runbook_e2e import Bot

SLIDING_15_INFINITE = {"mode": "Sliding Expiration", "sliding_days": 15.0, "infinite": True}


def refresh_settings(sims: Simulators) -> dict[str, Any]:
    return dict(sims.acumatica.snapshot()["connected_apps"][sims.client_id]["refresh"])


def test_refused_on_2023_r2_with_the_explanation(sims: Simulators, bot: Bot) -> None:
    sims.acumatica.update_settings(version="23.200.0151")
    before = refresh_settings(sims)

    run = bot.run("sliding-expiration")

    assert run.verdict == "failed"
    assert "Acumatica 23.200.0151 is older than 2024 R1" in run.message, run
    assert "no Sliding Expiration" in run.message
    assert "re-authorized every 30 days" in run.message
    assert "Nothing was changed" in run.message
    assert refresh_settings(sims) == before
    assert before["mode"] == "Absolute Expiration"


def test_on_2024_r1_the_first_run_saves_and_the_second_changes_nothing(
    sims: Simulators, bot: Bot
) -> None:
    assert refresh_settings(sims)["mode"] == "Absolute Expiration"

    first = bot.run("sliding-expiration")

    assert first.verdict == "passed", first
    assert refresh_settings(sims).items() >= SLIDING_15_INFINITE.items()
    assert first.vars["already_configured"] == "False"
    assert first.summary == [
        "Refresh tokens now use Sliding Expiration (Sliding Lifetime 15, Infinite checked): no "
        "more 30-day re-authorizations while the integration syncs."
    ]
    saved = refresh_settings(sims)

    # the second time on the newer UI, where SM303010 is not in a frame: the same runbook copes
    sims.acumatica.update_settings(frame=False)
    second = bot.run("sliding-expiration")

    assert second.verdict == "passed", second
    assert second.vars["already_configured"] == "True"
    assert second.summary == [
        "Sliding Expiration was already configured (Sliding Lifetime 15, Infinite checked); "
        "nothing was changed."
    ]
    assert refresh_settings(sims) == saved
