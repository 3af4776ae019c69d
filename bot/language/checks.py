"""Checks that need the whole runbook (and, when known, the client and params): names,
variables, secrets, and the runbooks it `use`s (followed, with their params, cycles refused)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from jinja2 import TemplateSyntaxError
from pydantic import BaseModel

from bot.errors import FailureKind, StepError
from bot.language.diagnostics import Diagnostic, did_you_mean
from bot.language.document import Runbook, StepNode
from bot.language.envelope import Envelope
from bot.language.loader import captured_names
from bot.language.secret_checks import (
    SECRET_LOOKING,
    SecretTarget,
    check_literal_secret,
    check_reads_secret_field,
    check_secret_params,
    check_secret_use,
    identities,
)
from bot.language.secrets import Secret
from bot.language.source import Source
from bot.language.templating import (
    FUNCTIONS,
    NAMESPACES,
    evaluate,
    is_template,
    references,
    render,
)

__all__ = ["SECRET_LOOKING", "CheckContext", "check_runbook", "field_line"]

RunbookLookup = Callable[[str], Runbook | None]
MAX_USE_DEPTH = 8  # runbooks `use`d inside each other
RUNBOOK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$|\{\{")
_WHOLE_PARAM = re.compile(r"^\s*\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$")


@dataclass
class CheckContext:
    """What is known before a run: the client's settings and secrets (None when no client), the
    params (None when not bound), how to find `use`d runbooks; and what the checks found."""

    settings: dict[str, Any] | None = None
    secret_names: set[str] | None = None
    lookup: RunbookLookup | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    params: dict[str, Any] | None = None
    stack: tuple[str, ...] = ()  # the runbooks being checked, outermost first
    secret_targets: list[SecretTarget] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)  # of every runbook checked


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
    check_reads_secret_field(node, ctx.secret_targets, _problem_at(node, node.path, ctx))
    if node.action == "use":
        _check_use(node, ctx)


def _problem_at(node: StepNode, where: str, ctx: CheckContext) -> Callable[[str], None]:
    def problem(message: str) -> None:
        ctx.problems.append(Diagnostic(node.file, field_line(node, where), where, message))

    return problem


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
    problem = _problem_at(node, where, ctx)
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


def field_line(node: StepNode, where: str) -> int:
    """The line of the field `where` names (`…when`, `…fill.value`) in the step, else the step's."""
    field = re.escape(where.rsplit(".", 1)[-1].split("[", 1)[0])
    pattern = re.compile(rf"(^|[\s{{,-]){field}\s*:")
    for offset, text in enumerate(node.yaml.splitlines()):
        if pattern.search(text):
            return node.line + offset
    return node.line


def _check_use(node: StepNode, ctx: CheckContext) -> None:
    args: Any = node.args
    name, where = str(args.runbook), f"{node.path}.use"
    problem = _problem_at(node, f"{where}.runbook", ctx)
    if not RUNBOOK_NAME.match(name):
        if not is_template(name):  # a name from a param is checked when the run gets there
            problem(
                f"'{name}' is not a runbook name: `use:` takes the name of a runbook in the "
                "configured runbook folders (no paths)"
            )
        return
    called = ctx.lookup(name) if ctx.lookup is not None else None
    if called is None:
        if ctx.lookup is not None:
            problem(f"no runbook named '{name}' in the runbook folders")
        return
    _check_with(node, called, ctx)
    if called.name in ctx.stack:
        cycle = " → ".join((*ctx.stack[ctx.stack.index(called.name) :], called.name))
        problem(f"`use` cycle: {cycle}; a runbook may not use itself, directly or through others")
    elif len(ctx.stack) >= MAX_USE_DEPTH:
        problem(f"`use` nested more than {MAX_USE_DEPTH} runbooks deep: {' → '.join(ctx.stack)}")
    else:
        params = _params_for(called, args.with_, ctx.params)
        _check(called, replace(ctx, params=params, stack=(*ctx.stack, called.name)))


def _check_with(node: StepNode, called: Runbook, ctx: CheckContext) -> None:
    args: Any = node.args
    for key in args.with_:
        if key not in called.head.params:
            _problem_at(node, f"{node.path}.use.with.{key}", ctx)(
                f"'{called.name}' has no param '{key}'{did_you_mean(key, called.head.params)}"
            )
    for name, spec in called.head.params.items():
        if spec.required and name not in args.with_:
            _problem_at(node, f"{node.path}.use.with", ctx)(
                f"'{called.name}' needs the param '{name}'"
            )


def _params_for(
    called: Runbook, given: dict[str, Any], outer: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The params `called` gets, as far as they are known before a run (None: not known)."""
    if outer is None:
        return None
    params: dict[str, Any] = {}
    for name, spec in called.head.params.items():
        value = given.get(name, spec.default)
        if isinstance(value, str) and is_template(value):
            whole = _WHOLE_PARAM.match(value)
            value = outer.get(whole.group(1)) if whole else None
        params[name] = value
    return params
