"""`use:` checked before a run: a runbook's name (no paths) that exists, its params, and the runbook
itself, followed with the params it gets; cycles and chains deeper than `MAX_USE_DEPTH` refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.language.check_context import CheckContext, problem_at
from bot.language.diagnostics import did_you_mean
from bot.language.document import (
    ParamSpec,
    Runbook,
    StepNode,
    range_problem,
    value_problem,
)
from bot.language.templating import is_template

MAX_USE_DEPTH = 8  # runbooks `use`d inside each other
RUNBOOK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$|\{\{")
_WHOLE_PARAM = re.compile(r"^\s*\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$")
Check = Callable[[Runbook, CheckContext], None]


def check_use(node: StepNode, ctx: CheckContext, check: Check) -> None:
    """`check` is how the runbook `use`d is checked in turn."""
    args: Any = node.args
    name, where = str(args.runbook), f"{node.path}.use"
    problem = problem_at(node, f"{where}.runbook", ctx)
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
        check(called, replace(ctx, params=params, stack=(*ctx.stack, called.name)))


def _check_with(node: StepNode, called: Runbook, ctx: CheckContext) -> None:
    args: Any = node.args
    for key, value in args.with_.items():
        spec = called.head.params.get(key)
        wrong = None if spec is None else _literal_problem(spec, value)
        if wrong is not None:  # a value written out: as wrong now as when the run gets here
            problem_at(node, f"{node.path}.use.with.{key}", ctx)(
                f"'{called.name}' param '{key}': {wrong}"
            )
        if key not in called.head.params:
            problem_at(node, f"{node.path}.use.with.{key}", ctx)(
                f"'{called.name}' has no param '{key}'"
                + (
                    did_you_mean(key, called.head.params)
                    if called.head.params
                    else " (it takes none)"
                )
            )
    for name, spec in called.head.params.items():
        if spec.required and name not in args.with_:
            problem_at(node, f"{node.path}.use.with", ctx)(
                f"'{called.name}' needs the param '{name}'"
            )


def _literal_problem(spec: ParamSpec, value: Any) -> str | None:
    """Why a value written out in `with:` does not fit the param (a template: checked when the
    run fills it in)."""
    wrong = value_problem(spec.type, value)
    if wrong is None and isinstance(value, str) and spec.type in ("integer", "number"):
        try:
            value = int(value) if spec.type == "integer" else float(value)
        except ValueError:
            return None  # a template
    return wrong or range_problem(spec, value)


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
