"""Every site runs in a renderer process of its own, whichever Chromium the bot launches (the
headless shell does not isolate sites unless told to): a hostile page never shares a process with
the sign-in page framed inside it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import Route, sync_playwright

from bot import choose_browser, launch_args

HOSTILE = "https://hostile.test/"
SIGN_IN = "https://sign-in.example/login"


def _answer(route: Route) -> None:
    if route.request.url == HOSTILE:
        body = f'<h1>Hostile</h1><iframe title="Sign in" src="{SIGN_IN}"></iframe>'
    else:
        body = "<label>Password <input type=password></label>"
    route.fulfill(status=200, content_type="text/html", body=body)


def _frames_in_processes_of_their_own() -> list[str]:
    """The URLs of the frames Chromium runs out of their parent's process (its `iframe` targets),
    for a page of one site framing another, launched as `bot run` launches."""

    def run() -> list[str]:
        with sync_playwright() as playwright:
            arguments: dict[str, Any] = launch_args(choose_browser())
            browser = playwright.chromium.launch(**arguments)
            try:
                page = browser.new_page()
                page.route("**/*", _answer)
                page.goto(HOSTILE)
                page.frame_locator("iframe").get_by_label("Password").wait_for()
                targets = browser.new_browser_cdp_session().send("Target.getTargets")
                return [t["url"] for t in targets["targetInfos"] if t["type"] == "iframe"]
            finally:
                browser.close()

    with ThreadPoolExecutor(1) as pool:  # pytest-playwright may hold this thread's asyncio loop
        return pool.submit(run).result()


@pytest.mark.browser
def test_a_framed_sign_in_page_runs_in_a_process_apart_from_the_page_framing_it() -> None:
    assert _frames_in_processes_of_their_own() == [SIGN_IN]
