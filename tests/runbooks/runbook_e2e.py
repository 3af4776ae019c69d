"""The bot as `bot run RUNBOOK --client sandbox` runs it, in-process, for tests/runbooks.

(A module of its own, not conftest.py: test modules import its names, and every tests/ folder has
a conftest.py.)
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app.catalog import Catalog
from bot.app.config import load_config
from bot.app.run import RunOptions, RunOutcome, execute
from bot.cli.sim import sandbox_config
from bot_sim.harness import Simulators

CLIENT = "sandbox"
#: an extra secret for `--param password_secret=jane_password` (changing the authentication user)
JANE_SECRET = "jane_password"
JANE_ENV = "SANDBOX_JANE_PASSWORD"


@dataclass
class BotRun:
    """One finished run: the outcome `execute` returned and what it printed."""

    outcome: RunOutcome
    output: str

    @property
    def verdict(self) -> str:
        return self.outcome.result.verdict

    @property
    def message(self) -> str:
        error = self.outcome.result.error
        return error.message if error else ""

    @property
    def summary(self) -> list[str]:
        return self.outcome.summary

    @property
    def summary_text(self) -> str:
        return "\n".join(self.outcome.summary)

    @property
    def vars(self) -> dict[str, str]:
        return self.outcome.result.vars

    def __repr__(self) -> str:  # what pytest shows when an assertion on a run fails
        return f"BotRun({self.verdict}: {self.message!r})\n{self.output[-3000:]}"


@dataclass
class Bot:
    """`bot run RUNBOOK --client sandbox [--param k=v …]` for one set of simulators."""

    sims: Simulators
    folder: Path
    monkeypatch: pytest.MonkeyPatch
    env: dict[str, str] = field(default_factory=dict)

    @property
    def config_path(self) -> Path:
        return self.folder / "config.yaml"

    @property
    def locks(self) -> Path:
        return self.folder / ".bot" / "locks"

    def write(self) -> None:
        config_text, env_text = sandbox_config(self.sims)
        data = yaml.safe_load(config_text)
        data["runs"] = {
            "root": str(self.folder / "runs"),
            "history": str(self.folder / "history.sqlite"),
        }
        data["clients"][CLIENT]["secrets"][JANE_SECRET] = {
            "ref": f"env:{JANE_ENV}",
            "origins": ["acumatica_url"],
        }
        self.config_path.write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        for line in env_text.splitlines():
            name, _, value = line.partition("=")
            self.env[name] = value
        self.env[JANE_ENV] = self.sims.credentials["acumatica"]["jane.doe"]
        for name, value in self.env.items():
            self.monkeypatch.setenv(name, value)

    def set_secret(self, env_name: str, value: str) -> None:
        self.monkeypatch.setenv(env_name, value)

    def run(self, runbook: str, **params: Any) -> BotRun:
        config = load_config(self.config_path)
        catalog = Catalog([config.resolve(folder) for folder in config.runbooks])
        out = io.StringIO()
        outcome = execute(
            config,
            catalog,
            runbook,
            CLIENT,
            {k: str(v) for k, v in params.items()},
            RunOptions(),
            out,
        )
        return BotRun(outcome, out.getvalue())


BotFor = Callable[[Simulators], Bot]
