"""Runs as greenlets on Playwright's sync dispatcher (`bot.app.cooperative`): they go at once, no
more than asked, and one that raises stops nobody else."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from bot import choose_browser, launch_args
from bot.app.cooperative import Cooperative

WAIT = "new Promise(resolve => setTimeout(resolve, 300))"


def in_playwright(body: Callable[[Cooperative, list[Page]], Any], pages: int) -> Any:
    """`body(coop, pages)` with a fresh Playwright, in a thread of its own (pytest-playwright may
    hold this one's asyncio loop)."""

    def run() -> Any:
        with sync_playwright() as playwright:
            choice = choose_browser()
            browser = playwright.chromium.launch(**launch_args(choice))  # type: ignore[arg-type]
            try:
                contexts = [browser.new_context() for _ in range(pages)]
                return body(Cooperative(playwright), [c.new_page() for c in contexts])
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def test_jobs_wait_for_the_browser_at_the_same_time() -> None:
    log: list[tuple[int, int]] = []

    def body(coop: Cooperative, pages: list[Page]) -> None:
        def job(number: int) -> None:
            for round_ in range(3):
                pages[number].evaluate(WAIT)
                log.append((number, round_))

        coop.run([lambda n=n: job(n) for n in range(3)], parallel=3)

    in_playwright(body, pages=3)
    # every job's first wait ended before any job's second: they waited together
    assert sorted(log[:3]) == [(0, 0), (1, 0), (2, 0)]
    assert len(log) == 9


def test_no_more_at_once_than_asked_and_a_failing_job_stops_nobody() -> None:
    running, most, finished = 0, 0, []

    def body(coop: Cooperative, pages: list[Page]) -> None:
        def job(number: int) -> None:
            nonlocal running, most
            running += 1
            most = max(most, running)
            try:
                pages[number].evaluate(WAIT)
                if number == 1:
                    raise ValueError("job 1 broke")
                coop.sleep(0.1)
                finished.append(number)
            finally:
                running -= 1

        coop.run([lambda n=n: job(n) for n in range(5)], parallel=2)

    with pytest.raises(ValueError, match="job 1 broke"):  # said once all are done
        in_playwright(body, pages=5)
    assert most == 2
    assert sorted(finished) == [0, 2, 3, 4]


def test_an_object_without_a_dispatcher_is_refused() -> None:
    with pytest.raises(RuntimeError, match="cannot share it"):
        Cooperative(object())
