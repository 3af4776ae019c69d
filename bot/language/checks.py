"""Checks that need the whole runbook (and, when known, the client and params): names,
variables, client settings, branches, secrets, and the runbooks it `use`s (followed, with their
params, cycles refused)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from jinja2 import TemplateSyntaxError
from pydantic import BaseModel

from bot.errors import FailureKind, StepError
from bot.language.branch_checks import check_branches, check_comparisons, found_names
from bot.language.check_context import CheckContext, field_line, problem_at
from bot.language.client_checks import check_client_setting, check_requires
from bot.language.diagnostics import Diagnostic, did_you_mean
from bot.language.document import Runbook, StepNode
from bot.language.envelope import Envelope
from bot.language.expression_hints import syntax_hint, undefined_name_hint
from bot.language.registry import STEP_FIELDS
from bot.language.secret_checks import (
    SECRET_LOOKING,
    check_literal_secret,
    check_reads_secret_field,
    check_secret_params,
    check_secret_use,
    identities,
)
from bot.language.secrets import Secret
from bot.language.step_parser import captured_names
from bot.language.template_calls import call_problems
from bot.language.templating import (
    FUNCTIONS,
    NAMESPACES,
    environment,
    evaluate,
    is_template,
    parse,
    references,
    render,
)
from bot.language.use_checks import MAX_USE_DEPTH, check_use

__all__ = ["MAX_USE_DEPTH", "SECRET_LOOKING", "CheckContext", "check_runbook", "field_line"]

Guards = frozenset[tuple[str, str]]  # (namespace, name) tested with `is defined` around a step


@dataclass
class _Walk:
    """What is known at a point of one runbook: the variables captured so far, and the names the
    variables holding an `any:` result may have."""

    runbook: Runbook
    ctx: CheckContext
    known_vars: set[str] = field(default_factory=set)
    found: dict[str, tuple[str, ...]] = field(default_factory=dict)


def check_runbook(runbook: Runbook, ctx: CheckContext) -> list[Diagnostic]:
    """Every problem found in `runbook` (and the runbooks it uses), in document order."""
    _check(runbook, replace(ctx, stack=(*ctx.stack, runbook.name)))
    unique: dict[Diagnostic, None] = dict.fromkeys(ctx.problems)  # a runbook used twice: once
    ctx.problems[:] = list(unique)
    return ctx.problems


def _check(runbook: Runbook, ctx: CheckContext) -> None:
    ctx.sources.setdefault(runbook.source.path, runbook.source)
    for index, setting in enumerate(runbook.head.requires):
        ctx.client_uses.setdefault(
            setting, (runbook.source.path, runbook.line_of("requires", index))
        )
    check_requires(runbook, ctx)
    lost = {name for used in runbook.lost_uses for name in _used_captures(used, ctx)}
    walk = _Walk(runbook, ctx, known_vars={*runbook.lost_captures, *lost})
    for node, guards in _walk(runbook.steps):
        _check_step(walk, node, guards)
        walk.known_vars |= _captures_of(node, ctx)
        walk.found.update(found_names(node))
    walk.known_vars |= runbook.captures
    for node, guards in _walk(runbook.finally_):
        _check_step(walk, node, guards)
        walk.known_vars |= _captures_of(node, ctx)
    _check_summary(walk)
    _check_remember(walk)


def _check_remember(walk: _Walk) -> None:
    """`remember:` names variables a step captures: a misspelt one would be kept as "not
    found" after every passing run, and the fact it meant never kept."""
    runbook, ctx = walk.runbook, walk.ctx
    uses = any(node.action == "use" for node, _ in _walk((*runbook.steps, *runbook.finally_)))
    if uses and ctx.lookup is None:  # what the runbooks it uses capture is not known here
        return
    for index, name in enumerate(runbook.head.remember):
        if name in walk.known_vars:
            continue
        ctx.problems.append(
            Diagnostic(
                runbook.source.path,
                runbook.line_of("remember", index),
                f"remember[{index}]",
                f"no step captures a variable '{name}'"
                f"{did_you_mean(name, walk.known_vars) if walk.known_vars else ''}: `remember:` "
                "keeps variables a step stores (`capture … as:`, `set:`, `wait_for … as:`)",
            )
        )


def _check_summary(walk: _Walk) -> None:
    """`summary:` lines see every captured variable (some may be missing: guard with `when`)."""
    runbook = walk.runbook
    holder = StepNode(
        "summary",
        Envelope.model_validate({}),
        runbook.head,
        runbook.source.path,
        runbook.line_of("summary"),
        "",
        "",
        raw=runbook.raw,
    )
    for index, item in enumerate(runbook.head.summary):
        where = f"summary[{index}]"
        guards = _guards_of(item.when)
        if is_template(item.message):
            _check_template(
                walk, holder, f"{where}.message", item.message, guards, expression=False
            )
        if item.when:
            _check_template(walk, holder, f"{where}.when", item.when, guards, expression=True)


def _walk(
    nodes: tuple[StepNode, ...], guards: Guards = frozenset()
) -> Iterator[tuple[StepNode, Guards]]:
    """Every step in document order, with the settings and variables its `when` (and those of
    the steps around it) test with `is defined`."""
    for node in nodes:
        own = guards | _guards_of(node.envelope.when)
        yield node, own
        yield from _walk(node.children, own)


def _guards_of(when: str | None) -> Guards:
    if not when:
        return frozenset()
    try:
        return references(when, expression=True).guarded
    except TemplateSyntaxError:  # reported where the `when` is checked
        return frozenset()


def _captures_of(node: StepNode, ctx: CheckContext) -> set[str]:
    """What `node` stores in `vars` (for a `use`, what the runbook used does)."""
    found = set(captured_names(node))
    if node.action == "use":
        found |= _used_captures(str(node.args.runbook), ctx)  # type: ignore[attr-defined]
    return found


def _used_captures(name: str, ctx: CheckContext, seen: frozenset[str] = frozenset()) -> set[str]:
    """What the runbook `name` captures, and what those it uses in turn do (they share the
    run's variables)."""
    called = None
    if ctx.lookup is not None and not is_template(name) and name not in seen:
        called = ctx.lookup(name)
    if called is None:
        return set()
    found = set(called.captures)
    nodes = (node for node, _ in _walk((*called.steps, *called.finally_)))
    inner = [str(getattr(node.args, "runbook", "")) for node in nodes if node.action == "use"]
    for used in (*inner, *called.lost_uses):
        found |= _used_captures(used, ctx, seen | {name})
    return found


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(dotted field path, text) for every string inside a step's arguments."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in STEP_FIELDS:
                yield from _strings(getattr(value, name), f"{where}.{name.rstrip('_')}")
    elif isinstance(value, str):
        yield where, value
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}.{key}")


def _check_step(walk: _Walk, node: StepNode, guards: Guards) -> None:
    ctx = walk.ctx
    texts = list(_strings(node.args, f"{node.path}.{node.action}"))
    if node.envelope.label:
        texts.append((f"{node.path}.label", node.envelope.label))
    for where, text in texts:
        if is_template(text):
            _check_template(walk, node, where, text, guards, expression=False)
    if node.envelope.when:
        _check_template(
            walk, node, f"{node.path}.when", node.envelope.when, guards, expression=True
        )
    check_branches(node, lambda where: problem_at(node, where, ctx))
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
    walk: _Walk, node: StepNode, where: str, text: str, guards: Guards, *, expression: bool
) -> None:
    runbook, ctx = walk.runbook, walk.ctx
    problem = problem_at(node, where, ctx)
    try:
        found = references(text, expression=expression)
    except TemplateSyntaxError as exc:
        braces = _braces_hint(text) if expression else ""
        problem(f"template error: {exc.message}{braces or syntax_hint(str(exc.message), text)}")
        return
    env = environment()  # the one that renders it at run time
    calls = call_problems(parse(text, expression=expression), env.filters, env.tests)
    for message in calls:
        problem(message)
    if not found.names and not calls:  # a constant: what it does at run time, it does now
        _check_constant(text, expression, problem)
    for name in sorted(found.names - set(NAMESPACES) - set(FUNCTIONS)):
        problem(
            undefined_name_hint(name, text, (*NAMESPACES, *FUNCTIONS))
            or f"undefined name '{name}': use params.{name}, client.{name} or vars.{name}"
        )
    for namespace, attr in sorted(found.attributes - found.guarded - guards):
        if namespace == "params" and attr not in runbook.head.params:
            problem(
                f"undefined param '{attr}'{did_you_mean(attr, runbook.head.params)}"
                " — declare it under `params:`"
            )
        elif namespace == "vars" and attr not in walk.known_vars:
            problem(
                f"variable '{attr}' is used before any step captures it (`as: {attr}`)"
                f"{did_you_mean(attr, walk.known_vars) if walk.known_vars else ''}"
            )
        elif namespace == "client":
            ctx.client_uses.setdefault(attr, (node.file, field_line(node, where)))
            check_client_setting(runbook, attr, ctx.settings, problem)
    check_comparisons(text, expression, walk.found, problem)
    if found.secret_names or found.secret_params or "secret" in found.names:
        check_secret_use(
            node, where, found.secret_is_whole, found.secret_names, ctx.secret_names, problem
        )
    check_secret_params(found.secret_params, ctx.params, ctx.secret_names, problem)


def _braces_hint(when: str) -> str:
    """`when: "{{ vars.x == 1 }}"`: the braces make it a template inside an expression."""
    if "{{" not in when:
        return ""
    inner = when.strip().removeprefix("{{").removesuffix("}}").strip()
    example = f" (`when: {inner}`)" if "{{" not in inner else ""
    return f" — a `when:` is an expression already: remove the `{{{{ }}}}`{example}"


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
