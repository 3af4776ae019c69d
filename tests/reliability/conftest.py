"""Reliability fixtures: the session's simulators (reset before each test) and a bot for them.

The simulators come from `bot_sim.pytest_fixtures` (each test module names it in
`pytest_plugins`); `rbot` writes a `sandbox` config for them under tmp_path, so every run folder,
the history and the client locks of a test live in that test's own folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rel_helpers import RelBot
from support.pages import serve_folder

from bot_sim.harness import Simulators

PAGES = Path(__file__).parent / "pages"


@pytest.fixture
def rbot(sims: Simulators, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RelBot:
    made = RelBot(sims, tmp_path / "bot", monkeypatch)
    made.folder.mkdir()
    made.write()
    return made


@pytest.fixture(scope="session")
def pages_url() -> Iterator[str]:
    """tests/reliability/pages on a loopback port."""
    with serve_folder(PAGES) as url:
        yield url
