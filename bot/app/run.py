"""One run from start to verdict: plan, lock, browser, engine, evidence, the printed verdict."""

from __future__ import annotations

import asyncio
import secrets as random_ids
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot.app.browser import choose_browser
from bot.app.catalog import Catalog
from bot.app.config import ClientConfig, Config
from bot.evidence.console import ConsoleReporter, JsonReporter
from bot.engine.context import RunContext
from bot.engine.runner import Runner, RunResult
from bot.errors import RunInterrupted
from bot.engine.events import Event, EventBus, StepEvent, StepStatus
from bot.evidence.recording import Evidence
from bot.evidence.facts import FactStore
from bot.app.locks import client_lock
from bot.app.plan import Plan, make_plan
from bot.engine.summary import summary_lines
from bot.evidence import History, RunFolder, Scrubber


@dataclass
class RunOptions:
    headed: bool = False
    slow_mo: float = 0
    browser_ws: str | None = None
    cdp: str | None = None
    step_through: bool = False
    pause_on_failure: bool = False
    json: bool = False
    lock_wait: float = 0.0
    page: Any = None  # run in this page (e.g. pytest-playwright's) instead of a new browser
    scrubber: Any = None  # share a Scrubber across runs (the pytest plugin scrubs its output)
    extra_listeners: list[Callable[[Event], None]] = field(default_factory=list)


@dataclass
class RunOutcome:
    result: RunResult
    folder: Path
    summary: list[str]
    plan: Plan
    notes: list[str] = field(default_factory=list)


@contextmanager
def _client_world(config: Config, client: str | None) -> Iterator[Config]:
    """The config, with a `simulators: builtin` client pointed at simulators started for the run."""
    spec: ClientConfig | None = config.client(client) if client else None
    if spec is None or spec.simulators != "builtin":
        yield config
        return
    from bot.app.simulators import builtin_simulators

    with builtin_simulators(spec) as rewired:
        yield config.model_copy(update={"clients": {**config.clients, str(client): rewired}})


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
    make_plan(config, catalog, runbook, client, params, resolve=False)  # bad input stops here
    with ExitStack() as stack:
        world = stack.enter_context(_client_world(config, client))
        plan = make_plan(world, catalog, runbook, client, params)
        if client:
            stack.enter_context(
                client_lock(config.resolve(".bot/locks"), client, options.lock_wait)
            )
        if options.page is None and _event_loop_running():
            # Playwright's sync API refuses to start inside a running asyncio loop (e.g. in a
            # test that already uses pytest-playwright): the run gets a thread of its own
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bot-run") as pool:
                return pool.submit(_run, world, catalog, plan, options, out).result()
        return _run(world, catalog, plan, options, out)
    raise AssertionError("unreachable")  # pragma: no cover


def _event_loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _run(
    config: Config, catalog: Catalog, plan: Plan, options: RunOptions, out: TextIO
) -> RunOutcome:
    choice = choose_browser(
        ws_endpoint=options.browser_ws or config.browser.ws_endpoint,
        cdp_endpoint=options.cdp or config.browser.cdp_endpoint,
        configured_path=config.browser.executable_path,
    )
    run_id = random_ids.token_hex(4)
    history_path = config.resolve(config.runs.history)
    facts = FactStore(history_path)
    # built-in simulators start fresh each run: what a run learns about them is not a fact
    remembers = bool(plan.client_name) and not plan.simulated
    folder = RunFolder.create(
        config.resolve(config.runs.root), plan.client_name, plan.runbook.name, run_id
    )
    scrubber = options.scrubber if options.scrubber is not None else Scrubber()
    for secret in plan.secrets.values():
        scrubber.add(secret.reveal())
    evidence = Evidence(folder, scrubber, History(history_path, scrubber), config.runs.trace)
    reporter = (
        JsonReporter(out, scrub=scrubber.text)
        if options.json
        else ConsoleReporter(out, scrub=scrubber.text)
    )
    bus = EventBus([reporter, *options.extra_listeners])
    evidence.listeners(bus)
    result: RunResult | None = None
    interrupted: RunInterrupted | None = None
    try:
        with _page(choice, options) as page:
            ctx = RunContext(
                page,
                headless=not options.headed,
                default_timeout=config.timeout,
                client=plan.client,
                params=plan.params,
                secrets=plan.secrets,
                run_dir=folder.path,
                facts=facts.get(str(plan.client_name)) if remembers else {},
                run={"id": run_id, "today": time.strftime("%Y-%m-%d")},
            )
            _interaction_listeners(bus, ctx, options)
            evidence.start(page)
            try:
                result = Runner(ctx, bus, catalog, run_id).run(
                    plan.runbook, plan.client_name, plan.masked_params()
                )
            except RunInterrupted as exc:
                interrupted = exc
            finally:
                evidence.stop_browser_side()
        verdict = result.verdict if result else "interrupted"
        summary = summary_lines(plan.runbook, ctx, verdict)
        if verdict == "passed" and remembers:
            names = tuple(plan.runbook.head.remember)
            kept = {name: ctx.vars[name] for name in names if name in ctx.vars}
            facts.put(str(plan.client_name), kept, run_id, forget=names)
        evidence.finish(verdict, summary, _run_facts(ctx.vars))
    finally:
        evidence.close()
    if interrupted is not None:
        said = "".join(f"  {line}\n" for line in summary)  # e.g. what state it left behind
        out.write(scrubber.text(f"\nINTERRUPTED  run {run_id}\n{said}  evidence: {folder.path}\n"))
        raise interrupted
    assert result is not None
    outcome = RunOutcome(result, folder.path, summary, plan, evidence.notes)
    if not options.json:
        out.write(scrubber.text(verdict_text(outcome)))
    return outcome


def _run_facts(variables: dict[str, str]) -> dict[str, Any]:
    """What the run history keeps beside the verdict, when the run found it out."""
    return {
        "acumatica_version": variables.get("acumatica_build"),
        "authorized_user": variables.get("authorized_user"),
        "next_due": variables.get("next_due"),
    }


def _interaction_listeners(bus: EventBus, ctx: RunContext, options: RunOptions) -> None:
    if options.step_through:
        bus.subscribe(_step_through())
    if options.pause_on_failure:
        bus.subscribe(_pause_on_failure(ctx))


@contextmanager
def _page(choice: Any, options: RunOptions) -> Iterator[Any]:
    """The page the run drives: the caller's, or a new browser session's (closed afterwards)."""
    if options.page is not None:
        yield options.page
        return
    from bot.app.session import open_session

    with open_session(choice, headless=not options.headed, slow_mo=options.slow_mo) as session:
        yield session.page


def _step_through() -> Callable[[Event], None]:
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


def verdict_text(outcome: RunOutcome) -> str:
    """The verdict: what happened, where, what to do next, and where the evidence is."""
    result, lines = outcome.result, [""]
    if result.verdict == "passed":
        lines.append(f"PASSED  {outcome.plan.runbook.name}")
    else:
        step = result.failed_step
        where = f" at {step.where} ({step.describe()})" if step else ""
        lines.append(f"FAILED{where}: {result.error.message if result.error else ''}")
        if step is not None:
            lines += ["  the step:", *(f"    {line}" for line in step.yaml.splitlines())]
    lines += [f"  {line}" for line in outcome.summary]
    lines += [f"  note: {note}" for note in outcome.notes]
    lines.append(f"  run {result.run_id}  (bot runs show {result.run_id})")
    folder = outcome.folder
    lines.append(f"  report: {folder / 'report.html'}")
    if (folder / "trace.zip").exists():
        lines.append(f"  trace:  {folder / 'trace.zip'}  (bot trace {result.run_id})")
    return "\n".join(lines) + "\n"
