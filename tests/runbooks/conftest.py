"""End-to-end fixtures for the article's runbooks: the real bot, in-process, against the simulators.

`bot` runs a runbook for client `sandbox` exactly as `bot run RUNBOOK --client sandbox` would (the
same `execute`, a real headless Chromium), with a config written to tmp_path by
`bot.SandboxBot` for the session's simulators (`sims`, reset before each test). The run
folders, the history (facts) and the client locks all live under tmp_path; the secrets come from
the `.env` beside that config (a test may override one in the environment).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_sim.harness import Simulators
from runbook_e2e import Bot, BotFor


@pytest.fixture
def bot_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BotFor:
    """A Bot for any running simulators (e.g. ones started without a base path)."""

    def make(sims: Simulators) -> Bot:
        return Bot(sims, tmp_path / f"bot-{id(sims):x}", monkeypatch)

    return make


@pytest.fixture
def bot(sims: Simulators, bot_for: BotFor) -> Bot:
    """The bot for the session's simulators (Acumatica under /AcumaticaERP), reset to the seed."""
    return bot_for(sims)
