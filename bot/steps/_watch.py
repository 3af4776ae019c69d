"""Watch the page for what a person would notice without looking for it: server error pages."""

from __future__ import annotations

from typing import Any


def watch_server_errors(page: Any, errors: list[str]) -> None:
    """Append `"HTTP 502 for POST /path"` to `errors` whenever a page or frame loads an error page."""

    def on_response(response: Any) -> None:
        try:
            request = response.request
            if request.resource_type == "document" and response.status >= 500:
                path = request.url.split("?", 1)[0]
                errors.append(f"HTTP {response.status} for {request.method} {path}")
        except Exception:  # never let a listener break Playwright's event loop
            pass

    page.on("response", on_response)


def back_to_previous_page(page: Any, timeout_ms: float) -> None:
    """Leave an error page the way a person would: the browser's Back button."""
    try:
        page.go_back(wait_until="load", timeout=timeout_ms)
    except Exception:  # nothing to go back to; the retry will show what is wrong
        pass
