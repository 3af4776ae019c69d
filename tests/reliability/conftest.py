"""Reliability fixtures: the session's simulators (reset before each test) and a bot for them.

The simulators come from `bot_sim.pytest_fixtures`; `rbot` writes a `sandbox` config (and its
`.env`) for them under tmp_path, so every run folder, the history and the client locks of a test
live in that test's own folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bot_sim.harness import Simulators
from rel_helpers import RelBot
from support.pages import serve_folder

PAGES = Path(__file__).parent / "pages"


@pytest.fixture
def rbot(sims: Simulators, tmp_path: Path) -> RelBot:
    return RelBot(sims, tmp_path / "bot")


@pytest.fixture(scope="session")
def pages_url() -> Iterator[str]:
    """tests/reliability/pages on a loopback port."""
    with serve_folder(PAGES) as url:
        yield url
