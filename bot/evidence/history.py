"""Run history: a listener writes every run and step to SQLite as it happens, so a run killed
mid-way stays visible (as interrupted, with the steps it did); queries list and show runs."""

from __future__ import annotations

import getpass
import os
import socket
from pathlib import Path

from bot.engine.events import Event, RunFinished, RunStarted, StepEvent, StepStatus
from bot.evidence._history_db import History, RunRow, StepRow
from bot.evidence._processes import pid_alive

__all__ = ["History", "HistoryRecorder", "RunRow", "StepRow", "pid_alive"]


class HistoryRecorder:
    """Event listener: the run row at RunStarted, a step row per step event (committed at once),
    the verdict at RunFinished. Paths of the run folder, trace and report go in the run row."""

    def __init__(
        self,
        history: History,
        *,
        operator: str | None = None,
        run_dir: Path | None = None,
        trace_path: Path | None = None,
        report_path: Path | None = None,
    ) -> None:
        self.history = history
        self.operator = operator or _operator()
        self.paths = {"run_dir": run_dir, "trace_path": trace_path, "report_path": report_path}
        self._seq = 0
        self._open: dict[str, int] = {}  # step path -> seq of its row while it runs

    def __call__(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self._started(event)
        elif isinstance(event, StepEvent):
            self._step(event)
        elif isinstance(event, RunFinished):
            self._finished(event)

    def _started(self, event: RunStarted) -> None:
        self.history.insert(
            "runs",
            {
                "id": event.run_id,
                "client": event.client,
                "runbook": event.runbook,
                "operator": self.operator,
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started_at": event.started_at,
                "verdict": "running",
                **{name: str(path) if path else None for name, path in self.paths.items()},
            },
        )

    def _step(self, event: StepEvent) -> None:
        values = {
            "description": event.description,
            "status": str(event.status),
            "duration": event.duration,
            "attempt": event.attempt,
            "message": event.message,
            "failure_kind": event.failure_kind,
            "matched": event.matched,
            "source": event.source,
        }
        seq = self._open.get(event.path)
        if seq is not None:
            self.history.update("steps", {"run_id": event.run_id, "seq": seq}, values)
        else:
            self._seq += 1
            seq = self._seq
            self.history.insert(
                "steps",
                {
                    "run_id": event.run_id,
                    "seq": seq,
                    "path": event.path,
                    "started": event.began,
                    **values,
                },
            )
        if event.status in (StepStatus.STARTED, StepStatus.RETRIED):
            self._open[event.path] = seq
        else:
            self._open.pop(event.path, None)

    def _finished(self, event: RunFinished) -> None:
        self.history.update(
            "runs",
            {"id": event.run_id},
            {
                "verdict": event.verdict,
                "finished_at": event.finished_at,
                "failure_kind": event.failure_kind,
                "message": event.message,
                "failing_step": event.failing_step,
            },
        )
        self._open.clear()


def _operator() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
