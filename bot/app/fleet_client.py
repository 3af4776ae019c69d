"""One client of a fleet: a browser context on a site, then `execute` as `bot run` does it.

The run gets exactly what a single `bot run` gets (plan, client lock, run folder, trace, evidence,
history row), in a context of its own. When the site's browser is lost before the run's first
step, the client is tried again on another site; once a step has started (something may have been
typed), a lost browser fails the run, its evidence kept, and says so.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.app.browser_sites import BrowserSite, BrowserUnavailable, Sites
from bot.app.catalog import Catalog
from bot.app.config import Config
from bot.app.options import RunOptions
from bot.app.run import execute
from bot.engine.events import Event, Listener, RunStarted, StepEvent, StepStatus
from bot.engine.interrupts import stop_requested
from bot.errors import BotError, FailureKind, RunInterrupted
from bot.evidence import History, JsonReporter, Scrubber

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext


@dataclass(frozen=True)
class ClientProgress:
    """What a client is doing now, for a live view: `state` is queued, starting, running,
    retrying, or its verdict (passed, failed, interrupted, not started)."""

    client: str
    state: str
    step: str = ""
    run_id: str = ""
    browser: str = ""


@dataclass(frozen=True)
class ClientOutcome:
    """How a client's run ended; `browser` is the site it ran on, `attempts` how many sites."""

    client: str
    verdict: str  # passed | failed | interrupted | not started
    run_id: str | None = None
    folder: Path | None = None
    message: str = ""
    browser: str = ""
    attempts: int = 1
    kind: str = ""  # the failure kind of a failed run (e.g. browser_closed)


Observer = Callable[[ClientProgress], None]


@dataclass
class FleetRun:
    """What every client's job shares: the config, the runbook and params, the sites."""

    config: Config
    catalog: Catalog
    runbook: str
    params: dict[str, Any]
    sites: Sites
    observe: Observer
    json_out: TextIO | None = None
    offload: Callable[[Callable[[], None]], None] | None = None  # CPU-bound work, off the loop
    outcomes: dict[str, ClientOutcome] = field(default_factory=dict)

    def job(self, client: str) -> Callable[[], None]:
        def run() -> None:
            self.outcomes[client] = ClientJob(self, client).run()
            self.observe(_progress(self.outcomes[client]))

        return run


class ClientJob:
    def __init__(self, fleet: FleetRun, client: str) -> None:
        self.fleet, self.client = fleet, client

    def run(self) -> ClientOutcome:
        tried: list[BrowserSite] = []
        reasons: list[str] = []
        while len(tried) <= len(self.fleet.sites.sites):
            if stop_requested():
                return ClientOutcome(self.client, "not started", message="stopped before it began")
            site = self.fleet.sites.acquire(avoid=tried)
            if site is None:
                break
            try:
                result = self.attempt(site)
            finally:
                self.fleet.sites.release(site)
            if isinstance(result, ClientOutcome):
                return replace(result, attempts=len(tried) + 1)
            tried.append(site)
            reasons.append(result)
            self.fleet.observe(ClientProgress(self.client, "retrying", step=result))
        why = "; ".join(reasons) or "every browser site is down"
        return ClientOutcome(self.client, "failed", message=f"no browser could take the run: {why}")

    def attempt(self, site: BrowserSite) -> ClientOutcome | str:
        """The run on `site`, or why to try another site (its browser was lost before a step)."""
        self.fleet.observe(ClientProgress(self.client, "starting", browser=site.label))
        try:
            context = site.new_context()
        except BrowserUnavailable as exc:
            return str(exc)
        browser = site.describe()  # which of the site's browsers: a lost one is replaced
        tracker = RunTracker(self.client, self.fleet.observe, browser)
        try:
            outcome = self.execute(context, tracker)
        finally:
            with contextlib.suppress(Exception):  # a lost browser took its contexts along
                context.close()
        lost = site.lost() or outcome.kind == FailureKind.BROWSER_CLOSED
        if outcome.verdict != "failed" or not lost:
            return outcome
        if not tracker.acted:
            return f"{browser} was lost before the run began ({outcome.message})"
        return replace(
            outcome, message=f"the browser ({browser}) was lost mid-run: {outcome.message}"
        )

    def execute(self, context: BrowserContext, tracker: RunTracker) -> ClientOutcome:
        fleet, scrubber = self.fleet, Scrubber()
        listeners: list[Listener] = [tracker]
        if fleet.json_out is not None:
            tags = {"client": self.client}
            listeners.append(JsonReporter(fleet.json_out, scrub=scrubber.text, fields=tags))
        base = ClientOutcome(self.client, "failed", browser=tracker.browser)
        try:
            options = RunOptions(
                page=context.new_page(),
                quiet=True,
                scrubber=scrubber,
                extra_listeners=listeners,
                offload=fleet.offload,
            )
            run = execute(
                fleet.config,
                fleet.catalog,
                fleet.runbook,
                self.client,
                fleet.params,
                options,
                io.StringIO(),
            )
        except RunInterrupted:
            stopped = replace(base, verdict="interrupted", message="stopped (Ctrl-C)")
            return self.with_run(stopped, tracker.run_id)
        except BotError as exc:  # refused before the run (e.g. another run holds the client)
            return replace(base, message=scrubber.text(exc.message))
        except Exception as exc:  # a crash in this run stops only this run
            text = scrubber.text(f"{type(exc).__name__}: {exc}".splitlines()[0])
            return self.with_run(replace(base, message=f"crashed: {text}"), tracker.run_id)
        result, error = run.result, run.result.error
        message = error.message if error else next(iter(run.summary), "")
        return replace(
            base,
            verdict=result.verdict,
            run_id=result.run_id,
            folder=run.folder,
            message=scrubber.text(message),
            kind=str(error.kind) if error else "",
        )

    def with_run(self, outcome: ClientOutcome, run_id: str | None) -> ClientOutcome:
        """`outcome` with its run's id and folder (from the history: `execute` raised)."""
        if run_id is None:
            return outcome
        config = self.fleet.config
        with closing(History(config.resolve(config.runs.history))) as history:
            row = history.get_run(run_id)
        folder = Path(row.run_dir) if row and row.run_dir else None
        return replace(outcome, run_id=run_id, folder=folder)


class RunTracker:
    """Listener: the run's id, whether a step has begun, and the live view's current step."""

    def __init__(self, client: str, observe: Observer, browser: str) -> None:
        self.client, self.observe, self.browser = client, observe, browser
        self.run_id: str | None = None
        self.acted = False  # a step has begun: from here a lost browser fails the run

    def __call__(self, event: Event) -> None:
        if isinstance(event, RunStarted):
            self.run_id = event.run_id
            self.observe(self._progress(""))
        elif isinstance(event, StepEvent) and event.status is StepStatus.STARTED:
            self.acted = True
            self.observe(self._progress(event.description))

    def _progress(self, step: str) -> ClientProgress:
        return ClientProgress(self.client, "running", step, self.run_id or "", self.browser)


def _progress(outcome: ClientOutcome) -> ClientProgress:
    return ClientProgress(
        outcome.client, outcome.verdict, outcome.message, outcome.run_id or "", outcome.browser
    )
