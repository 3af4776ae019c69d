"""The engine's page services on a real Playwright page: error pages and unreachable sites noticed
as they load, pages saying the session ended, masked screenshots, and failure classification."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page

from bot.errors import StepError
from bot.steps._errors import classify
from bot.steps._secrets import secret_holders

# how sign-in pages say a session ended (the wording varies by site, the meaning does not)
_SIGNED_OUT = re.compile(
    r"[^.!?\n]*\b(?:session\b[^.!?\n]{0,40}\b(?:expired|timed out|has ended)"
    r"|signed out due to inactivity|logged out due to inactivity)\b[^.!?\n]*[.!?]?",
    re.IGNORECASE,
)
_SIGNED_OUT_SCRIPT = "() => (document.body && document.body.innerText || '').slice(0, 20000)"


def _watch_server_errors(page: Page, errors: list[str]) -> None:
    """Append what went wrong whenever a page or frame loads an error page (`the server answered
    HTTP 502 for POST /path`) or its document could not be fetched at all (`could not reach …`)."""

    def on_response(response: Any) -> None:
        try:
            request = response.request
            if request.resource_type == "document" and response.status >= 500:
                path = request.url.split("?", 1)[0]
                errors.append(
                    f"the server answered HTTP {response.status} for {request.method} {path}"
                )
        except Exception:  # never let a listener break Playwright's event loop
            pass

    def on_request_failed(request: Any) -> None:
        try:
            failure = str(request.failure or "")
            # ERR_ABORTED: a navigation superseded by another one (or a download), not a fault
            if request.resource_type != "document" or not failure or "ERR_ABORTED" in failure:
                return
            parts = urlsplit(request.url)
            errors.append(
                f"could not reach {parts.scheme}://{parts.netloc} "
                f"({failure.removeprefix('net::')}) for {request.method} {parts.path}"
            )
        except Exception:  # never let a listener break Playwright's event loop
            pass

    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)


def _signed_out_notice(page: Page) -> str | None:
    """The sentence with which the page says the session ended, if it says so."""
    try:
        text = str(page.evaluate(_SIGNED_OUT_SCRIPT))
    except Exception:  # no page to read (closed, navigating): nothing to say
        return None
    match = _SIGNED_OUT.search(text)
    return " ".join(match.group(0).split()) if match else None


def _back_to_previous_page(page: Page, timeout_ms: float) -> None:
    """Leave an error page the way a person would: the browser's Back button."""
    with contextlib.suppress(Exception):  # nothing to go back to: the retry shows what is wrong
        page.go_back(wait_until="load", timeout=timeout_ms)


class PlaywrightServices:
    """`PageServices` for one Playwright page (the engine's only way to the browser)."""

    def __init__(self, page: Page) -> None:
        self._page = page
        self._errors: list[str] = []
        _watch_server_errors(page, self._errors)

    @property
    def page(self) -> Page:
        return self._page

    def classify(self, error: BaseException) -> StepError:
        return classify(error)

    def begin_step(self) -> None:
        self._errors.clear()

    def server_errors(self) -> list[str]:
        return list(self._errors)

    def leave_error_page(self, timeout_ms: float) -> None:
        _back_to_previous_page(self._page, timeout_ms)
        self._errors.clear()

    def signed_out_notice(self) -> str | None:
        return _signed_out_notice(self._page)

    def current_url(self) -> str:
        return str(self._page.url)

    def screenshot(
        self,
        path: Path,
        *,
        full_page: bool,
        masks: Sequence[Locator],
        hides: Callable[[str], str | None] | None = None,
    ) -> None:
        masked = [self._page.locator("input[type=password]"), *masks]
        with secret_holders(self._page, hides) as holders:
            self._page.screenshot(
                path=str(path), full_page=full_page, mask=[*masked, *holders], timeout=5_000
            )

    def pause(self) -> None:
        self._page.pause()
