"""Events the engine emits for every run and step; the console, reports and history listen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class StepStatus(StrEnum):
    STARTED = "started"
    RETRIED = "retried"
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class RunStarted:
    run_id: str
    runbook: str
    client: str | None
    params: dict[str, Any]  # secrets already masked
    started_at: float


@dataclass(frozen=True)
class StepEvent:
    """One thing that happened to one step; `path` is its place in the run, unique within it, e.g.
    `steps[3].within[1]`, or `steps[2].use.steps[0]` for a step of the runbook `steps[2]` used."""

    run_id: str
    path: str
    description: str
    status: StepStatus
    at: float
    duration: float | None = None
    attempt: int = 1
    message: str | None = None  # failure or skip reason, secrets scrubbed
    failure_kind: str | None = None
    matched: str | None = None  # the locator alternative that matched, described
    source: str | None = None  # `file:line`
    depth: int = 0
    screenshot: str | None = None  # path, relative to the run folder
    captured: dict[str, str] = field(default_factory=dict)  # masked values

    @property
    def began(self) -> float:
        """When the step began: a finishing event's time minus its duration."""
        if self.status is StepStatus.STARTED or self.duration is None:
            return self.at
        return self.at - self.duration


@dataclass(frozen=True)
class RunFinished:
    run_id: str
    verdict: str  # "passed" | "failed" | "interrupted"
    finished_at: float
    message: str | None = None
    failure_kind: str | None = None
    variables: dict[str, str] = field(default_factory=dict)  # masked values
    screenshot: str | None = None  # of the final state, relative to the run folder
    failing_step: str | None = None  # the path of the innermost step that failed (StepEvent.path)


def within_step(path: str, outer: str) -> bool:
    """True when the step at `path` is the step at `outer` or one nested in it (within, choose,
    use…): `steps[1].within[0]` is in `steps[1]`, `steps[10]` is not."""
    return path == outer or path.startswith((f"{outer}.", f"{outer}["))


Event = RunStarted | StepEvent | RunFinished
Listener = Callable[[Event], None]


class EventBus:
    """Fans every event out to the listeners; a listener that raises never stops the run."""

    def __init__(self, listeners: list[Listener] | None = None) -> None:
        self.listeners: list[Listener] = list(listeners or [])
        self.errors: list[BaseException] = []

    def subscribe(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def emit(self, event: Event) -> None:
        for listener in self.listeners:
            try:
                listener(event)
            except Exception as exc:  # a broken reporter must not break the run
                self.errors.append(exc)
