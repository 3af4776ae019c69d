"""Fleet tests: many client worlds (each its own pair of simulators) and the bot over them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bot_sim.worlds import Worlds, start_worlds

from bot import SandboxBot


@pytest.fixture(scope="module")
def worlds() -> Iterator[Worlds]:
    """Four client worlds for the module, back at their seed before each test (`fleet`)."""
    with start_worlds(4) as running:
        yield running


@pytest.fixture
def fleet(worlds: Worlds, tmp_path: Path) -> SandboxBot:
    """The bot over the module's worlds: clients client01…client04, runs under tmp_path."""
    worlds.reset()
    return SandboxBot(worlds, tmp_path / "bot")
