"""Listeners for a person at the terminal: `--step` (Enter before each step) and
`--pause-on-failure` (the Playwright inspector at the failed step, headed runs only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.engine.events import Event, Listener, StepEvent, StepStatus
from bot.engine.step_context import PageServices

if TYPE_CHECKING:
    from bot.app.options import RunOptions


def interaction_listeners(
    options: RunOptions, services: PageServices, headless: bool
) -> list[Listener]:
    listeners: list[Listener] = []
    if options.step_through:
        listeners.append(_step_through)
    if options.pause_on_failure and not headless:
        listeners.append(_pause_on_failure(services))
    return listeners


def _step_through(event: Event) -> None:
    if isinstance(event, StepEvent) and event.status == StepStatus.STARTED:
        input(f"next: {event.description} — press Enter to run it ")


def _pause_on_failure(services: PageServices) -> Listener:
    def pause(event: Event) -> None:
        if isinstance(event, StepEvent) and event.status == StepStatus.FAILED:
            print(f"paused at the failure ({event.message}); press Resume in the inspector")
            services.pause()

    return pause
