"""A browser session for one run: launch or connect, one context, one page; always closed."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bot.app.browser import BrowserChoice, launch_args, missing_display, missing_home
from bot.errors import InputError


@dataclass
class Session:
    browser: Any
    context: Any
    page: Any
    browser_version: str
    choice: BrowserChoice


@contextmanager
def open_session(
    choice: BrowserChoice,
    *,
    headless: bool = True,
    slow_mo: float = 0,
    context_args: dict[str, Any] | None = None,
) -> Iterator[Session]:
    """Start Playwright, get a browser the way `choice` says, and close everything afterwards."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    if choice.kind == "none":
        raise InputError("no browser available:\n  " + "\n  ".join(choice.problems))
    no_home = missing_home()
    if no_home is not None:
        raise InputError(no_home)
    no_window = missing_display(choice, headless)
    if no_window is not None:
        raise InputError(f"could not start the browser ({choice.describe()}): {no_window}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium
        try:
            if choice.kind == "ws":
                browser = chromium.connect(str(choice.target), slow_mo=slow_mo)
            elif choice.kind == "cdp":
                browser = chromium.connect_over_cdp(str(choice.target), slow_mo=slow_mo)
            else:
                browser = chromium.launch(**launch_args(choice, headless=headless, slow_mo=slow_mo))  # type: ignore[arg-type]
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0]
            raise InputError(
                f"could not start the browser ({choice.describe()}): {first}\n"
                "  `bot doctor` explains the choice and how to fix it"
            ) from None
        context = browser.new_context(**(context_args or {}))
        try:
            yield Session(browser, context, context.new_page(), browser.version, choice)
        finally:
            _close_quietly(context)
            _close_quietly(browser)


def _close_quietly(closable: Any) -> None:
    with contextlib.suppress(Exception):  # already gone (killed browser, Ctrl-C)
        closable.close()
