"""What a report says about one run: the data behind report.json, report.html and junit.xml."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any


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
    failing_step: str | None = None  # the failed step's path
    failing_yaml: str | None = None  # the failed step's YAML source text
    variables: dict[str, str] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)  # the verdict's lines: findings, what next
    notes: list[str] = field(default_factory=list)  # about the evidence itself (e.g. deletions)
    final_screenshot: str | None = None  # the page as the run left it (relative to the folder)

    @property
    def duration(self) -> float | None:
        return None if self.finished_at is None else self.finished_at - self.started_at

    @property
    def failed(self) -> StepRecord | None:
        """The step the run failed on (the last failed one), if any."""
        failures = [step for step in self.steps if step.status == "failed"]
        return failures[-1] if failures else None

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
