"""The reauthorize smoke test once per client of a fleet config, for `pytest -n 4` (pytest-xdist):
what a team would do without `bot fleet run`. Run by benchmarks/fleet.py, never by the test suite.

    BOT_BENCH_CONFIG=/tmp/fleet/config.yaml \
        pytest -n 4 -p bot.pytest_plugin.launch benchmarks/smoke_per_client.py

Each test runs the way the plugin's `bot_run` does: `execute` in a page of pytest-playwright's
`new_context` (each xdist worker has its own Playwright driver and browser, launched with the bot's
Chromium choice: `-p bot.pytest_plugin.launch`).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot import BUILTIN, Catalog, RunOptions, execute, load_config

CONFIG = load_config(Path(os.environ.get("BOT_BENCH_CONFIG", "config.yaml")))


@pytest.mark.parametrize("client", sorted(CONFIG.clients))
def test_reauthorize(client: str, new_context: Callable[..., Any]) -> None:
    catalog = Catalog.for_config(CONFIG, BUILTIN)
    options = RunOptions(page=new_context().new_page())
    outcome = execute(CONFIG, catalog, "reauthorize", client, {}, options, io.StringIO())
    assert outcome.result.verdict == "passed", outcome.result.error
    assert outcome.result.vars["authorized_user"] == f"{client}.integration"
