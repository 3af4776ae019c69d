"""Checks that need the whole runbook (and, when known, the client): names, variables, secrets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from jinja2 import TemplateSyntaxError
from pydantic import BaseModel

from bot.language.diagnostics import Diagnostic, did_you_mean
from bot.language.document import Runbook, StepNode
from bot.language.envelope import Envelope
from bot.language.loader import captured_names
from bot.language.templating import FUNCTIONS, NAMESPACES, is_template, references

SECRET_LOOKING = re.compile(r"pass(word|code)?|secret|token|api[ _-]?key", re.IGNORECASE)
RunbookLookup = Callable[[str], Runbook | None]


@dataclass
class CheckContext:
    """What is known before a run: the client's settings and secrets (None when no client)."""

    settings: dict[str, Any] | None = None
    secret_names: set[str] | None = None
    lookup: RunbookLookup | None = None
    problems: list[Diagnostic] = field(default_factory=list)


def check_runbook(runbook: Runbook, ctx: CheckContext) -> list[Diagnostic]:
    """Every problem found in `runbook`, in document order."""
    known_vars: set[str] = set()
    for node in _walk(runbook.steps):
        _check_step(runbook, node, known_vars, ctx)
        known_vars |= _captures_of(node, ctx)
    for node in _walk(runbook.finally_):
        _check_step(runbook, node, set(runbook.captures) | known_vars, ctx)
    _check_summary(runbook, set(runbook.captures) | known_vars, ctx)
    return ctx.problems


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
        called = ctx.lookup(node.args.runbook)  # type: ignore[attr-defined]
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
        _check_literal_secret(node, ctx)
    if node.action == "use":
        _check_use(node, ctx)


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
    def problem(message: str) -> None:
        ctx.problems.append(Diagnostic(node.file, field_line(node, where), where, message))

    try:
        found = references(text, expression=expression)
    except TemplateSyntaxError as exc:
        problem(f"template error: {exc.message}")
        return
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
    if found.secret_names:
        _check_secret_use(node, where, found.secret_is_whole, found.secret_names, ctx, problem)


def field_line(node: StepNode, where: str) -> int:
    """The line of the field `where` names (`…when`, `…fill.value`) in the step, else the step's."""
    field = re.escape(where.rsplit(".", 1)[-1].split("[", 1)[0])
    pattern = re.compile(rf"(^|[\s{{,-]){field}\s*:")
    for offset, text in enumerate(node.yaml.splitlines()):
        if pattern.search(text):
            return node.line + offset
    return node.line


def _check_secret_use(
    node: StepNode,
    where: str,
    whole: bool,
    names: tuple[str, ...],
    ctx: CheckContext,
    problem: Callable[[str], None],
) -> None:
    if not (node.action == "fill" and where.endswith(".fill.value")):
        problem(
            "a secret may only be the value of a `fill` step; here it would leak "
            "into a URL, a message, a log or a report"
        )
    elif not whole:
        problem("a secret must be the whole value: `value: \"{{ secret('name') }}\"`")
    for name in names:
        if ctx.secret_names is not None and name not in ctx.secret_names:
            problem(
                f"the client has no secret '{name}'{did_you_mean(name, ctx.secret_names)}"
                " — add it under the client's `secrets:` as a reference"
            )


def _check_literal_secret(node: StepNode, ctx: CheckContext) -> None:
    args = node.args
    value = str(getattr(args, "value", ""))
    target = " ".join(str(getattr(args, k) or "") for k in ("label", "name", "placeholder", "css"))
    if SECRET_LOOKING.search(target) and "secret(" not in value:
        ctx.problems.append(
            Diagnostic(
                node.file,
                node.line,
                f"{node.path}.fill.value",
                "literal secret: a password is never written in a runbook; use "
                "\"{{ secret('name') }}\" and declare the name under the client's `secrets:`",
            )
        )


def _check_use(node: StepNode, ctx: CheckContext) -> None:
    if ctx.lookup is None:
        return
    args: Any = node.args
    called = ctx.lookup(args.runbook)
    where = f"{node.path}.use"
    if called is None:
        ctx.problems.append(
            Diagnostic(
                node.file,
                node.line,
                f"{where}.runbook",
                f"no runbook named '{args.runbook}' in the runbooks folder",
            )
        )
        return
    for key in args.with_:
        if key not in called.head.params:
            ctx.problems.append(
                Diagnostic(
                    node.file,
                    node.line,
                    f"{where}.with.{key}",
                    f"'{args.runbook}' has no param '{key}'{did_you_mean(key, called.head.params)}",
                )
            )
    for name, spec in called.head.params.items():
        if spec.required and name not in args.with_:
            ctx.problems.append(
                Diagnostic(
                    node.file,
                    node.line,
                    f"{where}.with",
                    f"'{args.runbook}' needs the param '{name}'",
                )
            )
