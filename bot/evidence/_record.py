"""What a report says about one run: the data behind report.json, report.html and junit.xml."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Protocol, TypeVar

from bot.engine.events import within_step


@dataclass
class StepRecord:
    """One step as it ran: status, timing, the locator alternative that matched, retries,
    its screenshot (relative to the run folder) and the variables it captured (masked)."""

    seq: int
    path: str
    description: str
    status: str
    started_at: float
    duration: float | None = None
    attempts: int = 1
    matched: str | None = None
    message: str | None = None
    failure_kind: str | None = None
    source: str | None = None
    depth: int = 0
    screenshot: str | None = None
    captured: dict[str, str] = field(default_factory=dict)

    @property
    def retries(self) -> int:
        return max(self.attempts - 1, 0)


@dataclass
class RunRecord:
    """One run, from RunStarted to RunFinished; secrets already masked in every field."""

    run_id: str
    runbook: str
    client: str | None
    started_at: float
    params: dict[str, Any] = field(default_factory=dict)
    browser_name: str | None = None
    browser_version: str | None = None
    playwright_version: str | None = None
    steps: list[StepRecord] = field(default_factory=list)
    verdict: str = "running"
    finished_at: float | None = None
    failure_kind: str | None = None
    message: str | None = None
    failing_step: str | None = None  # the failed step's path (the innermost step that failed)
    failing_yaml: str | None = None  # the failed step's YAML source text
    failing_source: str | None = None  # the failed step's `file:line`
    failing_description: str | None = None  # the failed step's label (or action and target)
    failing_inside: list[str] = field(default_factory=list)  # the steps around it, outermost first
    variables: dict[str, str] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)  # the verdict's lines: findings, what next
    notes: list[str] = field(default_factory=list)  # about the evidence itself (e.g. deletions)
    final_screenshot: str | None = None  # the page as the run left it (relative to the folder)

    @property
    def duration(self) -> float | None:
        return None if self.finished_at is None else self.finished_at - self.started_at

    @property
    def failed(self) -> StepRecord | None:
        """The step the run failed on (see `failing_of`)."""
        return failing_of(self.steps, self.failing_step)

    def around(self, step: StepRecord) -> list[StepRecord]:
        return steps_around(self.steps, step)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["duration"] = self.duration
        for step, record in zip(data["steps"], self.steps, strict=True):
            step["retries"] = record.retries
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        """The record `to_dict` made (report.json), back; what it computed is left out."""
        steps = [StepRecord(**_known(StepRecord, step)) for step in data.get("steps", [])]
        return cls(**{**_known(cls, data), "steps": steps})


class _Step(Protocol):
    @property
    def path(self) -> str: ...
    @property
    def status(self) -> str: ...


StepT = TypeVar("StepT", bound=_Step)


def failing_of(steps: Sequence[StepT], failing_step: str | None) -> StepT | None:
    """The step a run failed on: the one the engine named (`RunFinished.failing_step`, the
    innermost that failed), else (a run recorded before it was named) the last failed one."""
    failures = [step for step in steps if step.status == "failed"]
    named = [step for step in failures if step.path == failing_step]
    found = named or failures[-1:]
    return found[0] if found else None


def steps_around(steps: Sequence[StepT], step: StepT) -> list[StepT]:
    """The steps `step` ran inside (within, choose, use…), outermost first."""
    return [other for other in steps if other is not step and within_step(step.path, other.path)]


def _known(kind: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {item.name for item in fields(kind)}
    return {name: value for name, value in data.items() if name in names}


def yaml_excerpt(source: str | None, around: int = 3) -> str | None:
    """The lines of a runbook around `file:line` (the failed step's source), marked with `>`."""
    if not source or ":" not in source:
        return None
    name, _, number = source.rpartition(":")
    path = Path(name)
    if not number.isdigit() or not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    line = int(number)
    first, last = max(line - around, 1), min(line + around, len(lines))
    return "\n".join(
        f"{'>' if index == line else ' '} {index:4d} | {lines[index - 1]}"
        for index in range(first, last + 1)
    )
