"""Questions to a frame that always end, even when the frame is on its way to a page that never
comes.

`Frame.evaluate` has no timeout: once a click or a form starts a navigation, Playwright waits for
the next document's context before it runs the script, and a server that accepted the request
and never answers makes it wait for ever (the run hung, whatever its timeouts). The same script
run on the frame's root element through a locator (`:root`) is bounded by the locator's timeout:
a frame that cannot answer within it raises Playwright's TimeoutError (an `Error`), which the
callers already treat as "navigating, nothing to say now".

Not `Frame.wait_for_function`, though cheaper: its answer is a handle, and reading the handle
(`JSHandle.json_value`, no timeout) waited for ever on a frame posting a form to such a server.
"""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

from bot.errors import FailureKind, StepError
from bot.steps._unrecorded import unrecorded

ANSWER_WITHIN_MS = 5_000  # a question takes milliseconds; 5 s allows for a very busy machine


def ask(frame: Frame, script: str, arg: Any = None, *, timeout_ms: float = ANSWER_WITHIN_MS) -> Any:
    """`frame.evaluate(script, arg)`, left out of the trace, answered within `timeout_ms`.

    `script` is a JavaScript function of `arg` (or of nothing), as for `Frame.evaluate`.
    """
    with unrecorded():
        return frame.locator(":root").evaluate(
            f"(_root, arg) => ({script})(arg)", arg, timeout=timeout_ms
        )


def answers(frame: Frame, timeout_ms: float = 1_000) -> bool:
    """True when `frame` has a document that answers questions (it is not stuck on its way to
    another one)."""
    try:
        ask(frame, "() => true", timeout_ms=timeout_ms)
    except PlaywrightError:
        return False
    return True


def give_up_loading(page: Page) -> None:
    """Stop loading a page that never came (Chromium's `Page.stopLoading`, the Stop button), so
    that the frame keeps the document it had. Left loading, it makes every later question
    (`Locator.count`, `Frame.evaluate`…) wait for that page without end."""
    with contextlib.suppress(Exception), unrecorded():  # not Chromium, or the page is gone
        session = page.context.new_cdp_session(page)
        try:
            session.send("Page.stopLoading")
        finally:
            session.detach()


def not_answered(url: str, method: str, waited_ms: float) -> StepError:
    """The failure for a page the site accepted to send and never sent (TIMEOUT, with its
    address: the engine names the site and its setting)."""
    parts = urlsplit(url)
    return StepError(
        FailureKind.TIMEOUT,
        f"{parts.scheme}://{parts.netloc} has not answered {method} {parts.path or '/'} within "
        f"{waited_ms / 1000:g}s (it accepted the connection but sent no page); the bot stopped "
        "waiting for it",
        url=url,
    )
