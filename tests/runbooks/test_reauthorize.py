"""`bot run reauthorize`: the article end to end against the simulators, in every variant the real
systems are known to show, and the ways it must stop without doing harm."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from bot_sim.harness import Simulators, start_simulators
from runbook_e2e import CLIENT, JANE_SECRET, Bot, BotFor

from bot.app import ClientBusy, client_lock

INTEGRATION_USER = "assignar.integration"
R2023, R2024, R2025 = "23.200.0151", "24.105.0012", "25.101.0153"


def integration(sims: Simulators) -> dict[str, Any]:
    return dict(sims.assignar.snapshot()["integration"])


def live_tokens(sims: Simulators, username: str) -> list[dict[str, Any]]:
    return [
        t
        for t in sims.acumatica.snapshot()["tokens"]
        if t["username"] == username and t["client_id"] == sims.client_id
    ]


def assert_reauthorized(sims: Simulators, user: str = INTEGRATION_USER) -> dict[str, Any]:
    """What the article promises at the end, seen from both systems."""
    integ = integration(sims)
    assert integ["enabled"] is True
    assert integ["status"] == "Connected"
    assert integ["authorized_user"] == user
    assert integ["tenant"] == "Acme Live"
    assert integ["time_zone"] == "Australia/Sydney"
    assert integ["emails"] == ["ops@acme.example"]
    assert integ["has_access_token"]
    assert integ["has_refresh_token"]
    authorized_at = datetime.fromisoformat(integ["last_authorized"])
    assert abs((sims.assignar.clock.now_dt() - authorized_at).total_seconds()) < 120  # just now
    tokens = live_tokens(sims, user)
    assert tokens, f"Acumatica issued no live token to {user} for the Assignar application"
    assert all(t["has_refresh_token"] and "offline_access" in t["scope"] for t in tokens)
    return integ


@pytest.mark.parametrize(
    ("layout", "consent_remembered", "redirect", "version", "enabled"),
    [
        pytest.param("menu", False, "login", R2024, True, id="menu-consent-login-2024R1"),
        pytest.param(
            "pencil", True, "identity", R2023, True, id="pencil-remembered-identity-2023R2"
        ),
        pytest.param("pencil", False, "login", R2025, False, id="pencil-consent-2025R1-disabled"),
    ],
)
def test_reauthorize_variants(
    sims: Simulators,
    bot: Bot,
    layout: str,
    consent_remembered: bool,
    redirect: str,
    version: str,
    enabled: bool,
) -> None:
    sims.assignar.update_settings(layout=layout)
    sims.acumatica.update_settings(
        version=version, consent_remembered=consent_remembered, authorize_redirect=redirect
    )
    # what the wizard must put back: the client's time zone and notification emails
    sims.assignar.set_integration(
        enabled=enabled, time_zone="UTC", emails=["someone.else@acme.example"]
    )
    assert integration(sims)["status"] == ("Needs re-authorization" if enabled else "Disabled")
    assert live_tokens(sims, INTEGRATION_USER) == []  # the seed: the old tokens are dead

    run = bot.run("reauthorize")

    assert run.verdict == "passed", run
    assert run.vars["consent_shown"] == ("renewed" if consent_remembered else "consent"), run
    assert run.vars["enabled_at_start"] == ("true" if enabled else "false")
    assert run.vars["acumatica_build"] == version
    assert_reauthorized(sims)
    sync = sims.assignar.sync()
    assert sync["ok"], sync
    assert run.summary[0] == f"Authorized as {INTEGRATION_USER}; the integration is enabled."
    was_off = "The Enable switch was off when the run began"
    assert (was_off in run.summary[1]) is (not enabled), run.summary
    assert "PASSED  reauthorize" in run.output
    folder = run.outcome.folder  # the evidence: printed, and there
    assert f"report: {folder / 'report.html'}" in run.output
    assert (folder / "report.html").is_file()
    assert (folder / "trace.zip").is_file()
    if version == R2023:
        due = (date.today() + timedelta(days=30)).isoformat()
        assert any(
            f"{version} is older than 2024 R1" in line
            and f"next re-authorization is due in 30 days, on {due}" in line
            for line in run.summary
        ), run.summary
        assert "sliding-expiration" not in run.summary_text
    else:
        assert any(
            f"Acumatica {version} (2024 R1 or newer) detected" in line
            and f"`bot run sliding-expiration --client {CLIENT}`" in line
            for line in run.summary
        ), run.summary
        assert "due in 30 days" not in run.summary_text


def test_reauthorize_without_a_base_path(bot_for: BotFor) -> None:
    """Acumatica at the root of its host (no /AcumaticaERP): the same runbook, unchanged."""
    with start_simulators() as sims:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sims.acumatica_url)
        run = bot_for(sims).run("reauthorize")
        assert run.verdict == "passed", run
        integ = assert_reauthorized(sims)
        assert integ["instance_url"] == sims.acumatica_url.removeprefix("http://")
        assert sims.assignar.sync()["ok"]


def test_wrong_integration_password_stops_after_one_attempt_and_changes_nothing(
    sims: Simulators, bot: Bot
) -> None:
    bot.set_secret("SANDBOX_INTEGRATION_PASSWORD", "not-the-password")
    before = integration(sims)

    run = bot.run("reauthorize")

    assert run.verdict == "failed"
    assert f"Acumatica refused the sign-in of {INTEGRATION_USER}" in run.message, run
    assert "Invalid credentials" in run.message
    assert "not retried" in run.message
    assert "FAILED" in run.output
    assert "not-the-password" not in run.output
    assert integration(sims) == before  # same tokens (none), same authorized user, same time
    attempts = sims.acumatica.snapshot()["sign_in_attempts"]
    assert [(a["username"], a["outcome"]) for a in attempts] == [
        (INTEGRATION_USER, "bad_credentials")
    ]
    assert not sims.acumatica.snapshot()["users"][INTEGRATION_USER]["locked"]
    assert live_tokens(sims, INTEGRATION_USER) == []


@pytest.mark.parametrize("state", ["deleted", "inactive"])
def test_a_missing_or_inactive_connected_application_says_what_to_check_next(
    sims: Simulators, bot: Bot, state: str
) -> None:
    """Acumatica no longer knows the client's connected application: its error page's words,
    then the next step on the console, in the article's terms (Connected Applications)."""
    with sims.acumatica.lock:
        if state == "deleted":
            del sims.acumatica.apps[sims.client_id]
        else:
            sims.acumatica.apps[sims.client_id].active = False
    before = integration(sims)

    run = bot.run("reauthorize")

    assert run.verdict == "failed", run
    assert "Acumatica refused the authorization" in run.message
    assert "The client application is not known or is not authorized" in run.message
    next_lines = [line for line in run.output.splitlines() if line.startswith("  next: ")]
    assert len(next_lines) == 1, run.output
    assert "Connected Applications (SM303010)" in next_lines[0]
    assert "exists, is Active" in next_lines[0]
    assert integration(sims) == before


def test_tenant_mismatch_stops_before_save(sims: Simulators, bot: Bot) -> None:
    """Assignar is connected to another tenant than the client's: the Assignar Support Team's."""
    sims.assignar.set_integration(tenant="Acme Test")
    before = integration(sims)

    run = bot.run("reauthorize")

    assert run.verdict == "failed"
    assert "Assignar is connected to tenant 'Acme Test'" in run.message, run
    assert "'Acme Live'" in run.message
    assert "Assignar Support Team" in run.message
    assert "nothing was changed" in run.message
    assert run.outcome.result.failed_step is not None
    assert "Refuse to change the tenant" in run.outcome.result.failed_step.describe()
    assert integration(sims) == before
    assert sims.acumatica.snapshot()["sign_in_attempts"] == []


def test_change_the_authentication_user(sims: Simulators, bot: Bot) -> None:
    """The article: the same steps change the user the integration is associated with. Authorizing
    a user without the integration role works, but syncs then fail on permissions — the article's
    warning about signing in as anyone but the Assignar Integration User, made visible."""
    run = bot.run("reauthorize", integration_user="jane.doe", password_secret=JANE_SECRET)

    assert run.verdict == "passed", run
    assert run.summary[0] == "Authorized as jane.doe; the integration is enabled."
    assert_reauthorized(sims, user="jane.doe")
    assert live_tokens(sims, INTEGRATION_USER) == []
    attempts = sims.acumatica.snapshot()["sign_in_attempts"]
    assert [(a["username"], a["outcome"]) for a in attempts] == [("jane.doe", "success")]
    sync = sims.assignar.sync()
    assert not sync["ok"]
    assert sync["error"] == "permissions"
    assert "jane.doe lacks the permissions" in sync["detail"]


def test_reauthorize_twice_is_safe(sims: Simulators, bot: Bot) -> None:
    first = bot.run("reauthorize")
    assert first.verdict == "passed", first
    after_first = assert_reauthorized(sims)
    first_issued = max(t["issued_at"] for t in live_tokens(sims, INTEGRATION_USER))

    second = bot.run("reauthorize")

    assert second.verdict == "passed", second
    assert (
        second.vars["consent_shown"] == "renewed"
    )  # "Remember My Decision" was checked the first time
    after_second = assert_reauthorized(sims)
    timestamps = ("last_authorized", "access_token_expires_at")
    assert {k: v for k, v in after_second.items() if k not in timestamps} == {
        k: v for k, v in after_first.items() if k not in timestamps
    }
    assert after_second["last_authorized"] > after_first["last_authorized"]
    assert max(t["issued_at"] for t in live_tokens(sims, INTEGRATION_USER)) > first_issued
    assert second.summary == first.summary
    assert sims.assignar.sync()["ok"]


def test_a_second_run_for_the_same_client_refuses_while_one_holds_the_lock(
    sims: Simulators, bot: Bot
) -> None:
    with (
        client_lock(bot.locks, CLIENT),
        pytest.raises(ClientBusy, match=f"another run for client '{CLIENT}' is in progress"),
    ):
        bot.run("reauthorize")
    assert sims.assignar.snapshot()["sign_in_attempts"] == []  # it never started a browser
    assert sims.acumatica.snapshot()["sign_in_attempts"] == []
