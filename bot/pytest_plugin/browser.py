"""pytest-playwright's browser launched with the Chromium the bot would choose (Playwright's own,
else the system's), for the sessions that ask for it and no other: a session that uses
`bot_run`/`bot_target`, passes `--bot-target`, or opts in (`-p bot.pytest_plugin.launch`).
Any other project's pytest-playwright tests get pytest-playwright's launch arguments untouched.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest

OPTED_IN = pytest.StashKey[bool]()
CHOSEN_PATH = pytest.StashKey[str]()  # the executable the bot added to the launch arguments
PLUGIN_NAME = "runbook-bot-browser"
BOT_FIXTURES = ("bot_run", "bot_target")


def register_browser_choice(config: pytest.Config) -> None:
    """Register the override once, at configure time: after pytest-playwright, so it wins."""
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(sys.modules[__name__], PLUGIN_NAME)


def wanted(request: pytest.FixtureRequest) -> bool:
    """Whether this session asked for the bot's browser."""
    config = request.config
    if config.stash.get(OPTED_IN, False) or config.getoption("--bot-target", None):
        return True
    return any(
        name in getattr(item, "fixturenames", ())
        for item in request.session.items
        for name in BOT_FIXTURES
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any],
    browser_name: str | None,
    request: pytest.FixtureRequest,
) -> dict[str, Any]:
    """pytest-playwright's launch arguments, plus the bot's Chromium and quiet flags when wanted
    (per browser: `--browser firefox` launches Firefox as pytest-playwright alone would)."""
    if not wanted(request) or browser_name not in (None, "chromium"):
        return browser_type_launch_args
    if "executable_path" in browser_type_launch_args or "channel" in browser_type_launch_args:
        return browser_type_launch_args  # the user chose a browser: respect it
    from bot import choose_browser, launch_args

    choice = choose_browser()
    if choice.kind == "none":
        pytest.exit("\n".join(choice.problems), returncode=2)
    local = launch_args(choice, headless=browser_type_launch_args.get("headless", True))
    extra = list(browser_type_launch_args.get("args", []))
    quiet = list(local.pop("args"))  # type: ignore[call-overload]
    if "executable_path" in local:
        request.config.stash[CHOSEN_PATH] = str(local["executable_path"])
    return {**local, **browser_type_launch_args, "args": [*quiet, *extra]}


@pytest.fixture(scope="session")
def launch_browser(
    launch_browser: Callable[..., Any],
    browser_type_launch_args: dict[str, Any],
    request: pytest.FixtureRequest,
) -> Callable[..., Any]:
    """pytest-playwright's launch, given the final launch arguments (a project's own
    `browser_type_launch_args` override wraps the bot's): when that override chose a `channel`,
    the executable the bot added would silently win over it, so it is dropped."""
    added = request.config.stash.get(CHOSEN_PATH, None)
    final = browser_type_launch_args
    if added is None or not final.get("channel") or str(final.get("executable_path")) != added:
        return launch_browser

    def launch(**kwargs: Any) -> Any:
        return launch_browser(**{"executable_path": None, **kwargs})

    return launch
