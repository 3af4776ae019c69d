"""Dead ends read from the page itself: a frame whose document came back as a server error (its
own `PerformanceNavigationTiming.responseStatus`, so the answer does not depend on when the
response event was heard), a page that does not exist (404 or 410 for the tab's own document,
told once: `missing_page`), an OAuth error page, and pages whose text says the account is locked,
the password expired or the application is inactive (their wordings: `page_text`)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Frame, Page

from bot.engine.step_context import DeadEnd
from bot.errors import FailureKind
from bot.steps._unrecorded import unrecorded
from bot.steps.asking import ask
from bot.steps.page_text import dead_end_said

# what a document says about itself: its HTTP status, address, headline and visible text
_READ = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const heading = document.querySelector('h1, h2, [role=heading]');
  const body = document.body;
  return {
    status: nav && nav.responseStatus ? nav.responseStatus : 0,
    ready: document.readyState,
    age: nav ? performance.now() - nav.responseStart : 0,  // since its first byte came
    url: location.href,
    heading: heading ? heading.innerText : '',
    title: document.title || '',
    text: body ? body.innerText.slice(0, 20000) : '',
  };
}"""

PARSE_PATIENCE_MS = 5_000  # from the page's first byte: parsing takes far less, even busy


def page_dead_end(page: Page, methods: Mapping[str, str]) -> DeadEnd | None:
    """The dead end the page or one of its frames shows now, if any (main frame first).

    A document still being parsed (a busy renderer, a server sending its page slowly) has not
    said its words yet. The tab's own document is read once parsed, so that the step that led
    there is the one told, however slow the machine: a transient 502 after a Save is that
    Save's, and its `retry:` applies. The wait ends PARSE_PATIENCE_MS after the page's first byte,
    however many looks wait for it (a page that never finishes parsing costs it once). Another
    frame still loading is judged by its HTTP status alone (known from the start), its words
    left for the next look."""
    for frame in page.frames:
        seen = _read(frame)
        if seen is None:
            continue
        patience = PARSE_PATIENCE_MS - float(seen.get("age") or 0)
        if (
            seen.get("ready") == "loading"
            and patience > 0
            and (frame == page.main_frame or _document_dead_end(seen, methods) is not None)
        ):
            seen = _parsed(frame, patience) or seen
        dead = _document_dead_end(seen, methods)
        if dead is None and seen.get("ready") != "loading":
            dead = _text_dead_end(seen)
        if dead is not None:
            return dead
    return None


def _parsed(frame: Frame, patience_ms: float) -> dict[str, Any] | None:
    """What `frame` says once its document is parsed, or as far as it got within the wait."""
    with contextlib.suppress(Exception), unrecorded():  # still coming: read what is there
        frame.wait_for_load_state("domcontentloaded", timeout=patience_ms)
    return _read(frame)


def missing_page(page: Page, url: str, status: int, method: str) -> DeadEnd:
    """The tab's document at `url` that came back `status` (404 or 410): NOT_FOUND, naming the
    address and the page's headline (once parsed, if the tab is still there)."""
    path = url.split("?", 1)[0]
    detail = f"the server answered HTTP {status} for {method} {path}"
    if page.main_frame.url == url:
        with contextlib.suppress(Exception), unrecorded():  # still coming: no headline
            page.main_frame.wait_for_load_state("domcontentloaded", timeout=2_000)
        seen = _read(page.main_frame)
        said = _headline(seen) if seen is not None and seen.get("url") == url else ""
        detail += f" (“{said}”)" if said else ""
    return DeadEnd(FailureKind.NOT_FOUND, url, "", detail + ": there is no page at this address")


def _read(frame: Frame) -> dict[str, Any] | None:
    try:
        seen = ask(frame, _READ)
    except Exception:  # navigating, detached, or no page at all: nothing to say now
        return None
    return seen if isinstance(seen, dict) else None


def _document_dead_end(seen: dict[str, Any], methods: Mapping[str, str]) -> DeadEnd | None:
    status, url = int(seen.get("status") or 0), str(seen.get("url") or "")
    if status >= 500:
        path = url.split("?", 1)[0]
        method = methods.get(url.split("#", 1)[0], "GET")
        detail = f"the server answered HTTP {status} for {method} {path}"
        return DeadEnd(FailureKind.SERVER_ERROR, url, _headline(seen), detail)
    if 400 <= status < 500 and _is_authorize(url):
        return DeadEnd(FailureKind.OAUTH_ERROR, url, _error_text(seen), f"HTTP {status}")
    return None


def _text_dead_end(seen: dict[str, Any]) -> DeadEnd | None:
    said = dead_end_said(str(seen.get("text") or ""))
    if said is None:
        return None
    kind, words = said
    return DeadEnd(kind, str(seen.get("url") or ""), words[:300])


def _is_authorize(url: str) -> bool:
    path = url.split("?", 1)[0].rstrip("/")
    return path.endswith("/authorize") or "response_type=" in url


def _headline(seen: dict[str, Any]) -> str:
    for key in ("heading", "title", "text"):
        lines = [line.strip() for line in str(seen.get(key) or "").splitlines() if line.strip()]
        if lines:
            return lines[0][:200]
    return ""


def _error_text(seen: dict[str, Any]) -> str:
    """An error page's explanation: its lines after the headline, short."""
    lines = [line.strip() for line in str(seen.get("text") or "").splitlines() if line.strip()]
    body = [line for line in lines if line.lower() not in ("error", str(seen.get("heading")))]
    return " ".join(body)[:300]
