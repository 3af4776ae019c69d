"""The engine: runs a loaded runbook step by step with the actions of a registry it is given,
through page services it is given, and reports every run and step as events. It never calls
Playwright itself; `step_context` is its contract with the actions.

Names are imported on first use, so `bot.engine.interrupts` alone (what every command installs
first) loads no runbook language: `bot --help` stays fast."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what each name is, for type checkers; imported on first use below
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

_MODULES = ("context", "events", "runner", "step_context", "summary", "interrupts")


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'bot.engine' has no attribute {name!r}")
    if name in _MODULES:  # a module of the engine (`interrupts`)
        return import_module(f"{__name__}.{name}")
    for module_name in _MODULES:
        module = import_module(f"{__name__}.{module_name}")
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value  # the next lookup is a plain attribute
            return value
    raise AttributeError(f"module 'bot.engine' has no attribute {name!r}")  # pragma: no cover
