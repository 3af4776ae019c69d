"""Syncs against the real Acumatica simulator: refresh-token lifetimes, rotation, permissions."""

from __future__ import annotations

import requests
from bot_sim.harness import Simulators, authorize_over_http

TWO = "ops@acme.example, payroll@acme.example"


def test_absolute_30_days_ends_in_needs_reauthorization_and_one_email_per_address(
    sims: Simulators,
) -> None:
    authorize_over_http(sims, emails=TWO)
    sims.advance(days=29)
    assert sims.assignar.snapshot()["integration"]["status"] == "Connected"
    sims.advance(days=2)
    state = sims.assignar.snapshot()
    assert state["integration"]["status"] == "Needs re-authorization"
    assert not state["integration"]["has_refresh_token"]
    assert sorted(mail["to"] for mail in state["outbox"]) == [
        "ops@acme.example",
        "payroll@acme.example",
    ]
    assert all("re-authorize" in mail["subject"] for mail in state["outbox"])
    assert state["sync_log"][-1]["error"] == "invalid_grant"
    sims.advance(days=3)
    sims.assignar.sync()
    assert len(sims.assignar.snapshot()["outbox"]) == 2  # told once, not on every sync


def test_sliding_15_infinite_stays_connected_for_120_days(sims: Simulators) -> None:
    sims.acumatica.set_refresh(
        sims.client_id, mode="Sliding Expiration", sliding_days=15, infinite=True
    )
    authorize_over_http(sims)
    syncs = sims.advance(days=120)
    state = sims.assignar.snapshot()
    assert len(syncs) == 120
    assert all(entry["ok"] for entry in syncs)
    assert state["integration"]["status"] == "Connected"
    assert state["outbox"] == []


def test_sliding_without_syncs_dies_after_the_sliding_lifetime(sims: Simulators) -> None:
    response = requests.post(
        f"{sims.acumatica_url}/__sim__/apps/{sims.client_id}/refresh",
        timeout=10,
        json={"mode": "Sliding Expiration", "sliding_days": 15, "infinite": True},
    )
    assert response.status_code == 200
    authorize_over_http(sims)
    sims.advance(days=16, run_syncs=False)
    assert sims.assignar.sync()["error"] == "invalid_grant"


def test_each_sync_rotates_the_refresh_token(sims: Simulators) -> None:
    authorize_over_http(sims)
    first = sims.assignar.integration.refresh_token
    entry = sims.assignar.sync()
    assert entry["ok"], entry
    assert entry["detail"] == "2 employees read"
    second = sims.assignar.integration.refresh_token
    assert second
    assert second != first
    reuse = requests.post(
        f"{sims.acumatica_url}/identity/connect/token",
        timeout=10,
        data={
            "grant_type": "refresh_token",
            "refresh_token": first,
            "client_id": sims.client_id,
            "client_secret": sims.acumatica.demo_client_secret,
        },
    )
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"


def test_sync_by_a_user_without_the_integration_role_fails_on_permissions(sims: Simulators) -> None:
    authorize_over_http(sims, "jane.doe")
    entry = sims.assignar.sync()
    assert not entry["ok"]
    assert entry["error"] == "permissions"
    assert "jane.doe" in entry["detail"]
    state = sims.assignar.snapshot()
    assert state["integration"]["authorized_user"] == "jane.doe"
    assert state["integration"]["status"] == "Connected"  # authorized, just not allowed


def test_disabled_integration_does_not_sync_on_schedule(sims: Simulators) -> None:
    authorize_over_http(sims)
    sims.assignar.set_integration(enabled=False)
    assert sims.advance(days=3) == []
    assert sims.assignar.sync()["error"] == "disabled"


def test_sync_now_button_and_sim_api(sims: Simulators) -> None:
    authorize_over_http(sims)
    with requests.Session() as http:
        http.post(
            f"{sims.assignar_url}/signin",
            timeout=10,
            data={
                "email": sims.credentials["assignar"]["email"],
                "password": sims.credentials["assignar"]["password"],
            },
        )
        page = http.post(f"{sims.assignar_url}/integrations/acumatica/sync", timeout=10)
        assert "Last sync: " in page.text
        assert "OK (2 employees read)" in page.text
    via_api = requests.post(f"{sims.assignar_url}/__sim__/sync", timeout=10).json()
    assert via_api["ok"]
    assert via_api["trigger"] == "manual"
    clock = requests.post(
        f"{sims.assignar_url}/__sim__/clock", json={"advance_days": 2}, timeout=10
    ).json()
    assert [entry["trigger"] for entry in clock["syncs"]] == ["scheduled", "scheduled"]
    assert len(sims.assignar.snapshot()["sync_log"]) == 4


def test_a_failing_token_endpoint_is_a_sync_error_not_a_reauthorization(sims: Simulators) -> None:
    authorize_over_http(sims)
    sims.acumatica.add_failure(r"/identity/connect/token$", status=502, times=1)
    entry = sims.assignar.sync()
    assert (entry["ok"], entry["error"], entry["detail"]) == (False, "token", "HTTP 502")
    assert sims.assignar.integration.connection == "connected"
    assert sims.assignar.sync()["ok"]
