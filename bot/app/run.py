"""One run from start to verdict: plan, lock, browser, engine, evidence, the printed verdict.

`execute` checks everything first (bad input raises InputError before anything starts), then
`_run_prepared` composes the pieces: a run folder and its evidence, the browser page and its
services, the engine with the built-in actions, and the facts the run remembers.
"""

from __future__ import annotations

import asyncio
import secrets as random_ids
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing, contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from bot.app.browser import BrowserChoice, choose_browser
from bot.app.catalog import Catalog
from bot.app.config import Config
from bot.app.due import standing_facts
from bot.app.interaction import interaction_listeners
from bot.app.locks import client_lock
from bot.app.options import RunOptions, RunOutcome
from bot.app.plan import Plan, make_plan
from bot.app.simulators import client_world, starts_simulators
from bot.app.verdict import bot_command, interrupted_text, verdict_text
from bot.app.writable import check_writable
from bot.engine.context import RunSettings, RunState
from bot.engine.events import EventBus, Listener
from bot.engine.runner import Runner, RunResult
from bot.engine.summary import summary_lines
from bot.errors import RunInterrupted
from bot.evidence import (
    ConsoleReporter,
    History,
    JsonReporter,
    RunEvidence,
    RunFolder,
    Scrubber,
    printable,
    sweep_unscrubbed,
)
from bot.steps import PlaywrightServices

if TYPE_CHECKING:
    from playwright.sync_api import Page


def execute(
    config: Config,
    catalog: Catalog,
    runbook: str,
    client: str | None,
    params: dict[str, Any],
    options: RunOptions,
    out: TextIO,
) -> RunOutcome:
    """Validate everything, then run in a browser. Raises InputError before anything starts."""
    if starts_simulators(config, client):  # bad input stops here, before they start
        make_plan(config, catalog, runbook, client, params, resolve=False)
    with ExitStack() as stack:
        world, environ = stack.enter_context(client_world(config, client))
        plan = make_plan(world, catalog, runbook, client, params, environ=environ)
        check_writable(config, client)  # before the lock and the browser: nothing started
        if client:
            stack.enter_context(
                client_lock(config.resolve(".bot/locks"), client, options.lock_wait)
            )
        if options.page is None and event_loop_running():
            # Playwright's sync API refuses to start inside a running asyncio loop (e.g. in a
            # test that already uses pytest-playwright): the run gets a thread of its own
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bot-run") as pool:
                return pool.submit(_run_prepared, world, catalog, plan, options, out).result()
        return _run_prepared(world, catalog, plan, options, out)
    raise AssertionError("unreachable")  # pragma: no cover


def event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _run_prepared(
    config: Config, catalog: Catalog, plan: Plan, options: RunOptions, out: TextIO
) -> RunOutcome:
    choice = choose_browser(
        ws_endpoint=options.browser_ws or config.browser.ws_endpoint,
        cdp_endpoint=options.cdp or config.browser.cdp_endpoint,
        configured_path=config.browser.executable_path,
    )
    run_id = random_ids.token_hex(4)
    scrubber = options.scrubber if options.scrubber is not None else Scrubber()
    for secret in plan.secrets.values():
        scrubber.add(secret.reveal(), typed=True)
    if plan.client_name:  # the client's lock is held: no other run of it is sealing
        sweep_unscrubbed(config.resolve(config.runs.root), str(plan.client_name))
    folder = RunFolder.planned(
        config.resolve(config.runs.root), plan.client_name, plan.runbook.name, run_id
    )
    history_path = config.resolve(config.runs.history)
    browser = ExitStack()  # closed while the evidence is sealed (in a thread meanwhile)
    seal_with = options.offload or (None if options.page is not None else _while_closing(browser))
    with (
        browser,
        closing(History(history_path, scrubber)) as history,
        RunEvidence.open(folder, scrubber, history, config.runs.trace, seal_with) as evidence,
    ):
        reporters = [] if options.quiet else [_reporter(options, out, scrubber)]
        bus = EventBus([*reporters, *options.extra_listeners, *evidence.listeners()])
        state = _state(plan, run_id, history)
        element_timeout, navigation_timeout = config.timeouts(plan.client_name)
        settings = RunSettings(
            element_timeout,
            navigation_timeout,
            headless=not options.headed,
            files=folder,
            screenshots=options.screenshots or config.runs.screenshots,
            secret_field=scrubber.mask_field,
        )
        result: RunResult | None = None
        interrupted: RunInterrupted | None = None
        page = browser.enter_context(_page(choice, options))
        services = PlaywrightServices(page)
        for listener in interaction_listeners(options, services, settings.headless):
            bus.subscribe(listener)
        try:
            evidence.start(page, screencast=plan.screencast)
            runner = Runner(
                services,
                state,
                bus,
                registry=catalog.registry,
                runbooks=catalog.get_named,
                settings=settings,
                run_id=run_id,
            )
            result = runner.run(plan.runbook, plan.client_name, plan.masked_params())
        except RunInterrupted as exc:
            interrupted = exc
        finally:
            evidence.stop_browser_side()
        unrecorded = next((e for e in bus.errors if isinstance(e, sqlite3.Error)), None)
        if unrecorded is not None:  # locked or full while the run went on: say it, never hide it
            evidence.notes.append(
                f"the run history could not record all of this run ({unrecorded}): `bot runs` "
                "may not show it or its last steps; this folder holds its evidence"
            )
        verdict = result.verdict if result else "interrupted"
        evidence.summary = summary_lines(plan.runbook, state, verdict)
        if verdict == "passed" and _remembers(plan):
            names = plan.runbook.head.remember
            clean = {k: v for k, v in state.vars.items() if state.secret_in(v) is None}
            history.remember(run_id, str(plan.client_name), clean, names)
    if interrupted is not None:
        if not options.quiet:
            said = interrupted_text(run_id, evidence.summary, evidence.notes, folder.path)
            out.write(printable(scrubber.text(said)))
        raise interrupted
    assert result is not None
    outcome = RunOutcome(result, folder.path, evidence.summary, plan, evidence.notes)
    if not (options.json or options.quiet):
        out.write(printable(scrubber.text(verdict_text(outcome, bot_command(config.path)))))
    return outcome


def _while_closing(browser: ExitStack) -> Callable[[Callable[[], None]], None]:
    """Seal the evidence in a thread while this thread closes the browser: the trace is already
    saved, and scrubbing it need not wait for Chromium to shut down."""

    def seal_with(seal: Callable[[], None]) -> None:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bot-seal") as pool:
            sealing = pool.submit(seal)
            browser.close()
        sealing.result()

    return seal_with


def _remembers(plan: Plan) -> bool:
    """Built-in simulators start fresh each run: what a run learns about them is not a fact."""
    return bool(plan.client_name) and not plan.simulated


def _state(plan: Plan, run_id: str, history: History) -> RunState:
    facts = standing_facts(history, plan.client_name) if _remembers(plan) else {}
    return RunState(
        client=plan.client,
        params=plan.params,
        secrets=plan.secrets,
        facts=facts.get(str(plan.client_name), {}),
        run={"id": run_id, "today": time.strftime("%Y-%m-%d")},
    )


def _reporter(options: RunOptions, out: TextIO, scrubber: Scrubber) -> Listener:
    if options.json:
        return JsonReporter(out, scrub=scrubber.text)
    return ConsoleReporter(out, scrub=scrubber.text)


@contextmanager
def _page(choice: BrowserChoice, options: RunOptions) -> Iterator[Page]:
    """The page the run drives: the caller's, or a new browser session's (closed afterwards)."""
    if options.page is not None:
        yield options.page
        return
    from bot.app.session import open_session

    with open_session(choice, headless=not options.headed, slow_mo=options.slow_mo) as session:
        yield session.page
