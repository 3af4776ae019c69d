"""Runs a validated runbook: `when`, templates, timeouts, retries, events; then `finally`."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

from bot.engine.context import EngineContext, RunSettings, RunState
from bot.engine.events import (
    EventBus,
    RunFinished,
    RunStarted,
    StepEvent,
    StepStatus,
    within_step,
)
from bot.engine.explain import explain
from bot.engine.interrupts import stop_requested
from bot.engine.rendering import rendered
from bot.engine.step_context import PageServices, Scope
from bot.engine.taint import withheld
from bot.errors import FailureKind, RunInterrupted, StepError
from bot.language.checks import MAX_USE_DEPTH
from bot.language.document import Runbook, StepNode
from bot.language.params import bind_params
from bot.language.registry import Registry, StepSpec
from bot.language.templating import evaluate

# finds a runbook by name for `use:` (raises InputError when there is none)
RunbookLookup = Callable[[str], Runbook]

SKIPPABLE = (FailureKind.NOT_FOUND, FailureKind.TIMEOUT)
LEAVE_BEFORE_RETRY = (FailureKind.SERVER_ERROR, FailureKind.NAVIGATION)


@dataclass
class RunResult:
    run_id: str
    verdict: str  # passed | failed | interrupted
    error: StepError | None = None
    failed_step: StepNode | None = None
    vars: dict[str, str] = field(default_factory=dict)
    failed_path: str | None = None  # the failed step's place in the run (`StepEvent.path`)


class Runner:
    """Executes steps with the registry's actions and reports each one on the EventBus."""

    def __init__(
        self,
        services: PageServices,
        state: RunState,
        bus: EventBus,
        *,
        registry: Registry,
        runbooks: RunbookLookup | None = None,
        settings: RunSettings | None = None,
        run_id: str | None = None,
    ) -> None:
        self.services, self.state, self.bus = services, state, bus
        self.registry, self.runbooks = registry, runbooks
        self.ctx = EngineContext(
            services, state, settings or RunSettings(), self.run_children, self.run_use
        )
        self.run_id = run_id or uuid.uuid4().hex[:8]
        self.depth = 0
        self.using: list[str] = []  # the runbooks `use`d around the current step, outermost first
        self.current: StepNode | None = None
        # the innermost step that failed: the one place that decides "the failing step"
        self.failed_step: StepNode | None = None
        self.failed_path: str | None = None
        # a step's place in the run: its path, after the place of each `use` step around it
        self.prefix = ""

    def run(
        self,
        runbook: Runbook,
        client_name: str | None = None,
        masked_params: dict[str, Any] | None = None,
    ) -> RunResult:
        self.bus.emit(
            RunStarted(self.run_id, runbook.name, client_name, masked_params or {}, time.time())
        )
        error: StepError | None = None
        verdict = "passed"
        self.using = [runbook.name]
        try:
            self.run_nodes(runbook.steps)
        except StepError as exc:
            error, verdict = exc, "failed"
            if stop_requested():  # e.g. a terminal's Ctrl-C also reached the browser
                error, verdict = (
                    StepError(FailureKind.STOPPED, "interrupted (Ctrl-C)"),
                    "interrupted",
                )
        except KeyboardInterrupt:
            error = StepError(FailureKind.STOPPED, "interrupted (Ctrl-C)")
            verdict = "interrupted"
        finally:
            # Ctrl-C means stop now: `finally` steps are skipped so the browser closes at once
            final_error = None if verdict == "interrupted" else self._run_finally(runbook)
        if error is None and final_error is not None:
            error, verdict = final_error, "failed"
        self.bus.emit(
            RunFinished(
                self.run_id,
                verdict,
                time.time(),
                error.message if error else None,
                str(error.kind) if error else None,
                dict(self.state.vars),
                screenshot=self._final_screenshot(),
                failing_step=self.failed_path if error else None,
            )
        )
        if verdict == "interrupted":
            raise RunInterrupted("interrupted: the browser was closed and the run recorded")
        return RunResult(
            self.run_id,
            verdict,
            error,
            self.failed_step if error else None,
            dict(self.state.vars),
            self.failed_path if error else None,
        )

    def _final_screenshot(self) -> str | None:
        """The page as the run left it: the last screenshot when no step ran since, else a new one
        (none when the browser is already gone)."""
        try:
            return self.ctx.latest_shot or self.ctx.step_screenshot("final state", failed=False)
        except KeyboardInterrupt:  # Ctrl-C again: stop at once
            return None

    def _run_finally(self, runbook: Runbook) -> StepError | None:
        try:
            self.run_nodes(runbook.finally_)
        except StepError as exc:
            return exc
        except KeyboardInterrupt:
            return StepError(FailureKind.STOPPED, "interrupted during `finally`")
        return None

    def run_nodes(self, nodes: tuple[StepNode, ...]) -> None:
        for node in nodes:
            self.run_node(node)

    def run_children(self, scope: Scope, branch: str | None = None) -> None:
        """Run the current step's nested steps (or those of its `branch`) with locators limited
        to `scope`."""
        node, saved = self.current, self.ctx.narrowed  # None: whichever page it then acts in
        assert node is not None
        nodes = node.children if branch is None else node.branch(branch)
        matched = self.ctx.matched, self.ctx.match_name  # what this step chose, not its children
        self.ctx.scope, self.depth = scope, self.depth + 1
        try:
            self.run_nodes(nodes)
        finally:
            self.ctx.narrowed, self.depth, self.current = saved, self.depth - 1, node
            self.ctx.matched, self.ctx.match_name = matched

    def run_use(self, name: str, given: dict[str, Any]) -> None:
        """Run another runbook here with `given` params; its captures stay in `vars`."""
        if self.runbooks is None:
            raise StepError(FailureKind.ERROR, "`use` needs a runbooks folder")
        if name in self.using or len(self.using) >= MAX_USE_DEPTH:
            chain = " → ".join((*self.using, name))
            raise StepError(FailureKind.ERROR, f"`use` cycle or nesting too deep: {chain}")
        runbook = self.runbooks(name)
        saved_params, node, prefix = self.state.params, self.current, self.prefix
        assert node is not None
        matched = self.ctx.matched, self.ctx.match_name  # the `use` step chose nothing itself
        self.state.params = bind_params(runbook, given)
        self.depth += 1
        self.using.append(name)
        # the used runbook's paths start again at steps[0]: placed under the `use` step's
        self.prefix = f"{self._path(node)}.use."
        try:
            self.run_nodes(runbook.steps)
        finally:
            try:
                self.run_nodes(runbook.finally_)
            finally:
                self.prefix = prefix
            self.using.pop()
            self.state.params, self.depth, self.current = saved_params, self.depth - 1, node
            self.ctx.matched, self.ctx.match_name = matched

    def run_node(self, node: StepNode) -> None:
        if stop_requested():
            raise KeyboardInterrupt  # asked to stop: before this step, never inside Playwright
        self.current = node
        env = node.envelope
        started = time.time()
        if env.when and not self._condition(node, env.when, started):
            self._emit(
                node, StepStatus.SKIPPED, started, message=f"`when: {env.shown_when}` is false"
            )
            return
        self._emit(node, StepStatus.STARTED, started)
        # the trace shows the runbook: this step's browser calls (and nested steps) in a group
        with self.services.step_group(f"{node.describe()}  {node.where}", node.file, node.line):
            self._run_started(node, started)

    def _run_started(self, node: StepNode, started: float) -> None:
        env = node.envelope
        spec = self.registry[node.action]
        settings = self.ctx.settings
        timeout = env.timeout if env.timeout is not None else settings.default_timeout
        self.ctx.timeout_ms = timeout * 1000
        # a step's own `timeout:` bounds its page loads too; else the client's navigation timeout
        navigation = env.timeout if env.timeout is not None else settings.navigation_timeout
        self.ctx.navigation_timeout_ms = navigation * 1000
        self.ctx.optional = env.optional
        before = dict(self.state.vars)
        self.ctx.latest_shot = None  # the step may change the page
        attempt = self._attempts(node, spec, started)
        if attempt is None:
            return
        shot = None if spec.nested else self._screenshot_after(node, spec)
        captured = {k: v for k, v in self.state.vars.items() if before.get(k) != v}
        self._emit(
            node, StepStatus.PASSED, started, attempt=attempt, screenshot=shot, captured=captured
        )

    def _screenshot_after(self, node: StepNode, spec: StepSpec) -> str | None:
        """The screenshot the policy wants after a step that passed (or the one the step took)."""
        policy = self.ctx.settings.screenshots
        wanted = policy == "every-step" or (policy == "on-change" and spec.changes_page)
        if self.ctx.latest_shot is not None or not wanted:
            return self.ctx.latest_shot
        return self.ctx.step_screenshot(node.describe(), failed=False)

    def _attempts(self, node: StepNode, spec: StepSpec, started: float) -> int | None:
        """Run the step, retrying as its envelope says: the attempt that passed, or None when an
        optional step was skipped; raises the StepError that failed it."""
        retry, attempt, moved = node.envelope.retry, 1, False
        while True:
            self.ctx.matched, self.ctx.match_name = None, None
            try:
                spec.function(self.ctx, rendered(node.args, self.state, spec.secret_arg))
                # a step that led to a dead end (an error page, an OAuth error…) failed; a step
                # that only read the page led nowhere
                dead = self.ctx.dead_end() if spec.changes_page and not spec.nested else None
                if dead is not None:
                    raise dead
                return attempt
            except Exception as exc:
                error = withheld(self.services.classify(exc), self.state.taint)
            if (
                error.kind is FailureKind.BROWSER_CLOSED
                and not moved
                and self.services.window_open()
            ):
                moved = True  # the pop-up it acted in closed: once more, in the window it is in
                self._forget_failure_inside(node)
                continue
            if node.envelope.optional and error.kind in SKIPPABLE:
                self._forget_failure_inside(node)
                self._emit(node, StepStatus.SKIPPED, started, message=f"optional: {error.message}")
                return None
            if not spec.nested:  # what the page shows may say why (nested: said already)
                error = withheld(explain(error, self.services, self.state.client), self.state.taint)
            if retry is None or attempt > retry.count or error.kind not in retry.on:
                self._fail(node, started, attempt, error)
            self._forget_failure_inside(node)
            self._emit(node, StepStatus.RETRIED, started, attempt=attempt, error=error)
            time.sleep(retry.backoff * 2 ** (attempt - 1))
            if error.kind in LEAVE_BEFORE_RETRY:  # on an error page: back to where the step acts
                self.services.leave_error_page(self.ctx.navigation_timeout_ms)
            attempt += 1

    def _path(self, node: StepNode) -> str:
        return self.prefix + node.path

    def _failed(self, node: StepNode) -> None:
        """Remember `node` as the failing step unless a step inside it failed first."""
        if self.failed_step is None:
            self.failed_step, self.failed_path = node, self._path(node)

    def _forget_failure_inside(self, node: StepNode) -> None:
        """A step inside `node` failed, but `node` goes on (skipped as optional, or retried):
        that failure is not the run's."""
        if self.failed_path is not None and within_step(self.failed_path, self._path(node)):
            self.failed_step, self.failed_path = None, None

    def _fail(self, node: StepNode, started: float, attempt: int, error: StepError) -> NoReturn:
        self._failed(node)
        # a step around the one that failed shows the same page: its screenshot serves
        shot = self.ctx.latest_shot or self.ctx.step_screenshot(node.describe(), failed=True)
        self._emit(node, StepStatus.FAILED, started, attempt=attempt, error=error, screenshot=shot)
        raise error from None

    def _condition(self, node: StepNode, when: str, started: float) -> bool:
        """`when:`, evaluated; a condition that cannot be evaluated fails the step, located."""
        try:
            return evaluate(when, self.state.template_context())
        except StepError as raised:
            error = withheld(raised, self.state.taint)
            self._failed(node)
            self._emit(node, StepStatus.FAILED, started, error=error)
            raise error from None

    def _emit(
        self,
        node: StepNode,
        status: StepStatus,
        started: float,
        *,
        attempt: int = 1,
        message: str | None = None,
        error: StepError | None = None,
        screenshot: str | None = None,
        captured: dict[str, str] | None = None,
    ) -> None:
        now = time.time()
        done = status is not StepStatus.STARTED
        self.bus.emit(
            StepEvent(
                self.run_id,
                self._path(node),
                node.describe(),
                status,
                now,
                duration=now - started if done else None,
                attempt=attempt,
                message=error.message if error else message,
                failure_kind=str(error.kind) if error else None,
                matched=self.ctx.matched if status == StepStatus.PASSED else None,
                source=node.where,
                depth=self.depth,
                screenshot=screenshot,
                captured=captured or {},
            )
        )
