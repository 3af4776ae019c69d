"""The Acumatica simulator's protected resources answer as RFC 6750 §3 says: a `Bearer` challenge
with no error code when no credentials came, `invalid_token` (401) for a bad or dead token,
`insufficient_scope` (403, with the scope needed) for a live token without the scope."""

from __future__ import annotations

import re

import pytest
import requests
from bot_sim.acumatica.testing import (
    RunningAcumatica,
    exchange_code,
    http_authorize,
)

EMPLOYEE = "/entity/Default/24.200.001/Employee"
USERINFO = "/identity/connect/userinfo"
USER = "assignar.integration"
BASE_PATH = "/AcumaticaERP"  # where conftest's `acumatica` serves the simulator


def access_token(acu: RunningAcumatica, scope: str) -> str:
    with requests.Session() as http:
        code = http_authorize(http, acu, USER, scope=scope)["code"]
    return str(exchange_code(acu, code).json()["access_token"])


def get(acu: RunningAcumatica, path: str, authorization: str | None) -> requests.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return requests.get(acu.url + path, headers=headers, timeout=10)


def challenge(response: requests.Response) -> tuple[str, dict[str, str]]:
    """The WWW-Authenticate header as (scheme, {attribute: value})."""
    scheme, _, rest = response.headers["WWW-Authenticate"].partition(" ")
    return scheme, dict(re.findall(r'([a-z_]+)="([^"]*)"', rest))


@pytest.mark.parametrize("path", [EMPLOYEE, USERINFO])
@pytest.mark.parametrize("authorization", [None, "Basic dXNlcjpwYXNz"])
def test_no_bearer_credentials_is_a_bare_bearer_challenge(
    acu: RunningAcumatica, path: str, authorization: str | None
) -> None:
    response = get(acu, path, authorization)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"  # no error code (RFC 6750 §3.1)
    assert "error" not in response.json()


@pytest.mark.parametrize("path", [EMPLOYEE, USERINFO])
def test_unknown_token_is_401_invalid_token(acu: RunningAcumatica, path: str) -> None:
    response = get(acu, path, "Bearer not-a-token")
    assert response.status_code == 401
    scheme, params = challenge(response)
    assert scheme == "Bearer"
    assert params["error"] == "invalid_token"
    assert response.json()["error"] == "invalid_token"


def test_expired_token_is_invalid_token(acu: RunningAcumatica) -> None:
    expired = access_token(acu, "api")
    acu.sim.advance_clock(seconds=3601)
    assert challenge(get(acu, EMPLOYEE, f"Bearer {expired}"))[1]["error"] == "invalid_token"


@pytest.mark.parametrize(
    ("path", "granted", "needed"),
    [(EMPLOYEE, "openid", "api"), (USERINFO, "api offline_access", "openid")],
)
def test_missing_scope_is_403_with_insufficient_scope_challenge(
    acu: RunningAcumatica, path: str, granted: str, needed: str
) -> None:
    response = get(acu, path, f"Bearer {access_token(acu, granted)}")
    assert response.status_code == 403
    scheme, params = challenge(response)
    assert scheme == "Bearer"
    assert params["error"] == "insufficient_scope"
    assert params["scope"] == needed


def test_bearer_without_a_token_is_400_invalid_request(acu: RunningAcumatica) -> None:
    response = get(acu, EMPLOYEE, "Bearer")
    assert response.status_code == 400
    assert challenge(response)[1]["error"] == "invalid_request"


def test_right_scope_passes(acu: RunningAcumatica) -> None:
    token = access_token(acu, "openid api")
    assert get(acu, EMPLOYEE, f"Bearer {token}").status_code == 200
    assert get(acu, USERINFO, f"Bearer {token}").json()["sub"] == USER
