"""What `bot fleet run` shows: a live table of every client's current step on a terminal (a line
per finished client otherwise), then one line per client with its verdict and run id."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from bot import ClientOutcome, ClientProgress, FleetReport

STYLES = {
    "passed": "green",
    "failed": "red",
    "interrupted": "yellow",
    "not started": "yellow",
    "retrying": "yellow",
    "running": "cyan",
}
VERDICTS = ("passed", "failed", "interrupted", "not started")
FINISHED = frozenset(VERDICTS)


class LiveView:
    """The fleet's observer: every client's latest progress, drawn live on a terminal."""

    def __init__(self, clients: list[str], console: Console, log: TextIO) -> None:
        from bot import ClientProgress

        self.rows = {client: ClientProgress(client, "queued") for client in clients}
        self.console, self.log = console, log
        self.live: Live | None = None
        self.done = 0

    def __call__(self, progress: ClientProgress) -> None:
        self.rows[progress.client] = progress
        if progress.state in FINISHED:
            self.done += 1
            if self.live is None:  # not a terminal: a line per finished client
                run = f" (run {progress.run_id})" if progress.run_id else ""
                self.log.write(
                    f"[{self.done}/{len(self.rows)}] {progress.state} {progress.client}{run}\n"
                )
                self.log.flush()

    def table(self) -> Table:
        table = Table("client", "state", "current step", "run", "browser", expand=True)
        for row in list(self.rows.values()):
            style = STYLES.get(row.state, "dim")
            step = row.step if row.state not in FINISHED else row.step[:80]
            table.add_row(
                row.client, f"[{style}]{row.state}[/]", escape(step), row.run_id, row.browser
            )
        return table

    def __enter__(self) -> LiveView:
        if self.console.is_terminal:
            self.live = Live(get_renderable=self.table, console=self.console, transient=True)
            self.live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.live is not None:
            self.live.stop()


def print_outcomes(report: FleetReport, out: TextIO) -> None:
    """One line per client: verdict, client, run id, what happened; the evidence of a failure."""
    width = max((len(outcome.client) for outcome in report.outcomes), default=0)
    for outcome in report.outcomes:
        run = f"run {outcome.run_id}" if outcome.run_id else "no run"
        out.write(f"{outcome.verdict.upper():<12} {outcome.client:<{width}}  {run:<12}  ")
        out.write(f"{outcome.message}\n")
        if outcome.verdict != "passed" and outcome.folder is not None:
            out.write(f"{'':<12} {'':<{width}}  evidence: {outcome.folder}\n")
    counts = Counter(outcome.verdict for outcome in report.outcomes)
    shown = [verdict for verdict in VERDICTS if counts[verdict] or verdict in ("passed", "failed")]
    out.write(", ".join(f"{counts[verdict]} {verdict}" for verdict in shown) + "\n")


def json_outcome(outcome: ClientOutcome) -> str:
    record: dict[str, Any] = {"event": "ClientOutcome", **asdict(outcome)}
    return json.dumps(record, default=str)
