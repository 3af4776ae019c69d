"""Playwright calls whose answer nothing needs (the trace's step groups), sent without waiting.

A sync Playwright call waits for its answer: a round trip to the driver, about a millisecond on an
idle machine and more on a busy one, twice a step for the step's group in the trace. Such a call
is scheduled instead as a task on Playwright's event loop, which sends it as soon as the run next
waits for the browser. Tasks start in the order they were made, and each sends its message before
its first pause, so the driver still gets the calls in the order the run made them: a group opens
before the step's first action and closes after its last. A failure is dropped, as the step ran
all the same when its group could not be made (not tracing, the browser gone).

Not public API: when the sync object has no event loop or async half of the expected shape, the
call is made the ordinary way.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from playwright.sync_api import Error as PlaywrightError


def send_unwaited(
    sync_object: Any, send: Callable[[Any], Awaitable[Any]], fallback: Callable[[], Any]
) -> None:
    """`send(impl)` on the async half of `sync_object`, not waited for; `fallback()` (the sync
    call, its failure ignored) when this version of Playwright has another shape."""
    loop = getattr(sync_object, "_loop", None)
    impl = getattr(sync_object, "_impl_obj", None)
    if isinstance(loop, asyncio.AbstractEventLoop) and impl is not None and not loop.is_closed():
        call = send(impl)
        if asyncio.iscoroutine(call):
            loop.create_task(call).add_done_callback(_dropped)
            return
    with contextlib.suppress(PlaywrightError):
        fallback()


def _dropped(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: not reported as "never retrieved"
