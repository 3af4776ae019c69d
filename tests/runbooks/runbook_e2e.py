"""The bot as `bot run RUNBOOK --client sandbox` runs it, in-process, for tests/runbooks.

(A module of its own, not conftest.py: test modules import its names, and every tests/ folder has
a conftest.py.)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bot_sim.harness import Simulators

from bot import SANDBOX_CLIENT, SandboxBot, SandboxRun

CLIENT = SANDBOX_CLIENT
#: the simulators' secret for `--param password_secret=jane_password` (changing the user)
JANE_SECRET = "jane_password"

BotRun = SandboxRun


class Bot(SandboxBot):
    """`bot run RUNBOOK --client sandbox [--param k=v …]` for one set of simulators."""

    def __init__(self, sims: Simulators, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(sims, folder)
        self.monkeypatch = monkeypatch

    @property
    def locks(self) -> Path:
        return self.folder / ".bot" / "locks"

    def set_secret(self, env_name: str, value: str) -> None:
        """The environment wins over `.env`, as it does for any config."""
        self.monkeypatch.setenv(env_name, value)

    def run(self, runbook: str, params: Any = None, options: Any = None, **more: Any) -> BotRun:
        return super().run(runbook, {**(params or {}), **more}, options)


BotFor = Callable[[Simulators], Bot]
