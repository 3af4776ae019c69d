"""Many runs at once in one thread: greenlets on the dispatcher of Playwright's sync API.

Playwright's sync API runs its asyncio loop in a greenlet of its own, the dispatcher: a sync call
puts its work on the loop, switches to the dispatcher, and is switched back to once the result is
there; its event handlers already run as greenlets started from the loop. A run started the same
way (a greenlet created inside a loop callback, so that the dispatcher is its parent) waits in each
of its sync calls while the loop serves the other runs. N runs thus share one driver, one browser
and one thread, each in a browser context of its own, with no lock anywhere.

Only Playwright calls (and `wait`/`sleep` below) hand over: a run must not block the thread in
any other way (`time.sleep`, `input`), or every run waits with it.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from greenlet import greenlet

Job = Callable[[], None]


class Cooperative:
    """Runs jobs as greenlets beside Playwright's dispatcher; see the module's docstring."""

    def __init__(self, anchor: object) -> None:
        """`anchor`: any object of Playwright's sync API (the `Playwright` of sync_playwright())."""
        loop = getattr(anchor, "_loop", None)
        dispatcher = getattr(anchor, "_dispatcher_fiber", None)
        if not isinstance(loop, asyncio.AbstractEventLoop) or not isinstance(dispatcher, greenlet):
            raise RuntimeError(
                "this Playwright does not run its sync API on a dispatcher greenlet: "
                "runs cannot share it (use --parallel 1)"
            )
        self._loop, self._dispatcher = loop, dispatcher

    def run(self, jobs: Iterable[Job], parallel: int) -> None:
        """Run `jobs` in order, at most `parallel` at once; return when every one has returned.

        Each job catches its own errors; one that escapes is raised here once all are done.
        """
        pending: deque[Job] = deque(jobs)
        active = 0
        escaped: list[Exception] = []
        finished = self.future()

        def body(job: Job) -> None:
            nonlocal active
            try:
                job()
            except Exception as exc:  # the others go on; the caller hears of it at the end
                escaped.append(exc)
            finally:
                active -= 1
                self._loop.call_soon(fill)

        def fill() -> None:  # runs in the dispatcher: new greenlets get it as their parent
            nonlocal active
            while active < parallel and pending:
                job = pending.popleft()
                active += 1
                greenlet(partial(body, job)).switch()  # runs until its first sync call
            if not pending and active == 0 and not finished.done():
                finished.set_result(None)

        self._loop.call_soon(fill)
        self.wait(finished)
        if escaped:
            raise escaped[0]

    def future(self) -> asyncio.Future[Any]:
        """A future on Playwright's loop, for `wait`."""
        return self._loop.create_future()

    def wait(self, future: asyncio.Future[Any]) -> None:
        """Let the other jobs go on until `future` is done (as Playwright's own sync calls do)."""
        me = greenlet.getcurrent()
        waiting = True

        def resume(_: asyncio.Future[Any]) -> None:
            if waiting:  # a callback already queued when the wait ended must not switch
                me.switch()

        future.add_done_callback(resume)
        try:
            while not future.done():
                if self._dispatcher.dead:
                    raise RuntimeError("Playwright's connection to its driver is closed")
                self._dispatcher.switch()
        finally:
            waiting = False
            future.remove_done_callback(resume)

    def in_thread(self, work: Callable[[], None]) -> None:
        """Run `work` (CPU-bound, no Playwright) in a thread while the other jobs go on."""
        if self._dispatcher.dead:
            work()
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bot-offload") as pool:
            done = pool.submit(work)
            self.wait(asyncio.wrap_future(done, loop=self._loop))
        done.result()

    def sleep(self, seconds: float) -> None:
        """Pause this job only."""
        timer = self.future()

        def ring() -> None:
            if not timer.done():
                timer.set_result(None)

        handle = self._loop.call_later(seconds, ring)
        try:
            self.wait(timer)
        finally:
            handle.cancel()
