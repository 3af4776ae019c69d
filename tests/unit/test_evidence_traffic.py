"""TrafficSecrets harvests what passes in traffic; nothing it does can raise into Playwright."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from bot import Scrubber
from bot.evidence import TrafficSecrets

MASK = "[secret]"


def harvest() -> tuple[Scrubber, TrafficSecrets]:
    scrubber = Scrubber()
    return scrubber, TrafficSecrets(scrubber)


def test_oauth_values_in_query_and_fragment() -> None:
    scrubber, traffic = harvest()
    traffic.offer_url("https://erp.example/cb?code=AUTHCODE123&state=plain-state-1")
    traffic.offer_url("https://app.example/cb#access_token=ACCESS456xyz&id_token=ID789tok")
    assert scrubber.text("AUTHCODE123 ACCESS456xyz ID789tok plain-state-1") == (
        f"{MASK} {MASK} {MASK} plain-state-1"
    )


def test_secret_form_fields_but_not_plain_ones() -> None:
    scrubber, traffic = harvest()
    form = (
        "ctl00%24phUser%24txtUser=integration-user&ctl00%24phUser%24txtPass=Pa%24%24w0rd!"
        "&code_verifier=VERIFIER-abc-123&remember=on"
    )
    traffic.offer_body(form, "application/x-www-form-urlencoded")
    assert scrubber.text("Pa$$w0rd! VERIFIER-abc-123 integration-user") == (
        f"{MASK} {MASK} integration-user"
    )


def test_token_json_response_fields() -> None:
    scrubber, traffic = harvest()
    body = json.dumps(
        {
            "access_token": "eyJhbGciOi.payload.sig",
            "token_type": "Bearer",
            "refresh_token": "REFRESH-0001",
            "expires_in": 3600,
            "nested": {"client_secret": "CLIENT-SECRET-9"},
        }
    )
    traffic.offer_body(body, "application/json; charset=utf-8")
    assert scrubber.text("eyJhbGciOi.payload.sig Bearer REFRESH-0001 CLIENT-SECRET-9") == (
        f"{MASK} Bearer {MASK} {MASK}"
    )


def test_authorization_and_cookies() -> None:
    scrubber, traffic = harvest()
    basic = base64.b64encode(b"assignar-client:CLIENT-SECRET-7").decode()
    traffic.offer_headers(
        {
            "authorization": f"Basic {basic}",
            "cookie": "ASP.NET_SessionId=sess1on-id-42; Locale=en-AU-locale",
            "set-cookie": ".ASPXAUTH=AUTHCOOKIE-77; path=/; HttpOnly\nprefs=dark-theme-1; path=/\n"
            "opaque=HTTPONLY-VALUE-5; HttpOnly",
        }
    )
    text = "CLIENT-SECRET-7 sess1on-id-42 AUTHCOOKIE-77 HTTPONLY-VALUE-5 en-AU-locale dark-theme-1"
    assert scrubber.text(text) == f"{MASK} {MASK} {MASK} {MASK} en-AU-locale dark-theme-1"
    assert scrubber.text(f"Authorization: Basic {basic}") == f"Authorization: {MASK}"
    assert scrubber.text(f"token={basic}") == f"token={MASK}"


def test_context_cookies_httponly_or_session_named() -> None:
    scrubber, traffic = harvest()
    traffic.offer_cookies(
        [
            {"name": "anything", "value": "HTTP-ONLY-111", "httpOnly": True},
            {"name": "session", "value": "SESSION-222", "httpOnly": False},
            {"name": "theme", "value": "light-theme", "httpOnly": False},
        ]
    )
    assert scrubber.text("HTTP-ONLY-111 SESSION-222 light-theme") == f"{MASK} {MASK} light-theme"


def test_short_harvested_values_are_ignored() -> None:
    scrubber, traffic = harvest()
    traffic.offer_url("https://x.example/?code=12345&access_token=true")
    assert scrubber.count == 0
    assert traffic.harvested == 0


class BrokenRequest:
    url = "https://x.example/?code=WILL-NOT-GET-HERE"

    def all_headers(self) -> dict[str, str]:
        raise RuntimeError("Target page, context or browser has been closed")


class FakeContext:
    """Just enough of a BrowserContext to capture the handlers `attach` registers."""

    def __init__(self) -> None:
        self.handlers: dict[str, Callable[[Any], None]] = {}
        self.pages: list[Any] = []

    def on(self, event: str, handler: Callable[[Any], None]) -> None:
        self.handlers[event] = handler

    def cookies(self) -> list[dict[str, Any]]:
        raise RuntimeError("context closed")


def test_handlers_never_raise_into_playwright() -> None:
    scrubber, traffic = harvest()
    context = FakeContext()
    traffic.attach(context)  # type: ignore[arg-type]
    context.handlers["request"](BrokenRequest())
    context.handlers["response"](object())
    traffic.harvest_cookies()
    assert traffic.errors == 3
    assert scrubber.text("WILL-NOT-GET-HERE") == MASK  # the URL was read before the failure
