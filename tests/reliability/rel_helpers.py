"""What the reliability tests share: the bot run in-process against the simulators, evidence checks,
and a look at the process tree (which Chromium processes a run left behind).

(A module of its own, not conftest.py: test modules import its names.)
"""

from __future__ import annotations

import io
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.app.catalog import Catalog
from bot.app.config import load_config
from bot.engine.events import Event
from bot.app.run import RunOptions, RunOutcome, execute
from bot.cli.sim import sandbox_config
from bot.evidence import Scrubber
from bot_sim.harness import Simulators

CLIENT = "sandbox"
RUNBOOKS = Path(__file__).resolve().parents[2] / "runbooks"


@dataclass
class Run:
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
    def summary_text(self) -> str:
        return "\n".join(self.outcome.summary)

    @property
    def folder(self) -> Path:
        return self.outcome.folder

    def __repr__(self) -> str:  # what pytest shows when an assertion about a run fails
        return f"Run({self.verdict}/{self.kind}: {self.message!r})\n{self.output[-4000:]}"


@dataclass
class RelBot:
    """`bot run RUNBOOK --client sandbox`, in-process, for one test's folder and the simulators."""

    sims: Simulators
    folder: Path
    monkeypatch: pytest.MonkeyPatch
    env: dict[str, str] = field(default_factory=dict)

    @property
    def config_path(self) -> Path:
        return self.folder / "config.yaml"

    @property
    def runs_root(self) -> Path:
        return self.folder / "runs"

    @property
    def history_path(self) -> Path:
        return self.folder / "history.sqlite"

    def secrets(self) -> list[str]:
        """Every password the simulators know: none may appear in any evidence."""
        creds = self.sims.credentials
        return [creds["assignar"]["password"], *creds["acumatica"].values()]

    def write(
        self,
        *,
        settings: dict[str, Any] | None = None,
        timeout: str | None = None,
        runbooks: Path | None = None,
    ) -> None:
        config_text, env_text = sandbox_config(self.sims)
        data = yaml.safe_load(config_text)
        data["runs"] = {"root": str(self.runs_root), "history": str(self.history_path)}
        data["clients"][CLIENT]["settings"].update(settings or {})
        if timeout:
            data["timeout"] = timeout
        if runbooks:
            data["runbooks"] = [str(runbooks)]
        self.config_path.write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        for line in env_text.splitlines():
            name, _, value = line.partition("=")
            self.env[name] = value
            self.monkeypatch.setenv(name, value)

    def run(
        self,
        runbook: str = "reauthorize",
        *,
        listeners: list[Callable[[Event], None]] | None = None,
        **params: Any,
    ) -> Run:
        config = load_config(self.config_path)
        catalog = Catalog([config.resolve(folder) for folder in config.runbooks])
        out = io.StringIO()
        options = RunOptions(extra_listeners=list(listeners or []))
        outcome = execute(
            config, catalog, runbook, CLIENT, {k: str(v) for k, v in params.items()}, options, out
        )
        return Run(outcome, out.getvalue())

    def history_rows(self) -> list[dict[str, Any]]:
        with sqlite3.connect(self.history_path) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM runs ORDER BY started_at")]

    def assert_clean(self, folder: Path) -> None:
        """No simulator password anywhere in the run folder (trace, screenshots, reports, log)."""
        leaks = Scrubber(self.secrets()).assert_clean(folder)
        assert leaks == [], f"secrets leaked into {folder}: {leaks}"

    def assert_evidence(self, run: Run) -> None:
        """The run left its folder (report, log, screenshots) and no secret in it."""
        folder = run.folder
        assert (folder / "report.html").is_file(), sorted(p.name for p in folder.iterdir())
        assert (folder / "report.json").is_file()
        assert list((folder / "screenshots").glob("*.png")), "no screenshots kept"
        self.assert_clean(folder)


READ_STATE = (
    'The integration is now enabled, status "Needs re-authorization", authorized as '
    "assignar.integration (it was enabled before the run)."
)
UNREAD_STATE = "The integration's state after this run could not be read"


def assert_final_state(run: Run, expected: str = READ_STATE) -> None:
    """The verdict ends with the integration's state (reauthorize's `finally` + `summary`)."""
    assert expected in run.summary_text, run
    assert expected.split("(", 1)[0].strip() in run.output  # printed with the verdict too


def copy_runbooks(target: Path, edit: Callable[[str, str], str] | None = None) -> Path:
    """The shipped runbooks copied to `target`, each text passed through `edit(name, text)`."""
    target.mkdir(parents=True, exist_ok=True)
    for path in RUNBOOKS.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        (target / path.name).write_text(edit(path.stem, text) if edit else text, encoding="utf-8")
    return target


# -- processes --------------------------------------------------------------------------------
def _ppid_map() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def descendants(pid: int) -> list[int]:
    """Every live process below `pid`."""
    parents = _ppid_map()
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def is_chromium(pid: int) -> bool:
    line = cmdline(pid).lower()
    return "chrom" in line and "node" not in line.split(" ", 1)[0]


def chromium_processes(root: int | None = None) -> list[int]:
    """Chromium processes below `root` (default: this process)."""
    return [pid for pid in descendants(root or os.getpid()) if is_chromium(pid)]


def browser_main_process(root: int | None = None, ignore: Iterable[int] = ()) -> int | None:
    """The browser process itself (not a renderer, GPU or zygote helper), skipping `ignore`
    (e.g. the browser pytest-playwright keeps open for other tests)."""
    skip = set(ignore)
    mains = [
        pid for pid in chromium_processes(root) if "--type=" not in cmdline(pid) and pid not in skip
    ]
    return mains[0] if mains else None


def alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
