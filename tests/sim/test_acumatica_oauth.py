"""The Acumatica simulator's OAuth 2.0 server over plain HTTP: PKCE, codes, rotation, lifetimes."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import pytest
import requests
from bot_sim.acumatica.models import Token
from bot_sim.acumatica.testing import (
    RunningAcumatica,
    exchange_code,
    http_authorize,
    pkce_pair,
    refresh,
    token_request,
)

USER = "assignar.integration"


def first_token(acu: RunningAcumatica, scope: str = "api offline_access") -> dict[str, object]:
    with requests.Session() as http:
        params = http_authorize(http, acu, USER, scope=scope)
    response = exchange_code(acu, params["code"])
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_redirect_carries_code_scope_and_state(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        params = http_authorize(http, acu, USER, state="s-123")
    assert params["state"] == "s-123"
    assert params["scope"] == "api offline_access"
    assert params["code"]


def test_redirect_location_is_code_scope_state_with_percent_20(acu: RunningAcumatica) -> None:
    acu.sim.update_settings(consent_remembered=True)
    with requests.Session() as http:
        http_authorize(http, acu, USER)  # signs the session in
        response = http.get(acu.authorize_url(state="s 1"), allow_redirects=False, timeout=10)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(acu.redirect_uri + "?code=")
    assert location.endswith("&scope=api%20offline_access&state=s%201")


def test_token_response_shape(acu: RunningAcumatica) -> None:
    token = first_token(acu)
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 3600
    assert token["scope"] == "api offline_access"
    assert token["access_token"]
    assert token["refresh_token"]


def test_no_refresh_token_without_offline_access(acu: RunningAcumatica) -> None:
    token = first_token(acu, scope="api")
    assert token["scope"] == "api"
    assert "refresh_token" not in token


def test_pkce_verified_and_wrong_verifier_rejected(acu: RunningAcumatica) -> None:
    verifier, challenge = pkce_pair()
    with requests.Session() as http:
        code = http_authorize(
            http, acu, USER, code_challenge=challenge, code_challenge_method="S256"
        )["code"]
        good = http_authorize(
            http, acu, USER, code_challenge=challenge, code_challenge_method="S256"
        )["code"]
    wrong = exchange_code(acu, code, verifier=pkce_pair()[0])
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert exchange_code(acu, good, verifier=verifier).status_code == 200


@pytest.mark.parametrize("method", [{"code_challenge_method": "plain"}, {}], ids=["plain", "none"])
def test_pkce_plain_is_refused(acu: RunningAcumatica, method: dict[str, str]) -> None:
    """No code_challenge_method means `plain` (RFC 7636 §4.3): refused like an explicit one,
    with the client's state, before any sign-in."""
    with requests.Session() as http:
        params = http_authorize(http, acu, USER, code_challenge="a" * 43, **method)
    assert params["error"] == "invalid_request"
    assert params["state"] == "xyz"
    assert "code" not in params


def test_authorize_without_a_scope_is_invalid_scope(acu: RunningAcumatica) -> None:
    """RFC 6749 §3.3: no default scope, so the request fails at once (not at a consent page that
    offers nothing to allow)."""
    response = requests.get(acu.authorize_url(scope=""), allow_redirects=False, timeout=10)
    location = urlsplit(response.headers["Location"])
    assert location._replace(query="").geturl() == acu.redirect_uri
    params = parse_qs(location.query)
    assert params["error"] == ["invalid_scope"]
    assert params["state"] == ["xyz"]


def test_redirect_uri_mismatch_is_an_html_page_not_a_redirect(acu: RunningAcumatica) -> None:
    url = acu.authorize_url().replace("callback", "evil")
    response = requests.get(url, allow_redirects=False, timeout=10)
    assert response.status_code == 400
    assert "Location" not in response.headers
    assert response.headers["Content-Type"].startswith("text/html")


def test_codes_are_single_use(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        code = http_authorize(http, acu, USER)["code"]
    assert exchange_code(acu, code).status_code == 200
    again = exchange_code(acu, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_a_code_serves_one_exchange_attempt(acu: RunningAcumatica) -> None:
    """As IdentityServer: the code is spent when looked up, so a failed attempt spends it too
    (and two exchanges at once can never both get tokens)."""
    verifier, challenge = pkce_pair()
    with requests.Session() as http:
        code = http_authorize(
            http, acu, USER, code_challenge=challenge, code_challenge_method="S256"
        )["code"]
    assert exchange_code(acu, code, verifier=pkce_pair()[0]).json()["error"] == "invalid_grant"
    retried = exchange_code(acu, code, verifier=verifier)
    assert retried.status_code == 400
    assert retried.json()["error"] == "invalid_grant"


def test_a_replayed_code_revokes_every_token_it_gave(acu: RunningAcumatica) -> None:
    """RFC 6749 §4.1.2: a code used twice was stolen; what it gave (rotations too) stops working."""
    with requests.Session() as http:
        code = http_authorize(http, acu, USER)["code"]
    first = exchange_code(acu, code).json()
    rotated = refresh(acu, first["refresh_token"]).json()
    api = f"{acu.url}/entity/Default/24.200.001/Employee"
    bearer = {"Authorization": f"Bearer {rotated['access_token']}"}
    assert requests.get(api, headers=bearer, timeout=10).status_code == 200
    assert exchange_code(acu, code).json()["error"] == "invalid_grant"
    assert requests.get(api, headers=bearer, timeout=10).status_code == 401
    again = refresh(acu, rotated["refresh_token"])
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert acu.sim.snapshot()["tokens"] == []


def test_a_replayed_code_leaves_other_authorizations_alone(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        code = http_authorize(http, acu, USER)["code"]
        other = http_authorize(http, acu, USER)["code"]
    exchange_code(acu, code)
    kept = exchange_code(acu, other).json()
    assert exchange_code(acu, code).status_code == 400
    assert refresh(acu, kept["refresh_token"]).status_code == 200


def test_revoke_access_also_ends_codes_not_yet_exchanged(acu: RunningAcumatica) -> None:
    live = str(first_token(acu)["refresh_token"])
    with requests.Session() as http:
        code = http_authorize(http, acu, USER)["code"]
    with requests.Session() as admin:  # SM303010's Revoke Access, as an administrator
        admin.post(
            f"{acu.url}/Frames/Login.aspx",
            timeout=10,
            data={
                "ctl00$phUser$cmbCompany": "Acme Live",
                "ctl00$phUser$txtUser": "admin",
                "ctl00$phUser$txtPass": acu.passwords["admin"],
            },
        )
        screen = admin.post(
            f"{acu.url}/Pages/SM/SM303010.aspx",
            timeout=10,
            data={"ClientID": acu.sim.demo_client_id, "action": "Revoke Access"},
        )
    assert "Access has been revoked (1 active tokens)." in screen.text
    assert refresh(acu, live).json()["error"] == "invalid_grant"
    late = exchange_code(acu, code)
    assert late.status_code == 400
    assert late.json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_invalid_client(acu: RunningAcumatica) -> None:
    with requests.Session() as http:
        code = http_authorize(http, acu, USER)["code"]
    response = requests.post(
        f"{acu.url}/identity/connect/token",
        timeout=10,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": acu.redirect_uri,
            "client_id": acu.sim.demo_client_id,
            "client_secret": "nope",
        },
    )
    assert response.json()["error"] == "invalid_client"


def basic(client_id: str, secret: str, encode: Callable[[str], str] = quote_plus) -> dict[str, str]:
    """An Authorization header as RFC 6749 §2.3.1 builds it: form-urlencode, join, base64."""
    pair = f"{encode(client_id)}:{encode(secret)}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}


def code_exchange_with_basic(acu: RunningAcumatica, headers: dict[str, str]) -> requests.Response:
    with requests.Session() as http:
        code = http_authorize(http, acu, USER)["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": acu.redirect_uri}
    return requests.post(
        f"{acu.url}/identity/connect/token", data=form, headers=headers, timeout=10
    )


@pytest.mark.parametrize("encode", [quote_plus, quote], ids=["plus", "percent-20"])
def test_basic_credentials_are_form_urldecoded(
    acu: RunningAcumatica, encode: Callable[[str], str]
) -> None:
    client_id = acu.sim.demo_client_id  # "<GUID>@Acme Live": `+` (or %20) stands for the space
    headers = basic(client_id, acu.sim.demo_client_secret, encode)
    response = code_exchange_with_basic(acu, headers)
    assert response.status_code == 200, response.text
    assert response.json()["refresh_token"]


def test_basic_with_a_wrong_secret_is_401_with_a_basic_challenge(acu: RunningAcumatica) -> None:
    response = code_exchange_with_basic(acu, basic(acu.sim.demo_client_id, "wrong"))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic ")


@pytest.mark.parametrize(
    "failure", ["wrong secret", "unknown client", "inactive application", "no credentials"]
)
def test_every_client_authentication_failure_is_401_with_a_basic_realm(
    acu: RunningAcumatica, failure: str
) -> None:
    """RFC 6749 §5.2 (401 + `WWW-Authenticate`), RFC 7617 §2 (a Basic challenge has a realm);
    the same answer whatever failed, in the form body too."""
    form = {"grant_type": "refresh_token", "refresh_token": str(first_token(acu)["refresh_token"])}
    client_id, secret = acu.sim.demo_client_id, acu.sim.demo_client_secret
    if failure == "wrong secret":
        form |= {"client_id": client_id, "client_secret": "wrong"}
    elif failure == "unknown client":
        form |= {"client_id": "00000000-0000-0000-0000-000000000000@Acme Live"}
        form |= {"client_secret": secret}
    elif failure == "inactive application":
        acu.sim.apps[client_id].active = False
        form |= {"client_id": client_id, "client_secret": secret}
    response = requests.post(f"{acu.url}/identity/connect/token", data=form, timeout=10)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "client_secret_post" not in response.text  # no list of this server's methods
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith(f'Basic realm="{acu.url}/identity"')
    assert response.headers["Cache-Control"] == "no-store"


def test_a_secret_past_its_expires_on_no_longer_authenticates(acu: RunningAcumatica) -> None:
    """SM303010's Secrets tab: Expires On (UTC) ends the secret; the SimClock decides."""
    live = str(first_token(acu)["refresh_token"])
    acu.sim.apps[acu.sim.demo_client_id].secrets[0].expires_on = "2099-01-31"
    response = refresh(acu, live)
    assert response.status_code == 200
    live = response.json()["refresh_token"]
    now = datetime.fromtimestamp(acu.sim.clock.now(), UTC)
    acu.sim.apps[acu.sim.demo_client_id].secrets[0].expires_on = now.date().isoformat()
    acu.sim.advance_clock(days=1)
    expired = refresh(acu, live)
    assert expired.status_code == 401
    assert expired.json()["error"] == "invalid_client"


def test_refresh_rotates_and_reuse_is_invalid_grant(acu: RunningAcumatica) -> None:
    old = first_token(acu)["refresh_token"]
    rotated = refresh(acu, str(old))
    assert rotated.status_code == 200
    assert rotated.json()["refresh_token"] != old
    reuse = refresh(acu, str(old))
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"


def test_a_reused_refresh_token_revokes_its_whole_family(acu: RunningAcumatica) -> None:
    """RFC 9700 §4.14.2: a rotated refresh token presented again means two parties hold the
    chain, so the newer refresh and access tokens die too; other authorizations live on."""
    other = first_token(acu)
    old = str(first_token(acu)["refresh_token"])
    rotated = refresh(acu, old).json()
    api = f"{acu.url}/entity/Default/24.200.001/Employee"
    bearer = {"Authorization": f"Bearer {rotated['access_token']}"}
    assert requests.get(api, headers=bearer, timeout=10).status_code == 200
    assert refresh(acu, old).json()["error"] == "invalid_grant"
    assert requests.get(api, headers=bearer, timeout=10).status_code == 401
    newer = refresh(acu, rotated["refresh_token"])
    assert newer.status_code == 400
    assert newer.json()["error"] == "invalid_grant"
    assert refresh(acu, str(other["refresh_token"])).status_code == 200


def test_two_refreshes_at_once_with_one_refresh_token_give_one_new_chain(
    acu: RunningAcumatica, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rotation holds under a race: both requests find the refresh token before either is
    answered (a barrier makes sure of it); only one may get new tokens."""
    old = str(first_token(acu)["refresh_token"])
    both_looked = threading.Barrier(2, timeout=30)
    find_refresh = acu.sim.tokens.find_refresh

    def find_then_wait(refresh_token: str) -> Token | None:
        found = find_refresh(refresh_token)
        both_looked.wait()
        return found

    monkeypatch.setattr(acu.sim.tokens, "find_refresh", find_then_wait)
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: refresh(acu, old), range(2)))
    assert sorted(a.status_code for a in answers) == [200, 400]
    assert [a.json()["error"] for a in answers if a.status_code == 400] == ["invalid_grant"]
    monkeypatch.undo()
    winner = next(a.json() for a in answers if a.status_code == 200)
    assert refresh(acu, winner["refresh_token"]).status_code == 400  # a reuse: family revoked


def refresh_on_days(acu: RunningAcumatica, days: list[int]) -> list[int]:
    """Refresh on each given day (counted from the first authentication); the statuses."""
    current, elapsed, statuses = str(first_token(acu)["refresh_token"]), 0, []
    for day in days:
        acu.sim.advance_clock(days=day - elapsed)
        elapsed = day
        response = refresh(acu, current)
        statuses.append(response.status_code)
        if response.status_code == 200:
            current = response.json()["refresh_token"]
    return statuses


def test_absolute_30_days_alive_on_day_29_dead_on_day_31(acu: RunningAcumatica) -> None:
    assert refresh_on_days(acu, [29, 31]) == [200, 400]


def test_sliding_15_infinite_refreshed_every_10_days_lives_on(acu: RunningAcumatica) -> None:
    acu.sim.set_refresh(
        acu.sim.demo_client_id, mode="Sliding Expiration", sliding_days=15, infinite=True
    )
    assert set(refresh_on_days(acu, list(range(10, 121, 10)))) == {200}


def test_sliding_15_without_refreshes_dies_on_day_16(acu: RunningAcumatica) -> None:
    acu.sim.set_refresh(
        acu.sim.demo_client_id, mode="Sliding Expiration", sliding_days=15, infinite=True
    )
    assert refresh_on_days(acu, [16]) == [400]


def test_sliding_capped_by_absolute_lifetime(acu: RunningAcumatica) -> None:
    acu.sim.set_refresh(
        acu.sim.demo_client_id,
        mode="Sliding Expiration",
        sliding_days=15,
        absolute_days=25,
        infinite=False,
    )
    assert refresh_on_days(acu, [10, 20, 26]) == [200, 200, 400]


def test_back_to_absolute_ends_a_chain_older_than_its_lifetime(acu: RunningAcumatica) -> None:
    """A chain kept alive by Sliding + Infinite past 30 days is over once the application is set
    back to Absolute 30: the refresh is refused, not answered with a refresh token already dead."""
    acu.sim.set_refresh(
        acu.sim.demo_client_id, mode="Sliding Expiration", sliding_days=15, infinite=True
    )
    current = str(first_token(acu)["refresh_token"])
    for _ in range(4):  # days 10, 20, 30, 40
        acu.sim.advance_clock(days=10)
        response = refresh(acu, current)
        assert response.status_code == 200
        current = response.json()["refresh_token"]
    acu.sim.set_refresh(acu.sim.demo_client_id, mode="Absolute Expiration", absolute_days=30)
    acu.sim.advance_clock(days=1)
    refused = refresh(acu, current)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("flow", ["Implicit", "Resource Owner Password Credentials", "Hybrid"])
def test_only_an_authorization_code_application_gets_codes(
    acu: RunningAcumatica, flow: str
) -> None:
    """The connected application's Flow decides: an Implicit/ROPC/Hybrid one asking for a code is
    `unauthorized_client`, told to the client with its state."""
    acu.sim.apps[acu.sim.demo_client_id].flow = flow
    response = requests.get(acu.authorize_url(scope="api"), allow_redirects=False, timeout=10)
    location = urlsplit(response.headers["Location"])
    assert location._replace(query="").geturl() == acu.redirect_uri
    params = parse_qs(location.query)
    assert params["error"] == ["unauthorized_client"]
    assert params["state"] == ["xyz"]


def test_a_code_is_refused_once_the_flow_is_no_longer_authorization_code(
    acu: RunningAcumatica,
) -> None:
    with requests.Session() as http:
        code = http_authorize(http, acu, USER)["code"]
    acu.sim.apps[acu.sim.demo_client_id].flow = "Implicit"
    response = exchange_code(acu, code)
    assert response.status_code == 400
    assert response.json()["error"] == "unauthorized_client"


def test_no_refresh_tokens_refuses_offline_access(acu: RunningAcumatica) -> None:
    acu.sim.set_refresh(acu.sim.demo_client_id, mode="No Refresh Tokens")
    with requests.Session() as http:
        params = http_authorize(http, acu, USER)
    assert params["error"] == "invalid_scope"
    assert params["state"] == "xyz"
    assert "refresh_token" not in first_token(acu, scope="api")


def test_no_refresh_tokens_set_later_ends_the_chain_and_issues_none(acu: RunningAcumatica) -> None:
    """No refresh token in a response is dead on arrival; switched off, none works any more."""
    live = str(first_token(acu)["refresh_token"])
    with requests.Session() as http:
        code = http_authorize(http, acu, USER)["code"]  # offline_access, asked before the switch
    acu.sim.set_refresh(acu.sim.demo_client_id, mode="No Refresh Tokens")
    refused = refresh(acu, live)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    exchanged = exchange_code(acu, code)
    assert exchanged.status_code == 200
    assert "refresh_token" not in exchanged.json()


def test_a_refresh_narrowed_to_drop_offline_access_gets_no_refresh_token(
    acu: RunningAcumatica,
) -> None:
    old = str(first_token(acu)["refresh_token"])
    narrowed = token_request(acu, grant_type="refresh_token", refresh_token=old, scope="api")
    assert narrowed.status_code == 200
    assert narrowed.json()["scope"] == "api"
    assert "refresh_token" not in narrowed.json()


def test_2023_r2_ignores_sliding_settings(acu: RunningAcumatica) -> None:
    acu.sim.update_settings(version="23.200.0151")
    acu.sim.set_refresh(acu.sim.demo_client_id, mode="Sliding Expiration", infinite=True)
    assert refresh_on_days(acu, [10, 20, 31]) == [200, 200, 400]
