"""The engine's page services on a real Playwright page: dead ends (error pages, unreachable sites,
OAuth errors, locked accounts) noticed from the page and its traffic, pages saying the session
ended, masked screenshots, and failure classification."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from playwright.sync_api import Locator, Page

from bot.engine.step_context import DeadEnd
from bot.errors import StepError
from bot.steps._dead_ends import missing_page, page_dead_end
from bot.steps._errors import classify
from bot.steps._secrets import secret_holders
from bot.steps._unwaited import send_unwaited
from bot.steps._watch import PageWatch
from bot.steps.asking import ask
from bot.steps.page_text import SIGNED_OUT, sentence_saying

_SIGNED_OUT_SCRIPT = "() => (document.body && document.body.innerText || '').slice(0, 20000)"


def _signed_out_notice(page: Page) -> str | None:
    """The sentence with which the page says the session ended, if it says so."""
    try:
        text = str(ask(page.main_frame, _SIGNED_OUT_SCRIPT))
    except Exception:  # no page to read (closed, navigating): nothing to say
        return None
    return sentence_saying(SIGNED_OUT, text)


def _back_to_previous_page(page: Page, timeout_ms: float) -> None:
    """Leave an error page the way a person would: the browser's Back button."""
    with contextlib.suppress(Exception):  # nothing to go back to: the retry shows what is wrong
        page.go_back(wait_until="load", timeout=timeout_ms)


class PlaywrightServices:
    """`PageServices` for a run's Playwright page (the engine's only way to the browser).

    A window the page opens (a sign-in in a pop-up) is where the run acts from then on, as a
    person's eyes follow it, until it closes: then the run is back in the window that opened it.
    """

    def __init__(self, page: Page) -> None:
        self._windows: list[tuple[Page, PageWatch]] = []  # opened, oldest first; acts in the last
        self._watches: list[PageWatch] = []  # every window's, closed ones too (addresses visited)
        self._follow(page)

    def _follow(self, page: Page) -> None:
        watch = PageWatch(page)
        self._windows.append((page, watch))
        self._watches.append(watch)
        page.on("popup", self._opened)
        page.on("close", self._closed)

    def _opened(self, popup: Page) -> None:
        with contextlib.suppress(Exception):  # never into Playwright's event loop
            if self._windows and popup.opener() == self._page:
                self._follow(popup)

    def _closed(self, page: Page) -> None:
        with contextlib.suppress(Exception):  # never into Playwright's event loop
            if len(self._windows) > 1:  # the run's first window stays its own, even closed
                self._windows = [w for w in self._windows if w[0] != page]

    @property
    def _page(self) -> Page:
        return self._windows[-1][0]

    @property
    def _watch(self) -> PageWatch:
        return self._windows[-1][1]

    @property
    def page(self) -> Page:
        return self._page

    def classify(self, error: BaseException) -> StepError:
        return classify(error)

    def dead_end(self) -> DeadEnd | None:
        passed = self._watch.take_pending()
        if passed is not None:
            return passed
        shown = page_dead_end(self._page, self._watch.methods)
        if shown is not None:
            return shown
        missing = self._watch.take_missing()  # told once: to the step that met it
        return None if missing is None else missing_page(self._page, *missing)

    def passed_dead_end(self) -> DeadEnd | None:
        return self._watch.take_pending()

    def unanswered(self) -> DeadEnd | None:
        return self._watch.unanswered()

    def visited_urls(self) -> list[str]:
        return [url for watch in self._watches for url in watch.visited]

    def window_open(self) -> bool:
        return not self._page.is_closed()

    def leave_error_page(self, timeout_ms: float) -> None:
        _back_to_previous_page(self._page, timeout_ms)
        self._watch.forget()

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

    @contextlib.contextmanager
    def step_group(self, name: str, file: str, line: int) -> Iterator[None]:
        """The step's group in the trace, opened and closed without waiting for the driver
        (`_unwaited`): nothing needs the answer, and the step runs all the same without it."""
        tracing = self._page.context.tracing
        location = {"file": file, "line": line}
        send_unwaited(
            tracing,
            lambda impl: impl.group(name, location=location),
            lambda: tracing.group(name, location=location),  # type: ignore[arg-type]
        )
        try:
            yield
        finally:
            send_unwaited(tracing, lambda impl: impl.group_end(), tracing.group_end)
