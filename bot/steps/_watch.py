"""What the browser's traffic tells about dead ends, heard as it happens: documents that could not
be fetched, OAuth error redirects, and every address the main frame went through.

Listeners only record; they never raise (an exception in a Playwright listener would break its
event loop). `bot/steps/_dead_ends.py` reads the page itself; both feed `PlaywrightServices`.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page

from bot.engine.step_context import DeadEnd
from bot.errors import FailureKind

# RFC 6749 §4.1.2.1 and OpenID Connect Core §3.1.2.6 error codes, with what they mean to a person
OAUTH_ERRORS = {
    "access_denied": "the consent was denied",
    "invalid_request": "the authorization request was malformed",
    "unauthorized_client": "the application may not ask for authorization this way",
    "unsupported_response_type": "the authorization server refuses this response type",
    "invalid_scope": "a requested permission (scope) is unknown or not allowed",
    "server_error": "the authorization server failed",
    "temporarily_unavailable": "the authorization server is temporarily unavailable",
    "login_required": "a sign-in is required",
    "consent_required": "consent is required",
    "interaction_required": "the user must act on the authorization server's page",
    "account_selection_required": "an account must be chosen",
}
MAX_VISITED = 500
MISSING = (404, 410)  # the address names no page (any more)


class PageWatch:
    """Listens to one page's traffic for the whole run."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pending: list[DeadEnd] = []  # passed on the way, not yet reported
        self.visited: list[str] = []
        self.methods: dict[str, str] = {}  # document URL -> the method that fetched it
        self.awaited: tuple[Any, float] | None = None  # the main document asked for, unanswered
        # the tab's document came back 404/410 (url, status, method); until taken or left
        self.missing: tuple[str, int, str] | None = None
        page.on("request", self._on_request)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)
        page.on("framenavigated", self._on_navigated)

    def take_pending(self) -> DeadEnd | None:
        return self.pending.pop(0) if self.pending else None

    def forget(self) -> None:
        self.pending.clear()
        self.missing = None

    def take_missing(self) -> tuple[str, int, str] | None:
        """The tab's last document, when it came back 404 or 410 and nobody was told yet: a dead
        end only for the step that met it (an optional probe of an address may meet one, and the
        steps after it must not fail on that page)."""
        missing, self.missing = self.missing, None
        return missing

    def unanswered(self) -> DeadEnd | None:
        """The main frame's document the browser asked for and got no answer to (yet): a site
        that accepted the connection and hangs. TIMEOUT, with its address and how long."""
        if self.awaited is None:
            return None
        request, since = self.awaited
        parts = urlsplit(request.url)
        detail = (
            f"{parts.scheme}://{parts.netloc} has not answered {request.method} {parts.path} "
            f"for {time.monotonic() - since:.0f}s (it accepted the connection but sends nothing)"
        )
        return DeadEnd(FailureKind.TIMEOUT, request.url, "", detail)

    def _main_document(self, request: Any) -> bool:
        return bool(request.is_navigation_request()) and request.frame == self.page.main_frame

    def _on_request(self, request: Any) -> None:
        try:
            if request.resource_type != "document":
                return
            self.methods[request.url.split("#", 1)[0]] = request.method
            if not self._main_document(request):
                return
            self.visited = [*self.visited[-MAX_VISITED + 1 :], request.url]
            self.awaited = (request, time.monotonic())
            self.missing = None  # another document asked for: the missing one is left
            previous = request.redirected_from  # the server that sent the browser here
            dead = oauth_error(request.url, str(previous.url if previous else request.url))
            if dead is not None:
                self.pending.append(dead)
        except Exception:  # never let a listener break Playwright's event loop
            pass

    def _on_response(self, response: Any) -> None:
        try:
            if self.awaited is not None and response.request == self.awaited[0]:
                self.awaited = None
            request = response.request
            if response.status in MISSING and self._main_document(request):
                self.missing = (str(response.url), int(response.status), str(request.method))
        except Exception:  # never let a listener break Playwright's event loop
            pass

    def _on_request_failed(self, request: Any) -> None:
        try:
            if self.awaited is not None and request == self.awaited[0]:
                self.awaited = None
            failure = str(request.failure or "")
            # ERR_ABORTED: a navigation superseded by another one (or a download), not a fault
            if not failure or "ERR_ABORTED" in failure or not self._main_document(request):
                return
            parts = urlsplit(request.url)
            detail = (
                f"could not reach {parts.scheme}://{parts.netloc} "
                f"({failure.removeprefix('net::')}) for {request.method} {parts.path}"
            )
            self.pending.append(DeadEnd(FailureKind.NAVIGATION, request.url, "", detail))
        except Exception:  # never let a listener break Playwright's event loop
            pass

    def _on_navigated(self, frame: Any) -> None:
        try:
            # a real page loaded in the main frame: an earlier unreachable address is history
            if frame == self.page.main_frame and not str(frame.url).startswith("chrome-error:"):
                self.pending = [d for d in self.pending if d.kind is not FailureKind.NAVIGATION]
        except Exception:  # never let a listener break Playwright's event loop
            pass


def oauth_error(url: str, origin_url: str) -> DeadEnd | None:
    """An OAuth error redirect (`?error=access_denied&error_description=…`), as a dead end of
    the authorization server at `origin_url` (where the redirect came from)."""
    query = parse_qs(urlsplit(url).query)
    code = (query.get("error") or [""])[0]
    if code not in OAUTH_ERRORS:
        return None
    words = (query.get("error_description") or [""])[0].strip()
    detail = f"error={code} ({OAUTH_ERRORS[code]})"
    return DeadEnd(FailureKind.OAUTH_ERROR, origin_url, words[:300], detail)
