"""Harvest secrets out of a browser context's traffic into a `Scrubber` while a run goes.

OAuth codes and tokens in URLs (query and fragment), secret form fields, JSON bodies' values under
any key that says token, key, secret, password, jwt, assertion, session or authorization, such
headers (`Authorization`, `X-Acme-Api-Key`) and session cookies are added as they pass. Every
handler swallows its own errors: nothing here may raise into Playwright's event dispatch.
"""

from __future__ import annotations

import _thread
import base64
import binascii
import json
import logging
import signal
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import BrowserContext, Page, Request, Response

from bot.evidence._fields import is_secret_field
from bot.evidence.scrub import Scrubber

__all__ = ["TrafficSecrets"]

log = logging.getLogger(__name__)

SESSION_COOKIES = frozenset({".aspxauth", "asp.net_sessionid", "session", "sessionid"})
SESSION_PARTS = ("sess", "auth", "token")
BODY_LIMIT = 1024 * 1024


class TrafficSecrets:
    """Feeds secrets seen in traffic to `scrubber`. Values shorter than `min_length` are ignored
    (harvested field values like `true` or `1` would mask harmless text everywhere)."""

    def __init__(self, scrubber: Scrubber, *, min_length: int = 6) -> None:
        self.scrubber = scrubber
        self.min_length = min_length
        self.harvested = 0
        self.errors = 0
        self._contexts: list[BrowserContext] = []

    def attach(self, context: BrowserContext) -> None:
        """Listen to every request, response and navigation of `context` (and its pages)."""
        self._contexts.append(context)
        context.on("request", self._guard(self.on_request))
        context.on("response", self._guard(self.on_response))
        context.on("requestfailed", self._guard(self.on_request_failed))
        context.on("page", self._guard(self.on_page))
        for page in context.pages:
            self.on_page(page)

    def harvest_cookies(self) -> None:
        """Add session cookie values from every attached context (call before closing it)."""
        for context in self._contexts:  # called by the run itself, not by Playwright's events
            try:
                self.offer_cookies(context.cookies())
            except Exception as exc:
                self.errors += 1
                log.debug("cookie harvest skipped: %s", type(exc).__name__)

    # Playwright event handlers -------------------------------------------------------------

    def on_page(self, page: Page) -> None:
        page.on("framenavigated", self._guard(lambda frame: self.offer_url(frame.url)))

    def on_request(self, request: Request) -> None:
        """What the request carries, without a round trip: its full headers (`all_headers`) are
        known only once it is answered or failed (then harvested). Asked for here, they made
        this listener wait for the answer, and with it every later listener of the request, the
        run's own included: a site that never answered hung the run."""
        self.offer_url(request.url)
        self.offer_headers(request.headers)
        body = request.post_data
        if body:
            self.offer_body(body, request.headers.get("content-type", ""))

    def on_request_failed(self, request: Request) -> None:
        self.offer_headers(request.all_headers())

    def on_response(self, response: Response) -> None:
        self.offer_headers(response.request.all_headers())
        headers = response.all_headers()
        self.offer_headers(headers)
        if 300 <= response.status < 400:
            self.offer_url(headers.get("location", ""))
            return
        kind = headers.get("content-type", "")
        if ("json" in kind or "form-urlencoded" in kind) and _small(headers):
            self.offer_body(response.text(), kind)

    # Pure harvesting, usable without a browser ---------------------------------------------

    def offer(self, value: object) -> None:
        """Add one value when it is a string long enough to scrub safely."""
        if isinstance(value, str) and len(value) >= self.min_length and self.scrubber.add(value):
            self.harvested += 1

    def offer_url(self, url: str) -> None:
        """OAuth `code`, `access_token`, `id_token`... in a URL's query or fragment."""
        parts = urlsplit(url)
        for text in (parts.query, parts.fragment):
            self.offer_fields(parse_qsl(text, keep_blank_values=False))

    def offer_fields(self, fields: Iterable[tuple[str, str]]) -> None:
        for name, value in fields:
            if is_secret_field(name):
                self.offer(value)

    def offer_body(self, body: str, content_type: str) -> None:
        """A form post or a JSON body: the values of secret-named fields, at any depth."""
        if "json" in content_type or body.lstrip().startswith(("{", "[")):
            try:
                self.offer_json(json.loads(body))
            except ValueError:
                return
        else:
            self.offer_fields(parse_qsl(body))

    def offer_json(self, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if is_secret_field(str(key)) and isinstance(item, str):
                    self.offer(item)
                else:
                    self.offer_json(item)
        elif isinstance(value, list):
            for item in value:
                self.offer_json(item)

    def offer_headers(self, headers: Mapping[str, str]) -> None:
        """Authorization values (whole, and the credential after the scheme), any header whose
        name says token, key, secret, session… (`X-Acme-Api-Key`), and cookies."""
        for name, value in headers.items():
            if not value or name.lower() in ("cookie", "set-cookie") or not is_secret_field(name):
                continue
            self.offer(value)
            scheme, _, credential = value.strip().partition(" ")
            self.offer(credential.strip())
            if scheme.lower() == "basic":
                self.offer(_basic_password(credential))
        self.offer_cookies(_cookie_header(headers.get("cookie", "")))
        self.offer_cookies(_set_cookie_header(headers.get("set-cookie", "")))

    def offer_cookies(self, cookies: Iterable[Mapping[str, Any]]) -> None:
        """Values of session-like cookies (`.ASPXAUTH`, `ASP.NET_SessionId`, httpOnly ones)."""
        for cookie in cookies:
            name = str(cookie.get("name", "")).lower()
            if (
                cookie.get("httpOnly")
                or name in SESSION_COOKIES
                or any(part in name for part in SESSION_PARTS)
            ):
                self.offer(cookie.get("value"))

    def _guard(self, handler: Callable[[Any], None]) -> Callable[[Any], None]:
        def guarded(argument: Any) -> None:
            try:
                handler(argument)
            except KeyboardInterrupt:
                _interrupt_the_run()
            except Exception as exc:  # never into Playwright's event loop
                self.errors += 1
                log.debug("traffic harvest skipped: %s", type(exc).__name__)

        return guarded


def _interrupt_the_run() -> None:
    """Ctrl-C that landed in an event handler belongs to the run, not to Playwright's dispatch.

    Escaping an event handler's greenlet, KeyboardInterrupt ends the task that reads the driver's
    messages: the connection is lost, and with it the trace (`Tracing.stop: Target page, context
    or browser has been closed`). Delivered again, the signal lands where Playwright passes it on
    to the run (the sync call the run is waiting in).
    """
    _thread.interrupt_main(signal.SIGINT)


def _small(headers: Mapping[str, str]) -> bool:
    length = headers.get("content-length", "")
    return not length.isdigit() or int(length) <= BODY_LIMIT


def _basic_password(credential: str) -> str:
    """The secret half of a Basic credential (`base64(client_id:client_secret)`)."""
    try:
        decoded = base64.b64decode(credential.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[2]


def _cookie_header(value: str) -> list[dict[str, Any]]:
    pairs = (part.strip().partition("=") for part in value.split(";") if "=" in part)
    return [{"name": name, "value": cookie} for name, _, cookie in pairs]


def _set_cookie_header(value: str) -> list[dict[str, Any]]:
    """Playwright joins several Set-Cookie headers with newlines."""
    cookies = []
    for line in filter(None, value.split("\n")):
        first, *attributes = line.split(";")
        name, _, cookie = first.strip().partition("=")
        flags = {attribute.strip().lower() for attribute in attributes}
        cookies.append({"name": name, "value": cookie, "httpOnly": "httponly" in flags})
    return cookies
