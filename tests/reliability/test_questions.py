"""The bot's own questions to a page (`bot.steps.asking`): answered right, and always within
their time, whichever way they go — one round trip given Playwright's protocol timeout, or the
locator that takes three (the way used when Playwright's private shape differs)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bot.steps import asking
from bot.steps.asking import ask, ask_element

WAYS = ["one round trip", "locator"]


@pytest.fixture(params=WAYS)
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "locator":
        monkeypatch.setattr(asking, "_PROTOCOL", None)
    return str(request.param)


def test_the_installed_playwright_takes_the_one_round_trip_way() -> None:
    # else every question silently costs three round trips (docs/benchmarks.md, "A seventh look")
    assert asking._PROTOCOL is not None


def test_questions_are_answered_with_their_argument(page: Page, way: str) -> None:
    page.set_content("<input value='abc' readonly><button>Go</button>")
    assert ask(page.main_frame, "(n) => n * 2", 21) == 42
    assert ask(page.main_frame, "() => document.querySelectorAll('button').length") == 1
    assert ask_element(page.locator("input"), "(e, tail) => e.value + tail", "!") == "abc!"
    handle = page.locator("button").element_handle()
    assert ask_element(page.locator("button"), "(e, other) => e === other", handle) is True


def test_a_question_about_an_element_in_a_frame_is_answered_in_that_frame(
    page: Page, way: str
) -> None:
    page.set_content("<title>outer</title><iframe srcdoc='<title>inner</title><p>in</p>'></iframe>")
    framed = page.frame_locator("iframe")
    framed.locator("p").wait_for()
    assert ask_element(framed.locator(":root"), "(root) => root.ownerDocument.title") == "inner"
    assert ask_element(framed.locator("p"), "(e) => e.textContent") == "in"


def test_a_question_about_an_element_not_there_yet_waits_for_it(page: Page, way: str) -> None:
    page.set_content(
        "<script>setTimeout(() => { document.body.innerHTML = '<p>late</p>'; }, 300)</script>"
    )
    assert ask_element(page.locator("p"), "(e) => e.textContent") == "late"


def test_a_question_about_one_element_refuses_several(page: Page, way: str) -> None:
    page.set_content("<p>a</p><p>b</p>")
    with pytest.raises(PlaywrightError, match="strict mode violation"):
        ask_element(page.locator("p"), "(e) => e.textContent")


@pytest.mark.timeout(120)  # unbounded, the questions would wait for ever
def test_a_frame_on_its_way_to_a_server_that_never_answers_ends_the_questions(
    page: Page, way: str, hanging_site: str
) -> None:
    page.goto(f"{hanging_site}/")
    with page.expect_request(f"{hanging_site}/hang"):
        page.get_by_role("button", name="Send").click(no_wait_after=True)
    # Frame.evaluate itself would wait here for the next document, which never comes
    started = time.monotonic()
    # said as Playwright's public calls say it (a message may reach the user), never naming the
    # protocol's internal call
    for question in (
        lambda: ask(page.main_frame, "() => document.title", timeout_ms=1_000),
        lambda: ask_element(page.locator("button"), "(e) => e.textContent", timeout_ms=1_000),
    ):
        with pytest.raises(PlaywrightTimeout, match=r"^Timeout 1000ms exceeded") as raised:
            question()
        assert "Channel" not in str(raised.value)
    assert time.monotonic() - started < 60
