"""Pointer actions (click, check, toggle) and key presses as a person does them: wait until the
element can be used, close or name what stays on top of it, and wait for the page the action
leads to.

Waiting for that page is not left to Playwright's own after-click wait: a form submission starts
its navigation in a later task of the page, which a busy or throttled renderer may run after
Playwright stopped waiting. The page is asked instead (a `submit` not prevented, or a
`beforeunload`), and when it is leaving, the step waits for the frame's next document (at most
the navigation timeout). The verdict of what happens next then does not depend on timing.
An action that stays on the page waits instead for the background requests (`fetch`, XHR) it
started to be answered, counted by the page itself (the browser's network events may come later
than the action's end): a switch that saves itself is saved, or flipped back, when the next step
looks.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page, Request, Response
from playwright.sync_api import Locator as PWLocator
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bot.engine.step_context import StepContext
from bot.errors import FailureKind, StepError
from bot.steps._locate import SLICE_S, describe_element
from bot.steps._overlays import close_cover, cover_words
from bot.steps._unrecorded import unrecorded
from bot.steps.asking import answers, ask, give_up_loading, not_answered

OVERLAY_PATIENCE_S = 3.0  # a spinner that comes and goes is waited for; longer is an overlay
MAX_CLOSED = 2  # overlays closed per step; one that comes back again fails the step (OVERLAY)

# also counts the background requests (fetch, XHR) started from now on, until answered
_ARM = """(e) => {
  const w = e.ownerDocument.defaultView;
  if (!w.__botArmed) {
    w.__botArmed = true;
    w.addEventListener('submit', (ev) => { w.__botSubmit = ev; });
    w.addEventListener('beforeunload', () => { w.__botLeaving = true; });
    const started = () => {
      const round = w.__botRound;
      w.__botInFlight += 1;
      return () => { if (w.__botRound === round) w.__botInFlight -= 1; };
    };
    const fetch = w.fetch;
    if (fetch) w.fetch = function (...args) {
      const answered = started();
      let p;
      try { p = fetch.apply(this, args); } catch (error) { answered(); throw error; }
      p.then(answered, answered);
      return p;
    };
    const send = w.XMLHttpRequest && w.XMLHttpRequest.prototype.send;
    if (send) w.XMLHttpRequest.prototype.send = function (...args) {
      const answered = started();
      this.addEventListener('loadend', answered, {once: true});
      try { return send.apply(this, args); } catch (error) { answered(); throw error; }
    };
  }
  w.__botRound = (w.__botRound || 0) + 1;
  w.__botInFlight = 0;
  w.__botSubmit = null;
  w.__botLeaving = false;
}"""
_LEAVING = (
    "() => !!((window.__botSubmit && !window.__botSubmit.defaultPrevented) || window.__botLeaving)"
)


def use_pointer(ctx: StepContext, element: PWLocator, act: Callable[[float], None]) -> None:
    """Wait until `element` can take a pointer action, then `act(timeout_ms)` and wait for the
    page it leads to. An overlay staying on top of it is closed with its own close control
    (`_overlays`), else fails the step (OVERLAY) with its words; a dead end seen while waiting
    fails it with the page's own words.

    The wait is Playwright's trial click (visible, stable, enabled, not covered), a question left
    out of the trace: `act` acts at once (`force=True`), without making the same checks, and
    waiting for the same frames, again. Two calls rather than one on purpose: a page that renders
    the element anew as the pointer arrives gets the action on the element it rendered (a plain
    `click` there reports success and the click lands nowhere: `test_faults.py`, re-rendered).
    """
    deadline = time.monotonic() + ctx.timeout_ms / 1000
    covered_since: float | None = None
    closed = 0  # overlays closed with their own close control
    while True:
        left = deadline - time.monotonic()
        try:
            with unrecorded():
                element.click(trial=True, timeout=max(min(left, SLICE_S), 0.05) * 1000)
            break
        except PlaywrightTimeout as exc:
            dead = ctx.dead_end()
            if dead is not None:
                raise dead from None
            cover = cover_words(element)
            now = time.monotonic()
            covered_since = (covered_since or now) if cover else None
            if cover and covered_since is not None and now - covered_since >= OVERLAY_PATIENCE_S:
                if closed < MAX_CLOSED and _closed(ctx, element, cover):
                    closed, covered_since = closed + 1, None
                    continue
                raise _covered(element, cover) from None
            if now >= deadline:  # still covered when time ran out: named, however slow the page
                raise (
                    _covered(element, cover) if cover else _not_usable(ctx, element, exc)
                ) from None
    with_settling(ctx, element, lambda: act(max(deadline - time.monotonic(), 1.0) * 1000))


def _covered(element: PWLocator, cover: str) -> StepError:
    return StepError(
        FailureKind.OVERLAY,
        f"{describe_element(element)} stays covered by something else on the page, "
        f"which says: “{cover}”",
    )


def _closed(ctx: StepContext, element: PWLocator, cover: str) -> bool:
    """Close what covers `element` with its own close control (`_overlays`), noted in the step's
    events; False when it has none."""
    name = close_cover(element, timeout_ms=5_000)
    if name is None:
        return False
    ctx.note_aside(f"closed “{cover[:80]}” with its “{name}”, which covered the element")
    return True


def click_on(ctx: StepContext, element: PWLocator) -> None:
    """Click `element` once it can be clicked, and wait for the page the click leads to."""
    use_pointer(
        ctx,
        element,
        lambda timeout: element.click(no_wait_after=True, force=True, timeout=timeout),
    )


def with_settling(ctx: StepContext, element: PWLocator | None, act: Callable[[], None]) -> None:
    """`act()`, then wait for the document it sends the element's frame to, if it sends it away;
    else for the requests it made in the background (`fetch`, XHR: a switch that saves itself)
    to be answered, so that the next step sees what the page made of the answer."""
    frame = _frame_of(ctx, element)
    navigated: list[Frame] = []

    def on_navigated(changed: Frame) -> None:
        if changed == frame:
            navigated.append(changed)

    asked: list[Request] = []  # the documents the frame asked for, answered ones removed

    def on_request(request: Request) -> None:
        with contextlib.suppress(Exception):  # never into Playwright's event loop
            if request.is_navigation_request() and request.frame == frame:
                asked.append(request)

    def on_response(response: Response) -> None:
        with contextlib.suppress(Exception):
            if response.request in asked:
                asked.remove(response.request)

    opened: list[Page] = []  # a window the action opened (a sign-in in a pop-up) goes on there

    def on_popup(popup: Page) -> None:
        opened.append(popup)

    page = ctx.page
    page.on("framenavigated", on_navigated)
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("popup", on_popup)
    try:
        _arm(frame)
        act()
        if navigated:  # Playwright's action waited for the document it led to: arrived
            return
        # a request for the frame's next document heard: leaving, without asking the frame
        # (which, on its way, answers only once the next document is there)
        if asked or _leaving(frame):
            arrived = _navigated_or_opened(page, navigated, opened, ctx.navigation_timeout_ms)
            # it may stay (a download, a cancelled submit): then the next step sees the page.
            # But a site that accepted the request and never answers leaves the frame on its
            # way there, where no question is ever answered: give up on it
            if not arrived and asked and not answers(frame):
                give_up_loading(ctx.page)
                raise not_answered(asked[-1].url, asked[-1].method, ctx.navigation_timeout_ms)
        else:
            _answered(ctx, frame)
    finally:
        page.remove_listener("framenavigated", on_navigated)
        page.remove_listener("request", on_request)
        page.remove_listener("response", on_response)
        page.remove_listener("popup", on_popup)


def _navigated_or_opened(
    page: Page, navigated: list[Frame], opened: list[Page], timeout_ms: float
) -> bool:
    """Wait until the frame has its next document (`navigated`, heard by the caller), or the
    page opened a window instead (a form posted to `target=_blank`); False after `timeout_ms`
    of neither."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not (navigated or opened):
        left = (deadline - time.monotonic()) * 1000
        if left <= 0:
            return False
        with contextlib.suppress(PlaywrightTimeout), unrecorded():  # the bot's own wait
            page.wait_for_event("framenavigated", timeout=max(min(left, 250), 1))
    return True


def _answered(ctx: StepContext, frame: Frame) -> None:
    """Wait until the background requests the action started are answered (at most the
    navigation timeout), then let the page run what it does with the answers (a turn of its task
    queue). The page counts them itself (`_ARM`): the browser's network events may come later."""
    with contextlib.suppress(PlaywrightError), unrecorded():
        if frame.evaluate("() => !(window.__botInFlight > 0)") is not False:
            return  # nothing in flight (or not a page that can tell)
        frame.wait_for_function(
            "() => !(window.__botInFlight > 0)", timeout=ctx.navigation_timeout_ms
        )
        frame.evaluate("() => new Promise((done) => setTimeout(done))")


def _frame_of(ctx: StepContext, element: PWLocator | None) -> Frame:
    if element is None or len(ctx.page.frames) == 1:  # the page's own list: no round trip
        return ctx.page.main_frame
    with unrecorded():
        handle = element.element_handle(timeout=ctx.timeout_ms)
        try:
            frame = handle.owner_frame()
        finally:
            handle.dispose()
    return frame if frame is not None else ctx.page.main_frame


def _arm(frame: Frame) -> None:
    # a frame already navigating has nothing to arm: the next step sees where it went
    with contextlib.suppress(PlaywrightError):
        ask(frame, f"() => ({_ARM})(document.documentElement)")


def _leaving(frame: Frame) -> bool:
    try:
        return bool(ask(frame, _LEAVING))
    except PlaywrightError:  # its document went away, or cannot answer: it is navigating
        return True


def _not_usable(ctx: StepContext, element: PWLocator, exc: PlaywrightTimeout) -> StepError:
    lines = [line.strip(" -") for line in str(exc).splitlines() if line.strip().startswith("-")]
    reason = f" (last: {lines[-1]})" if lines else ""
    return StepError(
        FailureKind.TIMEOUT,
        f"{describe_element(element)} could not be used within {ctx.timeout_ms / 1000:g}s{reason}",
    )
