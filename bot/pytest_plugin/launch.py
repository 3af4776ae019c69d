"""pytest-playwright's browser launched with the Chromium the bot would choose."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments plus the bot's Chromium and quiet flags."""
    from bot import choose_browser, launch_args

    if "executable_path" in browser_type_launch_args or "channel" in browser_type_launch_args:
        return browser_type_launch_args  # the user chose a browser: respect it
    choice = choose_browser()
    if choice.kind == "none":
        pytest.exit("\n".join(choice.problems), returncode=2)
    local = launch_args(choice, headless=browser_type_launch_args.get("headless", True))
    extra = list(browser_type_launch_args.get("args", []))
    quiet = list(local.pop("args"))  # type: ignore[call-overload]
    return {**local, **browser_type_launch_args, "args": [*quiet, *extra]}
