"""Run reports: `RunRecorder` listens to the engine's events and builds a `RunRecord`; the writers
turn it into report.json, report.html (and, to share, one self-contained copy) and junit.xml, all
scrubbed."""

from __future__ import annotations

from importlib import metadata
from typing import Any

from bot.engine.events import Event, RunFinished, RunStarted, StepEvent, StepStatus
from bot.evidence._record import RunRecord, StepRecord, yaml_excerpt
from bot.evidence._writers import write_html, write_json, write_junit, write_shared_html
from bot.evidence.scrub import Scrubber

__all__ = [
    "RunRecord",
    "RunRecorder",
    "StepRecord",
    "write_html",
    "write_json",
    "write_junit",
    "write_shared_html",
]


class RunRecorder:
    """Event listener collecting one run into `record` (None until RunStarted).

    `failing_yaml` is the failed step's YAML text when the engine has it; otherwise the lines
    around the failed step's `source` (`file:line`) are read from the runbook.
    """

    def __init__(
        self,
        scrubber: Scrubber | None = None,
        *,
        browser_name: str | None = None,
        browser_version: str | None = None,
        failing_yaml: str | None = None,
    ) -> None:
        self.scrubber = scrubber if scrubber is not None else Scrubber()
        self.browser_name = browser_name
        self.browser_version = browser_version
        self.failing_yaml = failing_yaml
        self.record: RunRecord | None = None
        self._open: dict[str, StepRecord] = {}

    def __call__(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self._started(event)
        elif self.record is None:
            return
        elif isinstance(event, StepEvent):
            self._step(self.record, event)
        elif isinstance(event, RunFinished):
            self._finished(self.record, event)

    def set_browser(self, name: str, version: str) -> None:
        """Name and version of the browser the run used (e.g. from `browser.version`)."""
        self.browser_name, self.browser_version = name, version
        if self.record is not None:
            self.record.browser_name, self.record.browser_version = name, version

    def _started(self, event: RunStarted) -> None:
        self.record = RunRecord(
            run_id=event.run_id,
            runbook=event.runbook,
            client=event.client,
            started_at=event.started_at,
            params=self.scrubber.json_value(event.params),
            browser_name=self.browser_name,
            browser_version=self.browser_version,
            playwright_version=_playwright_version(),
        )

    def _step(self, record: RunRecord, event: StepEvent) -> None:
        step = self._open.get(event.path)
        if step is None:
            step = StepRecord(
                seq=len(record.steps) + 1,
                path=event.path,
                description=self._clean(event.description),
                status=str(event.status),
                started_at=event.began,
            )
            record.steps.append(step)
        step.status = str(event.status)
        step.attempts = max(step.attempts, event.attempt)
        step.depth = event.depth
        step.duration = event.duration if event.duration is not None else step.duration
        for name in ("matched", "message", "failure_kind", "source", "screenshot"):
            value = getattr(event, name)
            if value is not None:
                setattr(step, name, self._clean(value))
        step.captured.update(self.scrubber.json_value(dict(event.captured)))
        if event.status in (StepStatus.STARTED, StepStatus.RETRIED):
            self._open[event.path] = step
        else:
            self._open.pop(event.path, None)

    def _finished(self, record: RunRecord, event: RunFinished) -> None:
        record.verdict = event.verdict
        record.finished_at = event.finished_at
        record.failure_kind = event.failure_kind
        record.message = self._clean(event.message)
        record.variables = self.scrubber.json_value(dict(event.variables))
        record.final_screenshot = self._clean(event.screenshot)
        record.failing_step = event.failing_step
        failed = record.failed
        if failed is not None:
            record.failing_step = failed.path
            record.failing_source = failed.source
            record.failing_description = failed.description
            record.failing_inside = [step.description for step in record.around(failed)]
            record.failure_kind = record.failure_kind or failed.failure_kind
            record.message = record.message or failed.message
            yaml = self.failing_yaml or yaml_excerpt(failed.source)
            record.failing_yaml = self._clean(yaml)

    def _clean(self, value: Any) -> Any:
        return self.scrubber.text(value) if isinstance(value, str) else value


def _playwright_version() -> str | None:
    try:
        return metadata.version("playwright")
    except metadata.PackageNotFoundError:
        return None
