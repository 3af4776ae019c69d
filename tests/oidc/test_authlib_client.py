"""A second third-party client drives the Acumatica simulator: Authlib's `OAuth2Session` (Python),
with `client_secret_post` where openid-client uses Basic. It takes the endpoints from discovery,
runs the authorization code flow with PKCE S256, state and nonce, validates the id_token with
Authlib's own OpenID claims rules (signature by the `jwks_uri` keys, iss, aud, exp, iat, nonce,
at_hash), reads userinfo, refreshes (rotation), asks again silently with `prompt=none`, and
sees a reused refresh token revoke its chain.
This test plays the browser (sign-in and consent over HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from bot_sim.acumatica.testing import RunningAcumatica, sign_in_and_consent, start_acumatica
from joserfc import jwt
from joserfc.jwk import KeySet

USER = "assignar.integration"
SCOPE = "openid profile api offline_access"


@pytest.fixture(scope="module")
def acu() -> Iterator[RunningAcumatica]:
    running = start_acumatica("/AcumaticaERP")
    yield running
    running.stop()


def validated_id_token(
    meta: dict[str, Any], acu: RunningAcumatica, token: dict[str, Any], nonce: str
) -> dict[str, Any]:
    keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    decoded = jwt.decode(
        token["id_token"], keys, algorithms=meta["id_token_signing_alg_values_supported"]
    )
    client_id = acu.sim.demo_client_id
    claims = CodeIDToken(
        decoded.claims,
        decoded.header,
        options={"iss": {"value": meta["issuer"]}, "aud": {"value": client_id}},
        params={"nonce": nonce, "client_id": client_id, "access_token": token["access_token"]},
    )
    claims.validate(leeway=5)  # iss, aud, exp, iat, nonce, at_hash
    return dict(claims)


def test_authlib_client_code_flow_pkce_post_refresh_and_silent_prompt(
    acu: RunningAcumatica,
) -> None:
    issuer = f"{acu.url}/identity"
    meta = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    assert meta["issuer"] == issuer
    assert "client_secret_post" in meta["token_endpoint_auth_methods_supported"]
    session = OAuth2Session(
        acu.sim.demo_client_id,
        acu.sim.demo_client_secret,
        scope=SCOPE,
        redirect_uri=acu.redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post",
    )
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = session.create_authorization_url(
        meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    with requests.Session() as browser, session:
        callback = sign_in_and_consent(browser, acu, url, USER)
        token = session.fetch_token(
            meta["token_endpoint"],
            authorization_response=callback,
            code_verifier=verifier,
            state=state,
        )
        assert token["scope"] == SCOPE
        claims = validated_id_token(meta, acu, token, nonce)
        assert claims["sub"] == USER
        info = session.get(meta["userinfo_endpoint"], timeout=10).json()
        assert info["sub"] == claims["sub"]
        assert info["preferred_username"] == USER

        rotated = session.refresh_token(meta["token_endpoint"])
        assert rotated["refresh_token"] != token["refresh_token"]
        assert session.get(meta["userinfo_endpoint"], timeout=10).status_code == 200

        # signed in, consent not remembered: a silent request is told so, with its state
        silent, silent_state = session.create_authorization_url(
            meta["authorization_endpoint"], prompt="none"
        )
        answer = browser.get(silent, allow_redirects=False, timeout=10)
        assert answer.status_code == 302
        assert parse_qs(urlsplit(answer.headers["Location"]).query) == {
            "error": ["consent_required"],
            "state": [silent_state],
        }

        # the first refresh token again (RFC 9700 §4.14.2): refused, and the chain is revoked
        with pytest.raises(OAuthError) as reuse:
            session.refresh_token(meta["token_endpoint"], refresh_token=token["refresh_token"])
        assert reuse.value.error == "invalid_grant"
        assert session.get(meta["userinfo_endpoint"], timeout=10).status_code == 401
