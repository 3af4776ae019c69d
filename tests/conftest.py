"""Shared fixtures: pytest-playwright's browser launched with the Chromium the bot would choose."""

from __future__ import annotations

from typing import Any

import pytest

from bot._core.browser import choose_browser, launch_args


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    choice = choose_browser()
    if choice.kind == "none":
        pytest.exit("\n".join(choice.problems), returncode=2)
    return {**browser_type_launch_args, **launch_args(choice)}
