"""What a person sees while a run goes: one line per step, live on a terminal, JSON for machines."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, TextIO

from bot.engine.events import Event, RunFinished, RunStarted, StepEvent, StepStatus

# control characters a page may put in its text: on a terminal they could rewrite what is shown
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with terminal control characters (escape sequences, bells…) made visible as �."""
    return _CONTROL.sub("\ufffd", text)


ICONS = {
    StepStatus.PASSED: ("✓", "green"),
    StepStatus.FAILED: ("✗", "red"),
    StepStatus.SKIPPED: ("–", "dim"),
    StepStatus.RETRIED: ("↻", "yellow"),
}


class ConsoleReporter:
    """Listener printing step lines; on a terminal the running step shows with a spinner."""

    def __init__(
        self, stream: TextIO | None = None, *, live: bool | None = None, scrub: Any = None
    ) -> None:
        from rich.console import Console

        self.stream = stream or sys.stdout
        self.console = Console(
            file=self.stream,
            highlight=False,
            soft_wrap=True,
            force_terminal=live if live is not None else None,
        )
        self.live = self.console.is_terminal if live is None else live
        self.scrub = scrub or (lambda text: text)
        self._status: Any = None

    def __call__(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            who = f" for {event.client}" if event.client else ""
            self._print(f"[bold]Running {event.runbook}{who}[/] (run {event.run_id})")
        elif isinstance(event, StepEvent):
            self._step(event)
        elif isinstance(event, RunFinished):
            self._stop_spinner()

    def _step(self, event: StepEvent) -> None:
        indent = "  " * (event.depth + 1)
        if event.status == StepStatus.STARTED:
            if self.live:
                self._stop_spinner()
                self._status = self.console.status(f"{indent}{self._escape(event.description)}")
                self._status.start()
            return
        self._stop_spinner()
        icon, colour = ICONS[event.status]
        took = f"{event.duration:5.2f}s" if event.duration is not None else "      "
        line = f"{indent}[{colour}]{icon}[/] {took}  {self._escape(event.description)}"
        if event.matched:
            line += f" [dim](matched {self._escape(event.matched)})[/]"
        if event.message and event.status != StepStatus.PASSED:
            margin = f"{indent}         "  # a message of several lines (candidates) stays indented
            said = self._escape(event.message).replace("\n", f"\n{margin}")
            line += f"\n{margin}[{colour}]{said}[/]"
        self._print(line)

    def _stop_spinner(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def _escape(self, text: str) -> str:
        from rich.markup import escape

        return escape(printable(self.scrub(text)))

    def _print(self, markup: str) -> None:
        self.console.print(markup)


class JsonReporter:
    """Listener writing one JSON object per event (for `--json`); `fields` go in every object
    (a fleet tags each run's events with its client)."""

    def __init__(
        self,
        stream: TextIO | None = None,
        scrub: Any = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        self.stream = stream or sys.stdout
        self.scrub = scrub or (lambda text: text)
        self.fields = dict(fields or {})

    def __call__(self, event: Event) -> None:
        record = {"event": type(event).__name__, **self.fields, **asdict(event)}
        self.stream.write(self.scrub(json.dumps(record, default=str)) + "\n")
        self.stream.flush()
