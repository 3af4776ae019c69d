"""The Acumatica simulator's web API, HTTP sign-in, base path and `/__sim__/` control API."""

from __future__ import annotations

import pytest
import requests
from bot_sim.acumatica import AcumaticaSim, create_app
from bot_sim.acumatica.testing import (
    RunningAcumatica,
    exchange_code,
    http_authorize,
)

EMPLOYEE = "/entity/Default/24.200.001/Employee"
BASE_PATH = "/AcumaticaERP"  # where conftest's `acumatica` serves the simulator


def access_token(acu: RunningAcumatica, username: str) -> str:
    with requests.Session() as http:
        code = http_authorize(http, acu, username)["code"]
    return str(exchange_code(acu, code).json()["access_token"])


def sign_in(acu: RunningAcumatica, username: str, password: str) -> requests.Response:
    with requests.Session() as http:
        return http.post(
            f"{acu.url}/Frames/Login.aspx",
            timeout=10,
            data={
                "ctl00$phUser$txtUser": username,
                "ctl00$phUser$txtPass": password,
                "ctl00$phUser$cmbCompany": "Acme Live",
            },
        )


def test_everything_lives_under_the_base_path(acu: RunningAcumatica) -> None:
    root = acu.url.removesuffix("/AcumaticaERP")
    assert requests.get(f"{root}/entity", timeout=10).status_code == 404
    discovery = requests.get(f"{acu.url}/identity/.well-known/openid-configuration", timeout=10)
    assert discovery.json()["authorization_endpoint"] == (f"{acu.url}/identity/connect/authorize")


def test_entity_reports_the_build(acu: RunningAcumatica) -> None:
    assert (
        requests.get(f"{acu.url}/entity", timeout=10).json()["version"]["acumaticaBuildVersion"]
        == "24.105.0012"
    )
    acu.sim.update_settings(version="25.101.0153")
    assert (
        requests.get(f"{acu.url}/entity", timeout=10).json()["version"]["acumaticaBuildVersion"]
        == "25.101.0153"
    )


def test_protected_api_401_403_200(acu: RunningAcumatica) -> None:
    assert requests.get(acu.url + EMPLOYEE, timeout=10).status_code == 401
    bad = requests.get(acu.url + EMPLOYEE, headers={"Authorization": "Bearer nope"}, timeout=10)
    assert bad.status_code == 401
    jane = access_token(acu, "jane.doe")
    no_rights = requests.get(
        acu.url + EMPLOYEE, timeout=10, headers={"Authorization": f"Bearer {jane}"}
    )
    assert no_rights.status_code == 403
    assert "WWW-Authenticate" not in no_rights.headers  # Acumatica's rights, not the token's
    good = access_token(acu, "assignar.integration")
    response = requests.get(
        acu.url + EMPLOYEE, headers={"Authorization": f"Bearer {good}"}, timeout=10
    )
    assert response.status_code == 200
    assert response.json()[0]["EmployeeID"]["value"] == "EP00000001"


def test_access_token_expires_after_an_hour_of_sim_time(acu: RunningAcumatica) -> None:
    token = access_token(acu, "assignar.integration")
    acu.sim.advance_clock(seconds=3601)
    response = requests.get(
        acu.url + EMPLOYEE, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 401


def test_sign_in_sets_cookies_and_lockout_after_five_failures(acu: RunningAcumatica) -> None:
    ok = sign_in(acu, "jane.doe", acu.passwords["jane.doe"])
    assert ok.history[0].status_code == 302
    assert {".ASPXAUTH", "ASP.NET_SessionId", "CompanyID"} <= set(ok.history[0].cookies.keys())
    for _ in range(4):
        assert "Invalid credentials" in sign_in(acu, "jane.doe", "wrong").text
    assert "locked out" in sign_in(acu, "jane.doe", "wrong").text
    assert "locked out" in sign_in(acu, "jane.doe", acu.passwords["jane.doe"]).text
    state = requests.get(f"{acu.url}/__sim__/state", timeout=10).json()
    assert state["users"]["jane.doe"]["locked"] is True
    assert [a["outcome"] for a in state["sign_in_attempts"]][-2:] == ["locked", "locked"]


def test_control_api_settings_clock_faults_reset(acu: RunningAcumatica) -> None:
    control = f"{acu.url}/__sim__"
    assert (
        requests.post(f"{control}/settings", json={"version": "23.200.0151"}, timeout=10).json()[
            "version"
        ]
        == "23.200.0151"
    )
    assert requests.post(f"{control}/settings", json={"bogus": 1}, timeout=10).status_code == 400
    before = requests.get(f"{control}/state", timeout=10).json()["now"]
    after = requests.post(f"{control}/clock", json={"advance_days": 2}, timeout=10).json()["now"]
    assert after - before >= 2 * 86400
    requests.post(
        f"{control}/faults",
        timeout=10,
        json={"fail": {"path_regex": "^/entity$", "status": 503, "times": 1}},
    )
    assert requests.get(f"{acu.url}/entity", timeout=10).status_code == 503
    assert requests.get(f"{acu.url}/entity", timeout=10).status_code == 200
    requests.post(f"{control}/reset", timeout=10)
    state = requests.get(f"{control}/state", timeout=10).json()
    assert state["version"] == "24.105.0012"
    assert state["connected_apps"][acu.sim.demo_client_id]["refresh"]["mode"] == (
        "Absolute Expiration"
    )


def test_state_lists_live_tokens(acu: RunningAcumatica) -> None:
    access_token(acu, "assignar.integration")
    tokens = requests.get(f"{acu.url}/__sim__/state", timeout=10).json()["tokens"]
    assert [(t["username"], t["client_name"]) for t in tokens] == [
        ("assignar.integration", "Assignar")
    ]
    assert tokens[0]["refresh_expires_at"] - tokens[0]["chain_start"] == pytest.approx(30 * 86400)


def test_control_api_absent_outside_test_mode() -> None:
    sim = AcumaticaSim()
    sim.seed_demo("http://127.0.0.1:9/cb")
    client = create_app(sim, test_mode=False).test_client()
    assert client.get("/__sim__/state").status_code == 404
    assert client.get("/entity").status_code == 200


def test_seed_demo_keeps_given_passwords_across_reset() -> None:
    sim = AcumaticaSim()
    passwords = sim.seed_demo("http://127.0.0.1:9/cb", passwords={"admin": "s3cret-admin"})
    assert passwords["admin"] == "s3cret-admin"
    assert len(passwords["jane.doe"]) >= 12
    sim.reset()
    assert sim.sign_in("admin", "s3cret-admin", "Acme Test")[0] is not None


def test_userinfo_needs_openid(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        code = http_authorize(http, acu, "jane.doe", scope="openid email api")["code"]
    token = exchange_code(acu, code).json()["access_token"]
    info = requests.get(
        f"{acu.url}/identity/connect/userinfo",
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert info.json() == {"sub": "jane.doe", "email": "jane.doe@acme.example"}
    api_only = access_token(acu, "jane.doe")
    denied = requests.get(
        f"{acu.url}/identity/connect/userinfo",
        timeout=10,
        headers={"Authorization": f"Bearer {api_only}"},
    )
    assert denied.status_code == 403


def test_userinfo_claims_follow_the_scopes(acu: RunningAcumatica) -> None:
    expected = {
        "openid": {"sub": "jane.doe"},
        "openid profile": {"sub": "jane.doe", "name": "Jane Doe", "preferred_username": "jane.doe"},
    }
    for scope, claims in expected.items():
        with requests.Session() as http:
            code = http_authorize(http, acu, "jane.doe", scope=scope)["code"]
        token = exchange_code(acu, code).json()["access_token"]
        info = requests.get(
            f"{acu.url}/identity/connect/userinfo",
            timeout=10,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert info.json() == claims, scope


def test_tenant_select_during_oauth(acu: RunningAcumatica) -> None:
    login = requests.get(acu.authorize_url(), timeout=10)
    assert '<option value="Acme Live" selected>' in login.text
    acu.sim.update_settings(tenant_select_in_oauth="hidden")
    assert "cmbCompany" not in requests.get(acu.authorize_url(), timeout=10).text
    assert "cmbCompany" in requests.get(f"{acu.url}/Frames/Login.aspx", timeout=10).text
