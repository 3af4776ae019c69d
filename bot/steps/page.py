"""Watch the page for what a person would notice without looking for it: server error pages,
sites that cannot be reached, and pages saying the session ended."""

from __future__ import annotations

import contextlib
import re
from typing import Any
from urllib.parse import urlsplit

# how sign-in pages say a session ended (the wording varies by site, the meaning does not)
_SIGNED_OUT = re.compile(
    r"[^.!?\n]*\b(?:session\b[^.!?\n]{0,40}\b(?:expired|timed out|has ended)"
    r"|signed out due to inactivity|logged out due to inactivity)\b[^.!?\n]*[.!?]?",
    re.IGNORECASE,
)
_SIGNED_OUT_SCRIPT = "() => (document.body && document.body.innerText || '').slice(0, 20000)"


def watch_server_errors(page: Any, errors: list[str]) -> None:
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


def signed_out_notice(page: Any) -> str | None:
    """The sentence with which the page says the session ended, if it says so."""
    try:
        text = str(page.evaluate(_SIGNED_OUT_SCRIPT))
    except Exception:  # no page to read (closed, navigating): nothing to say
        return None
    match = _SIGNED_OUT.search(text)
    return " ".join(match.group(0).split()) if match else None


def back_to_previous_page(page: Any, timeout_ms: float) -> None:
    """Leave an error page the way a person would: the browser's Back button."""
    with contextlib.suppress(Exception):  # nothing to go back to: the retry shows what is wrong
        page.go_back(wait_until="load", timeout=timeout_ms)
