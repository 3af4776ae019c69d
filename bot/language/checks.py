"""Checks that need the whole runbook (and, when known, the client and params): names,
variables, secrets, and the runbooks it `use`s (followed, with their params, cycles refused)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from jinja2 import TemplateSyntaxError
from pydantic import BaseModel

from bot.errors import FailureKind, StepError
from bot.language.check_context import CheckContext, field_line, problem_at
from bot.language.diagnostics import Diagnostic, did_you_mean
from bot.language.document import Runbook, StepNode
from bot.language.envelope import Envelope
from bot.language.loader import captured_names
from bot.language.secret_checks import (
    SECRET_LOOKING,
    check_literal_secret,
    check_reads_secret_field,
    check_secret_params,
    check_secret_use,
    identities,
)
from bot.language.secrets import Secret
from bot.language.templating import (
    FUNCTIONS,
    NAMESPACES,
    evaluate,
    is_template,
    references,
    render,
)
from bot.language.use_checks import MAX_USE_DEPTH, check_use

__all__ = ["MAX_USE_DEPTH", "SECRET_LOOKING", "CheckContext", "check_runbook", "field_line"]


def check_runbook(runbook: Runbook, ctx: CheckContext) -> list[Diagnostic]:
    """Every problem found in `runbook` (and the runbooks it uses), in document order."""
    _check(runbook, replace(ctx, stack=(*ctx.stack, runbook.name)))
    unique: dict[Diagnostic, None] = dict.fromkeys(ctx.problems)  # a runbook used twice: once
    ctx.problems[:] = list(unique)
    return ctx.problems


def _check(runbook: Runbook, ctx: CheckContext) -> None:
    ctx.sources.setdefault(runbook.source.path, runbook.source)
    known_vars: set[str] = set()
    for node in _walk(runbook.steps):
        _check_step(runbook, node, known_vars, ctx)
        known_vars |= _captures_of(node, ctx)
    for node in _walk(runbook.finally_):
        _check_step(runbook, node, set(runbook.captures) | known_vars, ctx)
    _check_summary(runbook, set(runbook.captures) | known_vars, ctx)


def _check_summary(runbook: Runbook, known_vars: set[str], ctx: CheckContext) -> None:
    """`summary:` lines see every captured variable (some may be missing: guard with `when`)."""
    lines = runbook.source.text.splitlines()
    line = next((n for n, text in enumerate(lines, 1) if text.startswith("summary:")), 1)
    holder = StepNode(
        "summary",
        Envelope.model_validate({}),
        runbook.head,
        runbook.source.path,
        line,
        "summary",
        "",
    )
    for index, item in enumerate(runbook.head.summary):
        where = f"summary[{index}]"
        if is_template(item.message):
            _check_template(
                runbook, holder, f"{where}.message", item.message, known_vars, ctx, expression=False
            )
        if item.when:
            _check_template(
                runbook, holder, f"{where}.when", item.when, known_vars, ctx, expression=True
            )


def _walk(nodes: tuple[StepNode, ...]) -> Iterator[StepNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _captures_of(node: StepNode, ctx: CheckContext) -> set[str]:
    found = set(captured_names(node))
    if node.action == "use" and ctx.lookup is not None:
        name = node.args.runbook  # type: ignore[attr-defined]
        called = None if is_template(name) else ctx.lookup(name)
        if called is not None:
            found |= set(called.captures)
    return found


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(dotted field path, text) for every string inside a step's arguments."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name != "steps":
                yield from _strings(getattr(value, name), f"{where}.{name.rstrip('_')}")
    elif isinstance(value, str):
        yield where, value
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")


def _check_step(runbook: Runbook, node: StepNode, known_vars: set[str], ctx: CheckContext) -> None:
    texts = list(_strings(node.args, f"{node.path}.{node.action}"))
    if node.envelope.label:
        texts.append((f"{node.path}.label", node.envelope.label))
    for where, text in texts:
        if is_template(text):
            _check_template(runbook, node, where, text, known_vars, ctx, expression=False)
    if node.envelope.when:
        _check_template(
            runbook, node, f"{node.path}.when", node.envelope.when, known_vars, ctx, expression=True
        )
    if node.action == "fill":
        literal = check_literal_secret(node)
        if literal is not None:
            ctx.problems.append(literal)
        value = str(getattr(node.args, "value", ""))
        if is_template(value) and "secret(" in value:
            ctx.secret_targets += [(key, node.where) for key in identities(node.args)]
    check_reads_secret_field(node, ctx.secret_targets, problem_at(node, node.path, ctx))
    if node.action == "use":
        check_use(node, ctx, _check)


def _check_template(
    runbook: Runbook,
    node: StepNode,
    where: str,
    text: str,
    known_vars: set[str],
    ctx: CheckContext,
    *,
    expression: bool,
) -> None:
    problem = problem_at(node, where, ctx)
    try:
        found = references(text, expression=expression)
    except TemplateSyntaxError as exc:
        problem(f"template error: {exc.message}")
        return
    if not found.names:  # a constant: what it does at run time, it does now (too big, too slow)
        _check_constant(text, expression, problem)
    for name in sorted(found.names - set(NAMESPACES) - set(FUNCTIONS)):
        problem(f"undefined name '{name}': use params.{name}, client.{name} or vars.{name}")
    for namespace, attr in sorted(found.attributes - found.guarded):
        if namespace == "params" and attr not in runbook.head.params:
            problem(
                f"undefined param '{attr}'{did_you_mean(attr, runbook.head.params)}"
                " — declare it under `params:`"
            )
        elif namespace == "vars" and attr not in known_vars:
            problem(
                f"variable '{attr}' is used before any step captures it (`as: {attr}`)"
                f"{did_you_mean(attr, known_vars) if known_vars else ''}"
            )
        elif namespace == "client" and ctx.settings is not None and attr not in ctx.settings:
            problem(f"the client has no setting '{attr}'{did_you_mean(attr, ctx.settings)}")
    if found.secret_names or found.secret_params or "secret" in found.names:
        check_secret_use(
            node, where, found.secret_is_whole, found.secret_names, ctx.secret_names, problem
        )
    check_secret_params(found.secret_params, ctx.params, ctx.secret_names, problem)


def _check_constant(text: str, expression: bool, problem: Callable[[str], None]) -> None:
    try:
        if expression:
            evaluate(text, {})
        else:
            render(text, {}, _no_secret)
    except StepError as error:
        problem(error.message)


def _no_secret(name: str) -> Secret:  # a constant template calls no function
    raise StepError(FailureKind.ERROR, f"secret('{name}') in a constant")
