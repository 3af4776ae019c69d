"""What a caller asks of a run (`RunOptions`) and what it gets back (`RunOutcome`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app.plan import Plan
from bot.engine.context import ScreenshotPolicy
from bot.engine.events import Listener
from bot.engine.runner import RunResult
from bot.evidence import Scrubber

if TYPE_CHECKING:
    from playwright.sync_api import Page


@dataclass
class RunOptions:
    headed: bool = False
    slow_mo: float = 0
    browser_ws: str | None = None
    cdp: str | None = None
    step_through: bool = False
    pause_on_failure: bool = False
    json: bool = False
    quiet: bool = False  # nothing on `out` (a fleet's runs: its live view and each run.log tell)
    screenshots: ScreenshotPolicy | None = None  # instead of the config's `runs.screenshots`
    lock_wait: float = 0.0
    page: Page | None = None  # run in this page (e.g. pytest-playwright's) instead of a new browser
    scrubber: Scrubber | None = None  # shared across runs (the pytest plugin scrubs its output)
    extra_listeners: list[Listener] = field(default_factory=list)
    # runs the evidence's sealing (scrubbing, reports); a fleet hands it to a thread
    offload: Callable[[Callable[[], None]], None] | None = None


@dataclass
class RunOutcome:
    result: RunResult
    folder: Path
    summary: list[str]
    plan: Plan
    notes: list[str] = field(default_factory=list)
