"""The engine: runs a loaded runbook step by step with the actions of a registry it is given,
through page services it is given, and reports every run and step as events. It never calls
Playwright itself; `step_context` is its contract with the actions."""

from bot.engine import interrupts
from bot.engine.context import EngineContext, RunSettings, RunState, ScreenshotFiles
from bot.engine.events import (
    Event,
    EventBus,
    Listener,
    RunFinished,
    RunStarted,
    StepEvent,
    StepStatus,
)
from bot.engine.runner import Runner, RunResult
from bot.engine.step_context import PageServices, Scope, StepContext
from bot.engine.summary import summary_lines

__all__ = [
    "EngineContext",
    "Event",
    "EventBus",
    "Listener",
    "PageServices",
    "RunFinished",
    "RunResult",
    "RunSettings",
    "RunStarted",
    "RunState",
    "Runner",
    "Scope",
    "ScreenshotFiles",
    "StepContext",
    "StepEvent",
    "StepStatus",
    "interrupts",
    "summary_lines",
]
