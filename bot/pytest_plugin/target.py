"""The plugin's targets: the bundled simulators, or real sandboxes from a config."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import (
    BUILTIN,
    BotError,
    Catalog,
    Config,
    History,
    RunOptions,
    RunOutcome,
    SandboxBot,
    Scrubber,
    execute,
    load_config,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

# every secret a run in this session knew or saw in its traffic: to scrub pytest-playwright's output
_SESSION_SCRUBBER = Scrubber()
SANDBOX_LOCK_WAIT = 600.0  # seconds; longer than any smoke run
SMOKE_SETTINGS = (
    "assignar_url",
    "assignar_user",
    "acumatica_url",
    "tenant",
    "integration_user",
    "acumatica_admin_user",
)


@dataclass
class Target:
    config: Config | None
    client: str
    skip_reason: str | None = None  # absent or incomplete: every test is skipped, saying why
    error: str | None = None  # present but wrong (does not parse, no such client): tests error
    simulators: Any = None
    transcripts: list[str] = field(default_factory=list)
    # how long a run waits for another run of the same client (another pytest-xdist worker on
    # the same sandbox) to finish, in seconds: runs on one sandbox take turns
    lock_wait: float = 0.0

    def with_runbooks(self, folders: list[str]) -> Target:
        """The same target, looking in `folders` first for runbooks."""
        if self.config is not None and folders:
            runbooks = [*folders, *(str(self.config.resolve(f)) for f in self.config.runbooks)]
            self.config = self.config.model_copy(update={"runbooks": runbooks})
        return self

    def reset(self) -> None:
        """Fresh simulators for the next test, and a history that knows nothing of the old ones
        (a fact an earlier test's run remembered, e.g. Sliding Expiration configured, no longer
        holds)."""
        if self.simulators is not None and self.config is not None:
            self.simulators.reset()
            with closing(History(self.config.resolve(self.config.runs.history))) as history:
                history.forget(self.client)

    def run(self, runbook: str, params: dict[str, Any], page: Page) -> RunOutcome:
        assert self.config is not None
        out = io.StringIO()
        options = RunOptions(page=page, scrubber=_SESSION_SCRUBBER, lock_wait=self.lock_wait)
        catalog = Catalog.for_config(self.config, BUILTIN)
        outcome = execute(self.config, catalog, runbook, self.client, params, options, out)
        self.transcripts.append(out.getvalue())
        return outcome

    def explain(self, outcome: RunOutcome) -> str:
        """The bot's own verdict text: the failing YAML step, its error and the run folder."""
        _, failed, rest = self.transcripts[-1].partition("\nFAILED")
        return f"FAILED{rest}" if failed else self.transcripts[-1]


@contextmanager
def simulator_target(folder: Path) -> Iterator[Target]:
    from bot_sim.harness import start_simulators

    with start_simulators() as sims:
        sandbox = SandboxBot(sims, folder)
        yield Target(sandbox.config(), "sandbox", simulators=sims)


def sandbox_target(config_path: str | None, client: str) -> Target:
    """A target for real sandboxes, or one that skips every test saying what is missing."""
    if not config_path:
        return Target(
            None, client, "no sandbox config: pass --bot-config PATH (or set BOT_SANDBOX_CONFIG)"
        )
    if not Path(config_path).is_file():
        return Target(None, client, f"sandbox config {config_path} does not exist")
    try:
        config = load_config(Path(config_path))
        spec = config.client(client)
    except BotError as exc:  # a mistake to fix, not a sandbox to do without: no quiet skip
        return Target(None, client, error=f"sandbox config is wrong: {exc.message}")
    missing = [name for name in SMOKE_SETTINGS if not spec.settings.get(name)]
    if spec.simulators != "builtin":  # a demo client's passwords come from its simulators
        environ = config.environment()
        missing += [
            f"secret {name} ({ref.ref} not set)"
            for name, ref in spec.secrets.items()
            if ref.ref.startswith("env:") and not environ.get(ref.ref[4:])
        ]
    if missing:
        return Target(config, client, f"sandbox client '{client}' lacks: {', '.join(missing)}")
    # run folders where its `runs.root` says, as with `bot run`
    return Target(config, client, lock_wait=SANDBOX_LOCK_WAIT)


def scrub_output(folder: Path) -> None:
    """Scrub every file under pytest-playwright's output folder of this session's secrets."""
    if folder.is_dir() and _SESSION_SCRUBBER.count:
        _SESSION_SCRUBBER.run_dir(folder)
