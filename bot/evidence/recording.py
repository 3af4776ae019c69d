"""A run's evidence, wired around the engine: trace, screenshots, reports, log, history, scrubbing.

`RunEvidence.open(...)` is a context manager that fails closed: whatever happens inside it (a
failed run, Ctrl-C, a report writer that raises, a full disk), its exit scrubs the trace, writes
what reports it can, then scrubs and scans every file of the run folder, deleting each one it
cannot prove clean, and applies retention. Every such problem becomes a note for the verdict.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.engine.events import Event, Listener, RunStarted
from bot.evidence._content import write_atomic
from bot.evidence._owner_only import make_private
from bot.evidence.console import ConsoleReporter
from bot.evidence.folder import Retention, RunFolder
from bot.evidence.history import History, HistoryRecorder
from bot.evidence.report import RunRecorder, write_html, write_json, write_junit
from bot.evidence.scrub import Scrubber, ScrubOutcome
from bot.evidence.traffic import TrafficSecrets

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page


SCREENCAST_NOTE = (
    "the trace holds a screencast (the client's `screencast: true`): its pictures of the screen "
    "cannot be scrubbed, so any secret shown on a page may be in them; for non-production "
    "clients only"
)


@dataclass
class RunEvidence:
    """Everything that records one run; open it with `RunEvidence.open(...)`."""

    folder: RunFolder
    scrubber: Scrubber
    history: History
    retention: Retention = "always"
    recorder: RunRecorder = field(init=False)
    log: io.StringIO = field(default_factory=io.StringIO)
    notes: list[str] = field(default_factory=list)  # about the evidence itself, for the verdict
    summary: list[str] = field(default_factory=list)
    _context: BrowserContext | None = None
    _tracing: bool = False
    _traffic: TrafficSecrets | None = None
    _scrubbed: set[Path] = field(default_factory=set)  # files the seal itself wrote scrubbed

    def __post_init__(self) -> None:
        self.recorder = RunRecorder(self.scrubber)

    @classmethod
    @contextlib.contextmanager
    def open(
        cls,
        folder: RunFolder,
        scrubber: Scrubber,
        history: History,
        retention: Retention,
        seal_with: Callable[[Callable[[], None]], None] | None = None,
    ) -> Iterator[RunEvidence]:
        """`seal_with(seal)` runs the sealing (a fleet: in a thread, so its other runs go on)."""
        evidence = cls(folder, scrubber, history, retention)
        try:
            yield evidence
        finally:
            (seal_with or _now)(evidence._seal)

    def listeners(self) -> list[Listener]:
        """The listeners that record the run: report record, history rows, run.log."""
        history = HistoryRecorder(  # absolute: `bot --config DIR/config.yaml trace ID` from
            self.history,  # any folder finds them (a relative one was the run's working folder's)
            run_dir=self.folder.path.absolute(),
            trace_path=self.folder.trace.absolute(),
            report_path=self.folder.report_html.absolute(),
        )
        return [
            self.recorder,
            history,
            self._make_folder,  # after the history row: no folder without a record
            ConsoleReporter(self.log, live=False, scrub=self.scrubber.text),
        ]

    def _make_folder(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.folder.make()

    def start(self, page: Page, *, screencast: bool = False) -> None:
        """Harvest secrets from the traffic and start tracing: DOM snapshots, and no screencast
        frames (pictures of the screen cannot be scrubbed) unless the client asks for them."""
        context = self._context = page.context
        self._traffic = TrafficSecrets(self.scrubber)
        self._traffic.attach(context)
        self.recorder.set_browser(
            "chromium", str(context.browser.version) if context.browser else "unknown"
        )
        try:
            context.tracing.start(screenshots=screencast, snapshots=True, sources=False)
            self._tracing = True
            if screencast:
                self.notes.append(SCREENCAST_NOTE)
        except Exception:  # pytest-playwright's --tracing records this context already
            self.notes.append(
                "the trace is the one pytest-playwright records (--tracing), in "
                "its --output folder, scrubbed when the test session ends"
            )

    def stop_browser_side(self) -> None:
        """Before the context closes: last cookies into the scrubber, the trace onto disk."""
        if self._context is None:
            return
        if self._traffic is not None:
            self._traffic.harvest_cookies()
        if not self._tracing:
            return
        try:
            if not self.folder.path.is_dir():  # the run never started: nothing to keep
                self._context.tracing.stop()
                return
            self._context.tracing.stop(path=str(self.folder.unscrubbed_trace))
            self.folder.unscrubbed_trace.chmod(0o600)  # holds secrets until the seal scrubs it
        except Exception as exc:  # a killed browser takes its trace with it
            self.notes.append(f"no trace: the browser was gone before it could be saved ({exc})")

    # -- sealing: always, whatever happened --------------------------------------------------
    def _seal(self) -> None:
        record = self.recorder.record
        if record is None and not self.folder.unscrubbed_trace.exists():
            # the run never started (no browser, say): nothing half-done is left behind
            shutil.rmtree(self.folder.path, ignore_errors=True)
            return
        self._attempt("trace.zip", self._scrub_trace)
        self._write_reports()
        self._attempt("run.log", self._write_log)
        said = len(self.notes)
        for path in _files_under(self.folder.path):
            self._scrub_or_delete(path, scrubbed=path in self._scrubbed)
        if len(self.notes) > said:  # the reports say what the last scan deleted, too
            self._write_reports()
            for path in (self.folder.report_json, self.folder.report_html, self.folder.junit):
                if path.exists():
                    self._scrub_or_delete(path, scrubbed=True)
        self._attempt(
            "retention", lambda: self.folder.apply_retention(self._verdict(), self.retention)
        )
        # what Playwright wrote (screenshots, the trace before scrubbing) took the umask's mode
        self._attempt("owner-only modes", lambda: make_private(self.folder.path))

    def _write_reports(self) -> None:
        """report.json, report.html and junit.xml, each attempted whatever the others do."""
        record = self.recorder.record
        if record is None:
            return
        record.summary = [self.scrubber.text(line) for line in self.summary]
        record.notes = self.notes  # each writer says what failed before it
        folder, scrubber = self.folder, self.scrubber
        self._attempt(
            "report.json", lambda: self._written(write_json(record, folder.path, scrubber=scrubber))
        )
        self._attempt(
            "report.html", lambda: self._written(write_html(record, folder.path, scrubber=scrubber))
        )
        self._attempt(
            "junit.xml",
            lambda: self._written(
                write_junit(
                    record,
                    folder.path,
                    scrubber=scrubber,
                    trace_path=folder.trace,
                    report_path=folder.report_html,
                )
            ),
        )

    def _verdict(self) -> str:
        record = self.recorder.record
        return record.verdict if record is not None else "failed"

    def _attempt(self, what: str, action: Callable[[], Any]) -> None:
        try:
            action()
        except Exception as exc:  # the others still go ahead; the verdict says what is missing
            reason = self.scrubber.text(f"{type(exc).__name__}: {exc}".splitlines()[0])
            note = f"{what} could not be written ({reason})"
            if note not in self.notes:
                self.notes.append(note)

    def _written(self, path: Path) -> None:
        """`path` was written scrubbed: the last pass only scans it."""
        self._scrubbed.add(path)

    def _scrub_trace(self) -> None:
        """Scrub the trace under its hidden name, then give it the evidence's name."""
        raw = self.folder.unscrubbed_trace
        if raw.exists():
            try:
                outcome = self.scrubber.trace_zip(raw)
                if outcome.action == "deleted":
                    self.notes.append(
                        f"trace.zip deleted: it could not be scrubbed ({outcome.reason})"
                    )
                    return
                raw.replace(self.folder.trace)
            finally:
                raw.unlink(missing_ok=True)  # never left behind unscrubbed
            self._written(self.folder.trace)

    def _write_log(self) -> None:
        write_atomic(self.folder.log, self.scrubber.text(self.log.getvalue()).encode("utf-8"))
        self._written(self.folder.log)

    def _scrub_or_delete(self, path: Path, *, scrubbed: bool = False) -> None:
        """Scrub `path` (unless the seal wrote it scrubbed), then scan every byte of it; delete it
        when either fails or finds a leak."""
        try:
            outcome = ScrubOutcome(path, "clean") if scrubbed else self.scrubber.file(path)
            if outcome.action == "deleted":
                self.notes.append(outcome.describe())
                return
            leaks = self.scrubber.assert_clean(path)
        except Exception as exc:
            path.unlink(missing_ok=True)
            self.notes.append(
                f"{path.name} deleted: it could not be scrubbed ({type(exc).__name__})"
            )
            return
        if leaks:
            path.unlink(missing_ok=True)  # never kept unscrubbed
            self.notes.append(f"{path.name} deleted: a secret was still in it")


def _now(work: Callable[[], None]) -> None:
    work()


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(item for item in folder.rglob("*") if item.is_file() and not item.is_symlink())
