"""The bot against running simulators, in-process: `bot run RUNBOOK --client sandbox` (or
`bot fleet run` over many worlds) as the tests, the pytest plugin and the benchmarks drive it (one
way, not one per suite)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.app.catalog import Catalog
from bot.app.config import Config
from bot.app.config_files import load_config
from bot.app.dotenv_file import write_env_file
from bot.app.fleet import FleetOptions, FleetReport, run_fleet
from bot.app.options import RunOptions, RunOutcome
from bot.app.run import execute
from bot.app.simulators import SANDBOX_CLIENT, sandbox_config, sandboxes
from bot.steps import BUILTIN

if TYPE_CHECKING:
    from bot_sim.harness import Simulators
    from bot_sim.worlds import Worlds


@dataclass
class SandboxRun:
    """One finished run: what `execute` returned and what it printed."""

    outcome: RunOutcome
    output: str

    @property
    def verdict(self) -> str:
        return self.outcome.result.verdict

    @property
    def kind(self) -> str:
        error = self.outcome.result.error
        return str(error.kind) if error else ""

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

    @property
    def folder(self) -> Path:
        return self.outcome.folder

    def __repr__(self) -> str:  # what pytest shows when an assertion about a run fails
        return f"SandboxRun({self.verdict}/{self.kind}: {self.message!r})\n{self.output[-4000:]}"


class SandboxBot:
    """The client `sandbox` of running simulators (or the clients `client01`… of many worlds),
    kept in `folder`: `config.yaml` and `.env` (mode 0600, the simulators' passwords) for
    `bot --config …` too, run folders, history, locks. The process environment still wins over
    `.env`, as for any config."""

    def __init__(
        self,
        sims: Simulators | Worlds,
        folder: Path,
        *,
        runbooks: list[Path] | None = None,
        settings: Mapping[str, Any] | None = None,
        timeout: float | None = None,
        browser: Mapping[str, Any] | None = None,
    ) -> None:
        self.sims, self.folder = sims, folder
        folder.mkdir(parents=True, exist_ok=True)
        config = sandbox_config(
            sims,
            runbooks or [],
            folder=folder,
            settings=settings,
            timeout=timeout,
            browser=browser,
        )
        self.config_path.write_text(config.to_yaml(), encoding="utf-8")
        write_env_file(folder / ".env", self.env)

    @property
    def config_path(self) -> Path:
        return self.folder / "config.yaml"

    @property
    def runs_root(self) -> Path:
        return self.folder / "runs"

    @property
    def history_path(self) -> Path:
        return self.folder / "history.sqlite"

    def history_files(self) -> list[Path]:
        """The history database with its WAL and shared-memory files, those that exist."""
        candidates = (
            self.history_path,
            *(Path(f"{self.history_path}{x}") for x in ("-wal", "-shm")),
        )
        return [path for path in candidates if path.exists()]

    @property
    def env(self) -> dict[str, str]:
        """The secrets' variables, as `.env` holds them."""
        return {
            name: value for box in sandboxes(self.sims).values() for name, value in box.env.items()
        }

    @property
    def clients(self) -> list[str]:
        return list(sandboxes(self.sims))

    def config(self) -> Config:
        return load_config(self.config_path)

    def catalog(self, config: Config) -> Catalog:
        return Catalog.for_config(config, BUILTIN)

    def run(
        self,
        runbook: str,
        params: Mapping[str, Any] | None = None,
        options: RunOptions | None = None,
        *,
        client: str = SANDBOX_CLIENT,
    ) -> SandboxRun:
        """Run `runbook` for `client` as `bot run` would; params as `--param` text."""
        config = self.config()
        given = {name: str(value) for name, value in (params or {}).items()}
        out = io.StringIO()
        outcome = execute(
            config, self.catalog(config), runbook, client, given, options or RunOptions(), out
        )
        return SandboxRun(outcome, out.getvalue())

    def fleet(
        self,
        runbook: str,
        clients: list[str] | None = None,
        options: FleetOptions | None = None,
    ) -> FleetReport:
        """Run `runbook` for `clients` (default: all) as `bot fleet run` would."""
        config = self.config()
        chosen = clients if clients is not None else self.clients
        return run_fleet(
            config, self.catalog(config), runbook, chosen, {}, options or FleetOptions()
        )
