"""Classify what Playwright raised into failure kinds, with a message a person can act on."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bot.errors import FailureKind, StepError

_NETWORK = re.compile(r"net::(ERR_[A-Z_]+)(?: at (\S+))?")
_CLOSED = (
    "Target page, context or browser has been closed",
    "Browser has been closed",
    "Target closed",
    "Connection closed",
    "browser has disconnected",
)


def classify(exc: BaseException) -> StepError:
    """A StepError for any exception a step raised."""
    if isinstance(exc, StepError):
        return exc
    text = str(exc).strip()
    first_line = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, PlaywrightError):
        if any(marker in text for marker in _CLOSED):
            return StepError(FailureKind.BROWSER_CLOSED, f"the browser closed: {first_line}")
        if "strict mode violation" in text:
            return StepError(FailureKind.AMBIGUOUS, first_line)
        network = _NETWORK.search(text)
        if network:
            code, url = network.groups()
            page = shown_address(url) if url else "the page"
            return StepError(FailureKind.NAVIGATION, f"could not load {page} ({code})", url=url)
        if isinstance(exc, PlaywrightTimeout) or "Timeout" in first_line:
            return StepError(FailureKind.TIMEOUT, _timeout_message(text))
        return StepError(FailureKind.ERROR, first_line)
    if isinstance(exc, AssertionError):
        return StepError(FailureKind.ASSERTION, first_line)
    return StepError(FailureKind.ERROR, f"{type(exc).__name__}: {first_line}")


def shown_address(url: str) -> str:
    """`url` without its query and fragment, which may hold tokens (an OAuth `code=`…)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) if parts.netloc else url


def _timeout_message(text: str) -> str:
    """Playwright's timeout headline plus the last thing it was waiting for."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    waiting = [line for line in lines if line.startswith("-")]
    detail = f" (last: {waiting[-1].lstrip('- ')})" if waiting else ""
    return f"{lines[0]}{detail}"
