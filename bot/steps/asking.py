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

Cheaper still, and what is used when it is there: the very call `Frame.evaluate` makes, given
the timeout that Playwright's protocol takes for every call (the public method passes none). It
is one round trip where the locator takes three (find `:root`, evaluate on it, let the handle go):
about 4 ms a question against 10–18. A question about one element (`ask_element`) likewise goes
as the frame's `$eval` of the element's selector, given the timeout. Neither is public API, so
their shape is checked once and the locator is used when it differs: slower, never unbounded.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page
from playwright.sync_api import Locator as PWLocator
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bot.errors import FailureKind, StepError
from bot.steps._unrecorded import unrecorded

ANSWER_WITHIN_MS = 5_000  # a question takes milliseconds; 5 s allows for a very busy machine


def _protocol_parts() -> tuple[Callable[[Any], Any], Callable[[Any], Any]] | None:
    """Playwright's argument serializer and result parser, when its frame channel's evaluations
    (of a script, of a script on the element a selector finds) take a timeout; None when this
    version of Playwright has another shape."""
    try:
        from playwright._impl._sync_base import mapping
        from playwright._impl.js_handle import parse_result, serialize_argument
        from playwright._impl.protocol_channels import FrameChannel
    except ImportError:
        return None
    expected: dict[Callable[..., Any], set[str]] = {
        FrameChannel.evaluateExpression: {"expression", "isFunction", "arg", "timeout"},
        FrameChannel.evalOnSelector: {"selector", "strict", "expression", "isFunction", "arg"},
    }
    for method, names in expected.items():
        try:
            parameters = inspect.signature(method).parameters
        except (AttributeError, TypeError, ValueError):
            return None
        if not names | {"timeout"} <= parameters.keys():
            return None

    def serialize(arg: Any) -> Any:  # handles in `arg` are the sync API's: Playwright's own first
        return serialize_argument(mapping.to_impl(arg))

    return serialize, parse_result


_PROTOCOL = _protocol_parts()


def ask(frame: Frame, script: str, arg: Any = None, *, timeout_ms: float = ANSWER_WITHIN_MS) -> Any:
    """`frame.evaluate(script, arg)`, left out of the trace, answered within `timeout_ms`.

    `script` is a JavaScript function of `arg` (or of nothing), as for `Frame.evaluate`.
    """
    with unrecorded():
        channel = getattr(getattr(frame, "_impl_obj", None), "_channel", None)
        if _PROTOCOL is not None and channel is not None:
            serialize, parse = _PROTOCOL
            try:
                reply = frame._sync(
                    channel.evaluateExpression(
                        expression=script, isFunction=True, arg=serialize(arg), timeout=timeout_ms
                    )
                )
            except PlaywrightTimeout:
                raise _unanswered(timeout_ms) from None
            return parse(reply["value"])
        return frame.locator(":root").evaluate(
            f"(_root, arg) => ({script})(arg)", arg, timeout=timeout_ms
        )


_NOT_THERE = "Failed to find element matching selector"


def _unanswered(timeout_ms: float) -> PlaywrightTimeout:
    """The timeout of a question, said as Playwright's public calls say theirs: the protocol's
    own would name its internal call (`FrameChannel.evaluateExpression`) to the user."""
    return PlaywrightTimeout(
        f"Timeout {timeout_ms:g}ms exceeded: the page did not answer (it may be on its way to "
        "another page)"
    )


def ask_element(
    element: PWLocator, script: str, arg: Any = None, *, timeout_ms: float = ANSWER_WITHIN_MS
) -> Any:
    """`element.evaluate(script, arg)`, left out of the trace, answered within `timeout_ms`.

    One round trip when the element is on the page (its frame's `$eval`, strict, given the
    protocol's timeout); the locator, which waits for it to be attached, when it is not, or when
    this version of Playwright has another shape.
    """
    with unrecorded():
        impl = getattr(element, "_impl_obj", None)
        selector = getattr(impl, "_selector", None)
        channel = getattr(getattr(impl, "_frame", None), "_channel", None)
        if _PROTOCOL is not None and channel is not None and isinstance(selector, str):
            serialize, parse = _PROTOCOL
            try:
                reply = element._sync(
                    channel.evalOnSelector(
                        selector=selector,
                        strict=True,
                        expression=script,
                        isFunction=True,
                        arg=serialize(arg),
                        timeout=timeout_ms,
                    )
                )
                return parse(reply["value"])
            except PlaywrightTimeout:
                raise _unanswered(timeout_ms) from None
            except PlaywrightError as exc:
                if _NOT_THERE not in str(exc):
                    raise
        return element.evaluate(script, arg, timeout=timeout_ms)


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
