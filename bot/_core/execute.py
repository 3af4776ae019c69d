"""One run from start to verdict: plan, browser, engine, evidence, the printed verdict."""

from __future__ import annotations

import secrets as random_ids
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot._core.browser import choose_browser
from bot._core.catalog import Catalog
from bot._core.config import Config
from bot._core.console import ConsoleReporter, JsonReporter
from bot._core.context import RunContext
from bot._core.engine import Runner, RunResult
from bot._core.events import Event, EventBus, StepEvent, StepStatus
from bot._core.plan import Plan, make_plan


@dataclass
class RunOptions:
    headed: bool = False
    slow_mo: float = 0
    browser_ws: str | None = None
    cdp: str | None = None
    step_through: bool = False
    pause_on_failure: bool = False
    json: bool = False
    extra_listeners: list[Callable[[Event], None]] = field(default_factory=list)


def run_folder(config: Config, plan: Plan, run_id: str) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    client = plan.client_name or "no-client"
    folder = config.resolve(config.runs.root) / client / f"{stamp}-{plan.runbook.name}-{run_id}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def execute(config: Config, catalog: Catalog, runbook: str, client: str | None,
            params: dict[str, Any], options: RunOptions, out: TextIO) -> RunResult:
    """Validate everything, then run in a browser. Raises InputError before anything starts."""
    plan = make_plan(config, catalog, runbook, client, params)
    choice = choose_browser(ws_endpoint=options.browser_ws or config.browser.ws_endpoint,
                            cdp_endpoint=options.cdp or config.browser.cdp_endpoint,
                            configured_path=config.browser.executable_path)
    run_id = random_ids.token_hex(4)
    folder = run_folder(config, plan, run_id)
    reporter = JsonReporter(out) if options.json else ConsoleReporter(out)
    bus = EventBus([reporter, *options.extra_listeners])
    from bot._core.session import open_session

    with open_session(choice, headless=not options.headed, slow_mo=options.slow_mo) as session:
        ctx = RunContext(session.page, headless=not options.headed,
                         default_timeout=config.timeout, client=plan.client,
                         params=plan.params, secrets=plan.secrets, run_dir=folder)
        if options.step_through:
            bus.subscribe(_step_through(ctx))
        if options.pause_on_failure:
            bus.subscribe(_pause_on_failure(ctx))
        result = Runner(ctx, bus, catalog, run_id).run(plan.runbook, plan.client_name,
                                                       plan.masked_params())
    if not options.json:
        _print_verdict(out, result, folder)
    return result


def _step_through(ctx: RunContext) -> Callable[[Event], None]:
    def wait(event: Event) -> None:
        if isinstance(event, StepEvent) and event.status == StepStatus.STARTED:
            input(f"next: {event.description} — press Enter to run it ")

    return wait


def _pause_on_failure(ctx: RunContext) -> Callable[[Event], None]:
    def pause(event: Event) -> None:
        if isinstance(event, StepEvent) and event.status == StepStatus.FAILED and not ctx.headless:
            ctx.say(f"paused at the failure ({event.message}); press Resume in the inspector")
            ctx.page.pause()

    return pause


def _print_verdict(out: TextIO, result: RunResult, folder: Path) -> None:
    if result.verdict == "passed":
        out.write(f"\nPASSED  run {result.run_id}\n")
    else:
        step = result.failed_step
        where = f" at {step.where} ({step.describe()})" if step else ""
        message = result.error.message if result.error else ""
        out.write(f"\nFAILED{where}: {message}\n")
        if step is not None:
            out.write("  the step:\n" + "\n".join(f"    {line}" for line in step.yaml.splitlines())
                      + "\n")
        out.write(f"  run {result.run_id}\n")
    out.write(f"  evidence: {folder}\n")
