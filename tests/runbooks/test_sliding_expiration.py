"""`bot run sliding-expiration`: Connected Applications (SM303010) → the Assignar application →
Refresh Tokens: Sliding Expiration, Sliding Lifetime 15, Infinite — only on 2024 R1 or newer."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot_sim.harness import Simulators
from runbook_e2e import Bot

from bot import SandboxBot

RUNBOOKS = Path(__file__).resolve().parents[2] / "runbooks"

BOT = Path(sys.executable).parent / "bot"
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
    # the article's order: Mode, then 15 for the Sliding Lifetime, then the box next to Infinite
    done = [
        name
        for line in first.output.splitlines()
        for name in ("Mode = Sliding Expiration", "Sliding Lifetime (Days)", "Infinite")
        if re.search(rf"✓ +[\d.]+s  {re.escape(name)} \(", line)
    ]
    assert done == ["Mode = Sliding Expiration", "Sliding Lifetime (Days)", "Infinite"], done
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


def test_a_refused_value_is_located_at_the_same_step_everywhere_and_quoted(
    sims: Simulators, tmp_path: Path
) -> None:
    """Acumatica's own refusal, deep inside `choose` → `within` → `use`: copies of the runbooks
    without their bounds let 99 reach it (the shipped ones refuse it before the browser)."""
    copies = tmp_path / "runbooks"
    copies.mkdir()
    for name in ("sliding-expiration", "connected-application-refresh-tokens"):
        text = (RUNBOOKS / f"{name}.yaml").read_text(encoding="utf-8")
        unbounded = text.replace(" minimum: 1, maximum: 60,", "")
        assert unbounded != text
        (copies / f"{name}.yaml").write_text(unbounded, encoding="utf-8")
    bot = SandboxBot(sims, tmp_path / "bot", runbooks=[copies])
    run = bot.run("sliding-expiration", {"sliding_lifetime": 99})

    assert run.verdict == "failed", run
    lines = (copies / "connected-application-refresh-tokens.yaml").read_text().splitlines()
    step = next(i for i, line in enumerate(lines, 1) if "Check Acumatica accepted" in line)
    inner = f"connected-application-refresh-tokens.yaml:{step}"
    said = "“'Sliding Lifetime (Days)' must be between 1 and 60.”"
    assert f"{inner} (Check Acumatica accepted the values)" in run.output
    assert f"expected no alert, but 1 is shown: {said}" in run.message
    report = json.loads((run.folder / "report.json").read_text(encoding="utf-8"))
    assert report["failing_source"].endswith(inner)
    assert report["failing_description"] == "Check Acumatica accepted the values"
    assert "> " in report["failing_yaml"]
    assert "Check Acumatica accepted the values" in report["failing_yaml"].split("\n>")[1]
    assert report["failing_inside"][:2] == [
        "Is the screen in a frame?",
        "Connected Applications (in its frame)",
    ]
    junit = (run.folder / "junit.xml").read_text(encoding="utf-8")
    assert f"failed inside: {report['failing_source']} (Check Acumatica" in junit
    shown = subprocess.run(
        [BOT, "--config", str(bot.config_path), "runs", "show", run.outcome.result.run_id],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stdout
    assert f"{inner}, Check Acumatica accepted the values):" in shown, shown
    assert "inside: Is the screen in a frame? › Connected Applications (in its frame)" in shown


def test_a_missing_connected_application_is_named_and_nothing_is_saved(
    sims: Simulators, bot: Bot
) -> None:
    """The article: find the Client ID of the Assignar integration. When Connected Applications
    has none (deleted), the run says so in the article's words instead of a failed expectation."""
    with sims.acumatica.lock:
        del sims.acumatica.apps[sims.client_id]

    run = bot.run("sliding-expiration")

    assert run.verdict == "failed", run
    assert "Connected Applications (SM303010) has no application with Client ID" in run.message
    assert f"'{sims.client_id}' (setting acumatica_client_id)" in run.message
    assert "Nothing was changed" in run.message
    assert sims.acumatica.snapshot()["connected_apps"] == {}


def test_without_a_client_id_a_missing_application_name_is_said(
    sims: Simulators, tmp_path: Path
) -> None:
    with sims.acumatica.lock:
        sims.acumatica.apps[sims.client_id].name = "Procore"
    bot = SandboxBot(sims, tmp_path / "bot", settings={"acumatica_client_id": ""}, timeout=3)

    run = bot.run("sliding-expiration")

    assert run.verdict == "failed", run
    assert "lists no application named 'Assignar' (setting assignar_client_name)" in run.message
    assert "Nothing was changed" in run.message
    assert refresh_settings(sims)["mode"] == "Absolute Expiration"
