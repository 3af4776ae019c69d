"""The Acumatica simulator as an OpenID Provider, checked from Python: discovery advertises what
answers, the id_token is RS256 and verifiable with the `jwks_uri` keys, the nonce comes back, and
end-session signs the browser out. (tests/oidc/ runs a third-party client through the same.)"""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from bot_sim.acumatica import AcumaticaSim, create_app
from bot_sim.acumatica.testing import (
    RunningAcumatica,
    exchange_code,
    http_authorize,
)
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet, RSAKey

USER = "assignar.integration"
BASE_PATH = "/AcumaticaERP"  # where conftest's `acumatica` serves the simulator


def discovery(acu: RunningAcumatica) -> dict[str, Any]:
    url = f"{acu.url}/identity/.well-known/openid-configuration"
    return dict(requests.get(url, timeout=10).json())


def tokens(acu: RunningAcumatica, http: requests.Session, scope: str, **extra: str) -> Any:
    code = http_authorize(http, acu, USER, scope=scope, **extra)["code"]
    response = exchange_code(acu, code)
    assert response.status_code == 200, response.text
    return response.json()


def verified_id_token(acu: RunningAcumatica, id_token: str) -> jwt.Token:
    keys = KeySet.import_key_set(requests.get(discovery(acu)["jwks_uri"], timeout=10).json())
    return jwt.decode(id_token, keys, algorithms=["RS256"])


def half_hash(value: str) -> str:
    digest = hashlib.sha256(value.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def test_discovery_advertises_endpoints_that_answer(acu: RunningAcumatica) -> None:
    meta = discovery(acu)
    assert meta["issuer"] == f"{acu.url}/identity"
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]
    assert meta["code_challenge_methods_supported"] == ["S256"]
    keys = requests.get(meta["jwks_uri"], timeout=10).json()["keys"]
    assert [(k["kty"], k["alg"], k["use"]) for k in keys] == [("RSA", "RS256", "sig")]
    assert "d" not in keys[0]  # the public half only
    assert requests.get(meta["userinfo_endpoint"], timeout=10).status_code == 401
    assert requests.get(meta["end_session_endpoint"], timeout=10).status_code == 200


def test_id_token_is_rs256_verifiable_and_echoes_the_nonce(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        response = tokens(acu, http, "openid api offline_access", nonce="n-0S6_WzA2Mj")
    token = verified_id_token(acu, response["id_token"])
    claims = token.claims
    assert token.header["alg"] == "RS256"
    assert claims["iss"] == discovery(acu)["issuer"]
    assert claims["aud"] == acu.sim.demo_client_id
    assert claims["sub"] == USER
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["at_hash"] == half_hash(response["access_token"])
    assert claims["auth_time"] <= claims["iat"] < claims["exp"]


def test_no_id_token_without_the_openid_scope(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        assert "id_token" not in tokens(acu, http, "api offline_access")


def test_each_start_signs_with_its_own_key(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        id_token = tokens(acu, http, "openid api")["id_token"]
    other = AcumaticaSim()
    other.seed_demo(acu.redirect_uri)
    other_jwk = create_app(other).test_client().get("/identity/.well-known/jwks").json["keys"][0]
    with pytest.raises(BadSignatureError):  # even when told to ignore the differing kid
        jwt.decode(id_token, RSAKey.import_key(other_jwk), algorithms=["RS256"])


def end_session(http: requests.Session, acu: RunningAcumatica, **params: str) -> requests.Response:
    url = discovery(acu)["end_session_endpoint"] + "?" + urlencode(params)
    return http.get(url, allow_redirects=False, timeout=10)


def signed_in(http: requests.Session, acu: RunningAcumatica) -> bool:
    response = http.get(acu.authorize_url(), allow_redirects=False, timeout=10)
    return "/Frames/Login.aspx" not in response.headers.get("Location", "")


def test_end_session_signs_out_and_returns_to_a_registered_uri(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        id_token = tokens(acu, http, "openid api")["id_token"]
        assert signed_in(http, acu)
        response = end_session(
            http,
            acu,
            id_token_hint=id_token,
            post_logout_redirect_uri=acu.redirect_uri,
            state="bye",
        )
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location._replace(query="").geturl() == acu.redirect_uri
        assert parse_qs(location.query) == {"state": ["bye"]}
        assert not signed_in(http, acu)


def test_end_session_never_redirects_to_an_unregistered_uri(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        id_token = tokens(acu, http, "openid api")["id_token"]
        response = end_session(
            http, acu, id_token_hint=id_token, post_logout_redirect_uri="http://127.0.0.1:9/evil"
        )
        assert response.status_code == 200
        assert "You are now logged out" in response.text
        assert not signed_in(http, acu)


def test_end_session_refuses_a_forged_id_token_hint(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        id_token = tokens(acu, http, "openid api")["id_token"]
        header, payload, signature = id_token.split(".")
        forged = f"{header}.{payload}.{signature[::-1]}"
        response = end_session(http, acu, id_token_hint=forged)
        assert response.status_code == 400
        assert signed_in(http, acu)


def authorize_once(http: requests.Session, acu: RunningAcumatica, **extra: str) -> str:
    """Where one authorize request sends the browser (its Location), nothing followed."""
    response = http.get(acu.authorize_url(**extra), allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text
    return response.headers["Location"]


def callback_params(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@pytest.mark.parametrize("scope", ["openid api", "api offline_access"])
def test_prompt_none_without_a_sign_in_is_login_required(acu: RunningAcumatica, scope: str) -> None:
    """OIDC Core §3.1.2.1: no page at all; the client hears `login_required` (with its state)."""
    with requests.Session() as http:
        location = authorize_once(http, acu, scope=scope, prompt="none", state="silent")
    assert location.startswith(acu.redirect_uri + "?")
    assert callback_params(location) == {"error": "login_required", "state": "silent"}


def test_prompt_none_signed_in_gives_a_code_or_consent_required(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        tokens(acu, http, "openid api")  # signed in; consent not remembered
        refused = callback_params(authorize_once(http, acu, scope="openid api", prompt="none"))
        assert refused == {"error": "consent_required", "state": "xyz"}
        acu.sim.tokens.remember(USER, acu.sim.demo_client_id, "openid api")
        granted = callback_params(authorize_once(http, acu, scope="openid api", prompt="none"))
    assert granted["code"]
    assert exchange_code(acu, granted["code"]).status_code == 200


def test_prompt_none_with_another_value_is_invalid_request(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        location = authorize_once(http, acu, scope="openid api", prompt="none login")
    assert callback_params(location)["error"] == "invalid_request"


@pytest.mark.parametrize("hop", ["login", "identity"])
@pytest.mark.parametrize("ask", [{"prompt": "login"}, {"max_age": "60"}], ids=["login", "max_age"])
def test_prompt_login_and_max_age_ask_for_a_fresh_sign_in(
    acu: RunningAcumatica, ask: dict[str, str], hop: str
) -> None:
    acu.sim.update_settings(consent_remembered=True, authorize_redirect=hop)
    with requests.Session() as http:
        first = verified_id_token(acu, tokens(acu, http, "openid api")["id_token"])
        acu.sim.advance_clock(seconds=120)
        response = http.get(acu.authorize_url(scope="openid api", **ask), timeout=10)
        assert "/Frames/Login.aspx" in response.url  # followed through any /identity/login hop
        again = verified_id_token(acu, tokens(acu, http, "openid api", **ask)["id_token"])
    assert again.claims["auth_time"] >= first.claims["auth_time"] + 120


def test_a_recent_enough_sign_in_satisfies_max_age(acu: RunningAcumatica) -> None:
    acu.sim.update_settings(consent_remembered=True)
    with requests.Session() as http:
        tokens(acu, http, "openid api")
        location = authorize_once(http, acu, scope="openid api", max_age="600")
    assert callback_params(location)["code"]


def test_prompt_consent_shows_the_consent_page_though_remembered(acu: RunningAcumatica) -> None:
    acu.sim.update_settings(consent_remembered=True)
    with requests.Session() as http:
        tokens(acu, http, "openid api")
        response = http.get(acu.authorize_url(scope="openid api", prompt="consent"), timeout=10)
    assert "is requesting your permission" in response.text


def test_discovery_states_that_request_objects_are_not_supported(acu: RunningAcumatica) -> None:
    """Left out, `request_uri_parameter_supported` would mean true (OIDC Discovery §3)."""
    meta = discovery(acu)
    assert meta["request_uri_parameter_supported"] is False
    assert meta["request_parameter_supported"] is False
    assert meta["claims_parameter_supported"] is False


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ({"request": "eyJhbGciOiJub25lIn0.e30."}, "request_not_supported"),
        ({"request_uri": "https://client.example/request.jwt"}, "request_uri_not_supported"),
        ({"response_mode": "form_post"}, "invalid_request"),
        ({"response_mode": "fragment"}, "invalid_request"),
    ],
    ids=["request", "request_uri", "form_post", "fragment"],
)
def test_what_discovery_leaves_out_is_refused_not_ignored(
    acu: RunningAcumatica, extra: dict[str, str], error: str
) -> None:
    with requests.Session() as http:
        location = authorize_once(http, acu, scope="openid api", **extra)
    assert location.startswith(acu.redirect_uri + "?")  # query, whatever response_mode said
    assert callback_params(location)["error"] == error
    assert callback_params(location)["state"] == "xyz"


def test_an_authorization_request_may_be_posted(acu: RunningAcumatica) -> None:
    """OIDC Core §3.1.2.1: the authorization endpoint takes GET and POST alike (a posted request
    is not mistaken for the consent page's answer, which used to deny it)."""
    form = parse_qs(urlsplit(acu.authorize_url(scope="openid api", state="posted")).query)
    endpoint = discovery(acu)["authorization_endpoint"]
    with requests.Session() as http:
        signing_in = http.post(endpoint, data=form, timeout=10)
        assert "/Frames/Login.aspx" in signing_in.url
        tokens(acu, http, "openid api")  # signed in
        acu.sim.update_settings(consent_remembered=True)
        answer = http.post(endpoint, data=form, timeout=10)
    params = callback_params(answer.url)
    assert params["state"] == "posted"
    assert exchange_code(acu, params["code"]).status_code == 200
