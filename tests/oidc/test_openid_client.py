"""A third-party OpenID Connect client drives the Acumatica simulator: panva's `openid-client`
(Node.js; installed by `make setup` with `npm ci` in tests/node) does discovery, the authorization
code flow with PKCE, id_token validation (RS256 via jwks_uri, iss, aud, nonce), userinfo, a call to
the web services API, refresh rotation, and builds the end-session URL. This test plays the browser
(sign-in and consent over HTTP) and checks what the client saw. The client authenticates with
HTTP Basic, so the exchange also proves RFC 6749 §2.3.1 decoding (the client id's space is `+`).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from bot_sim.acumatica.testing import RunningAcumatica, sign_in_and_consent, start_acumatica
from support.node import NODE_DIR, locked_version, node_with

CLIENT_SCRIPT = NODE_DIR / "relying_party.mjs"
USER = "assignar.integration"
SCOPE = "openid email api offline_access"
EMPLOYEE = "/entity/Default/24.200.001/Employee"


class RelyingParty:
    """relying_party.mjs as a child process, spoken to one JSON line at a time."""

    def __init__(self, node: str, settings: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [node, str(CLIENT_SCRIPT), json.dumps(settings)],
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def receive(self, key: str) -> Any:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            _, stderr = self.process.communicate(timeout=60)
            pytest.fail(f"openid-client stopped (exit {self.process.returncode}):\n{stderr}")
        return json.loads(line)[key]

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate(timeout=60)


@pytest.fixture(scope="module")
def acu() -> Iterator[RunningAcumatica]:
    running = start_acumatica("/AcumaticaERP")  # a base path: the issuer has a path too
    yield running
    running.stop()


@pytest.fixture
def relying_party(acu: RunningAcumatica) -> Iterator[RelyingParty]:
    settings = {
        "issuer": f"{acu.url}/identity",
        "client_id": acu.sim.demo_client_id,
        "client_secret": acu.sim.demo_client_secret,
        "redirect_uri": acu.redirect_uri,
        "scope": SCOPE,
        "resource": acu.url + EMPLOYEE,
    }
    party = RelyingParty(node_with("openid-client"), settings)
    yield party
    party.close()


@pytest.mark.timeout(300)  # a hung child process must not hang the suite; no verdict rides on it
def test_openid_client_signs_in_validates_and_rotates(
    acu: RunningAcumatica, relying_party: RelyingParty
) -> None:
    with requests.Session() as browser:
        authorize = relying_party.receive("authorize")
        relying_party.send(sign_in_and_consent(browser, acu, authorize, USER))
        seen = relying_party.receive("result")

        assert seen["openid_client"] == locked_version("openid-client")
        assert seen["issuer"] == f"{acu.url}/identity"
        assert seen["supports_pkce"] is True
        keys = requests.get(f"{acu.url}/identity/.well-known/jwks", timeout=10).json()["keys"]
        assert seen["id_token_header"]["alg"] == "RS256"
        assert seen["id_token_header"]["kid"] == keys[0]["kid"]
        claims = seen["id_token_claims"]
        assert claims["iss"] == seen["issuer"]
        assert claims["aud"] == acu.sim.demo_client_id
        assert claims["sub"] == USER
        assert claims["nonce"] == seen["nonce"]
        assert seen["token_scope"] == SCOPE
        assert seen["userinfo"] == {"sub": USER, "email": "integration@acme.example"}
        assert seen["api_status"] == 200
        assert seen["refresh_rotated"] is True
        assert seen["refresh_access_token_new"] is True
        assert seen["reuse"] == {
            "name": "ResponseBodyError",
            "error": "invalid_grant",
            "status": 400,
        }
        assert seen["rotated_refresh_works_once"] is True
        assert seen["after_reuse"] == seen["reuse"]  # the reuse revoked the newest one too

        logout = browser.get(seen["end_session"], allow_redirects=False, timeout=10)
        assert logout.status_code == 302
        assert parse_qs(urlsplit(logout.headers["Location"]).query) == {"state": ["signed-out"]}
        again = browser.get(authorize, allow_redirects=False, timeout=10)
        assert "/Frames/Login.aspx" in again.headers["Location"]  # the session really ended
