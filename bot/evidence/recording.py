"""A run's evidence, wired around the engine: trace, screenshots, reports, history, scrubbing."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.evidence.console import ConsoleReporter
from bot.engine.events import EventBus
from bot.evidence import (
    History,
    HistoryRecorder,
    RunFolder,
    RunRecorder,
    Scrubber,
    TrafficSecrets,
    write_html,
    write_json,
    write_junit,
)

TRACE_OPTIONS = {"screenshots": True, "snapshots": True, "sources": False}


@dataclass
class Evidence:
    """Everything that records one run. `start` before the first step, `finish` after the last."""

    folder: RunFolder
    scrubber: Scrubber
    history: History
    retention: str = "always"
    recorder: RunRecorder = field(init=False)
    log: io.StringIO = field(default_factory=io.StringIO)
    notes: list[str] = field(default_factory=list)
    _context: Any = None
    _tracing: bool = False
    _traffic: TrafficSecrets | None = None

    def __post_init__(self) -> None:
        self.recorder = RunRecorder(self.scrubber)

    def listeners(self, bus: EventBus) -> None:
        bus.subscribe(self.recorder)
        bus.subscribe(
            HistoryRecorder(
                self.history,
                run_dir=self.folder.path,
                trace_path=self.folder.trace,
                report_path=self.folder.report_html,
            )
        )
        bus.subscribe(ConsoleReporter(self.log, live=False, scrub=self.scrubber.text))

    def start(self, page: Any) -> None:
        """Harvest secrets from the traffic and start tracing (a chunk, if tracing already runs)."""
        self._context = page.context
        self._traffic = TrafficSecrets(self.scrubber)
        self._traffic.attach(self._context)
        self.recorder.set_browser(
            "chromium", str(self._context.browser.version) if self._context.browser else "unknown"
        )
        try:
            self._context.tracing.start(**TRACE_OPTIONS)
            self._tracing = True
        except Exception:  # pytest-playwright's --tracing records this context already
            self.notes.append(
                "the trace is the one pytest-playwright records (--tracing), in "
                "its --output folder, scrubbed when the test session ends"
            )

    def stop_browser_side(self) -> None:
        """Before the context closes: last cookies into the scrubber, the trace onto disk."""
        if self._context is None:
            return
        with contextlib.suppress(Exception):
            assert self._traffic is not None
            self._traffic.harvest_cookies()
        if not self._tracing:
            return
        try:
            self._context.tracing.stop(path=str(self.folder.trace))
        except Exception as exc:  # a killed browser takes its trace with it
            self.notes.append(f"no trace: the browser was gone before it could be saved ({exc})")

    def finish(self, verdict: str, summary: list[str], extra: dict[str, Any]) -> None:
        """Scrub the trace, write the reports and the log, scrub everything, keep the record."""
        if self.folder.trace.exists():
            outcome = self.scrubber.trace_zip(self.folder.trace)
            if outcome.action == "deleted":
                self.notes.append(f"trace.zip deleted: it could not be scrubbed ({outcome.reason})")
        record = self.recorder.record
        if record is not None:
            record.summary = [self.scrubber.text(line) for line in summary]
            record.notes = self.notes
            write_json(record, self.folder.path, scrubber=self.scrubber)
            write_html(record, self.folder.path, scrubber=self.scrubber)
            write_junit(
                record,
                self.folder.path,
                scrubber=self.scrubber,
                trace_path=self.folder.trace,
                report_path=self.folder.report_html,
            )
            self.history.update_run(record.run_id, **extra)
        self.folder.log.write_text(self.scrubber.text(self.log.getvalue()), encoding="utf-8")
        for outcome in self.scrubber.run_dir(self.folder.path):
            if outcome.action == "deleted":
                self.notes.append(outcome.describe())
        for leak in self.scrubber.assert_clean(self.folder.path):
            Path(leak.path).unlink(missing_ok=True)  # never kept unscrubbed
            self.notes.append(f"{Path(leak.path).name} deleted: a secret was still in it")
        self.folder.apply_retention(verdict, self.retention)  # type: ignore[arg-type]

    def close(self) -> None:
        self.history.close()
