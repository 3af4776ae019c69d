"""Runs a validated runbook: `when`, templates, timeouts, retries, events; then `finally`."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from bot.app.catalog import Catalog
from bot.engine.context import RunContext
from bot.language.document import Runbook, StepNode
from bot.errors import FailureKind, RunInterrupted, StepError
from bot.engine.events import EventBus, RunFinished, RunStarted, StepEvent, StepStatus
from bot.engine.interrupts import stop_requested
from bot.language.params import bind_params
from bot.language.registry import registry
from bot.language.templating import evaluate, render

SKIPPABLE = (FailureKind.NOT_FOUND, FailureKind.TIMEOUT)


@dataclass
class RunResult:
    run_id: str
    verdict: str  # passed | failed | interrupted
    error: StepError | None = None
    failed_step: StepNode | None = None
    vars: dict[str, str] = field(default_factory=dict)


class Runner:
    """Executes steps against a RunContext and reports each one on the EventBus."""

    def __init__(
        self,
        ctx: RunContext,
        bus: EventBus,
        catalog: Catalog | None = None,
        run_id: str | None = None,
    ) -> None:
        self.ctx, self.bus, self.catalog = ctx, bus, catalog
        self.run_id = run_id or uuid.uuid4().hex[:8]
        self.depth = 0
        self.current: StepNode | None = None
        self.failed_step: StepNode | None = None
        ctx.runner = self

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
                dict(self.ctx.vars),
            )
        )
        if verdict == "interrupted":
            raise RunInterrupted("interrupted: the browser was closed and the run recorded")
        return RunResult(self.run_id, verdict, error, self.failed_step, dict(self.ctx.vars))

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

    def run_children(self, scope: Any) -> None:
        """Run the current step's nested steps with locators limited to `scope`."""
        node, saved = self.current, self.ctx.scope
        assert node is not None
        self.ctx.scope, self.depth = scope, self.depth + 1
        try:
            self.run_nodes(node.children)
        finally:
            self.ctx.scope, self.depth, self.current = saved, self.depth - 1, node

    def run_use(self, name: str, given: dict[str, Any]) -> None:
        """Run another runbook here with `given` params; its captures stay in `vars`."""
        if self.catalog is None:
            raise StepError(FailureKind.ERROR, "`use` needs a runbooks folder")
        runbook = self.catalog.get(name)
        saved_params, node = self.ctx.params, self.current
        self.ctx.params = bind_params(runbook, given)
        self.depth += 1
        try:
            self.run_nodes(runbook.steps)
        finally:
            self.run_nodes(runbook.finally_)
            self.ctx.params, self.depth, self.current = saved_params, self.depth - 1, node

    def run_node(self, node: StepNode) -> None:
        if stop_requested():
            raise KeyboardInterrupt  # asked to stop: before this step, never inside Playwright
        self.current = node
        env = node.envelope
        started = time.time()
        if env.when and not self._condition(node, env.when, started):
            self._emit(node, StepStatus.SKIPPED, started, message=f"`when: {env.when}` is false")
            return
        self._emit(node, StepStatus.STARTED, started)
        spec = registry()[node.action]
        self.ctx.timeout_ms = (
            env.timeout if env.timeout is not None else self.ctx.default_timeout
        ) * 1000
        retry = env.retry
        attempt = 1
        while True:
            self.ctx.matched = None
            self.ctx.server_errors.clear()
            try:
                spec.function(self.ctx, self._rendered(node.args))
                if self.ctx.server_errors and not spec.nested:
                    raise StepError(FailureKind.NAVIGATION, self.ctx.server_errors[-1])
                break
            except Exception as exc:
                if isinstance(exc, KeyboardInterrupt):
                    raise
                error = _classify(exc)
                if env.optional and error.kind in SKIPPABLE:
                    self._emit(
                        node, StepStatus.SKIPPED, started, message=f"optional: {error.message}"
                    )
                    return
                if not spec.nested:  # what the page shows may say why (nested: said already)
                    error = self.ctx.explain(error)
                if retry is not None and attempt <= retry.count and error.kind in retry.on:
                    self._emit(node, StepStatus.RETRIED, started, attempt=attempt, error=error)
                    time.sleep(retry.backoff * 2 ** (attempt - 1))
                    if self.ctx.server_errors:  # on an error page: back to where the step acts
                        self.ctx.leave_error_page()
                    attempt += 1
                    continue
                self.failed_step = self.failed_step or node
                self._emit(
                    node,
                    StepStatus.FAILED,
                    started,
                    attempt=attempt,
                    error=error,
                    screenshot=self.ctx.step_screenshot(node.describe(), failed=True),
                )
                raise error from None
        shot = (
            None
            if spec.nested or not spec.changes_page
            else self.ctx.step_screenshot(node.describe(), failed=False)
        )
        self._emit(node, StepStatus.PASSED, started, attempt=attempt, screenshot=shot)

    def _condition(self, node: StepNode, when: str, started: float) -> bool:
        """`when:`, evaluated; a condition that cannot be evaluated fails the step, located."""
        try:
            return evaluate(when, self.ctx.template_context())
        except StepError as error:
            self.failed_step = self.failed_step or node
            self._emit(node, StepStatus.FAILED, started, error=error)
            raise

    def _rendered(self, args: BaseModel) -> BaseModel:
        return _render_model(args, self.ctx)

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
    ) -> None:
        now = time.time()
        done = status not in (StepStatus.STARTED,)
        self.bus.emit(
            StepEvent(
                self.run_id,
                node.path,
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
            )
        )


def _classify(exc: BaseException) -> StepError:
    from bot.steps import classify

    return classify(exc)


def _render_value(value: Any, ctx: RunContext) -> Any:
    if isinstance(value, str):
        return render(value, ctx.template_context(), ctx.secret)
    if isinstance(value, BaseModel):
        return _render_model(value, ctx)
    if isinstance(value, list):
        return [_render_value(item, ctx) for item in value]
    if isinstance(value, dict):
        return {key: _render_value(item, ctx) for key, item in value.items()}
    return value


def _render_model(model: BaseModel, ctx: RunContext) -> BaseModel:
    updates = {
        name: _render_value(getattr(model, name), ctx)
        for name in type(model).model_fields
        if name != "steps"
    }
    return model.model_copy(update=updates)
