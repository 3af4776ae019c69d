"""What the fleet tests look at: a run's evidence, the history, the browser processes."""

from __future__ import annotations

import os
import signal
from contextlib import closing, suppress
from pathlib import Path

from support.processes import command_line, descendants

from bot import ClientOutcome, ClientProgress, History, RunRow, SandboxBot


def history_rows(bot: SandboxBot) -> list[RunRow]:
    return history_rows_at(bot.history_path)


def has_kept_evidence(outcome: ClientOutcome) -> bool:
    """The run folder holds its report and log (what a failed run must leave)."""
    folder = outcome.folder
    return folder is not None and all(
        (folder / name).is_file() for name in ("report.html", "run.log")
    )


class StepTrigger:
    """Observer: calls `action` once, when `client`'s run starts its `nth` step."""

    def __init__(self, client: str, nth: int, action: object) -> None:
        self.client, self.nth, self.action = client, nth, action
        self.steps = 0
        self.fired = False
        self.seen: list[ClientProgress] = []

    def __call__(self, progress: ClientProgress) -> None:
        self.seen.append(progress)
        if progress.client != self.client or progress.state != "running" or not progress.step:
            return
        self.steps += 1
        if self.steps == self.nth and not self.fired:
            self.fired = True
            self.action()  # type: ignore[operator]


def chromium_browsers() -> set[int]:
    """Pids of the Chromium browser processes (not their helpers) under this process."""
    found = set()
    for pid in descendants(os.getpid())[1:]:
        arguments = command_line(pid)
        helper = any(argument.startswith(b"--type=") for argument in arguments)
        if arguments and b"chrom" in arguments[0] and not helper:
            found.add(pid)
    return found


def kill(pids: set[int]) -> None:
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def history_rows_at(path: Path) -> list[RunRow]:
    with closing(History(path)) as history:
        return history.list_runs(limit=1000)
