"""Opt in to the bot's browser for every pytest-playwright test of a session:

    pytest -p bot.pytest_plugin.launch          # or, in a conftest.py:
    pytest_plugins = ["bot.pytest_plugin.launch"]

Without it, the plugin changes pytest-playwright's browser only for sessions that use the bot
(a `bot_run` or `bot_target` fixture, or `--bot-target`): see `bot.pytest_plugin.browser`.
"""

from __future__ import annotations

import pytest

from bot.pytest_plugin.browser import OPTED_IN, register_browser_choice


def pytest_configure(config: pytest.Config) -> None:
    config.stash[OPTED_IN] = True
    register_browser_choice(config)
