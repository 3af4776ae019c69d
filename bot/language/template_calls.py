"""The filters and tests a template calls (`| without_scheme`, `is defined`), checked against the
environment that renders it: an unknown name, or arguments that do not fit, is found when the
runbook is validated, not by Jinja once the browser is already on the page."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import nodes
from jinja2.filters import FILTERS
from jinja2.tests import TESTS

from bot.language.diagnostics import did_you_mean

# the first parameter Jinja fills in itself for a function marked pass_context (and the like)
_PASSED_BY_JINJA = "jinja_pass_arg"
_JINJA_DOCS = "https://jinja.palletsprojects.com/en/stable/templates/#builtin-{kind}s"
_JINJA_OWN = {"filter": FILTERS, "test": TESTS}


def call_problems(
    tree: nodes.Template, filters: Mapping[str, Any], tests: Mapping[str, Any]
) -> list[str]:
    """What is wrong with each `| filter(…)` and `is test(…)` in `tree`, in plain words."""
    problems = []
    calls: list[nodes.Filter | nodes.Test] = [*tree.find_all(nodes.Filter)]
    calls += tree.find_all(nodes.Test)
    for node in calls:
        kind, known = ("filter", filters) if isinstance(node, nodes.Filter) else ("test", tests)
        function = known.get(node.name)
        if function is None:
            hint = did_you_mean(node.name, known) or _known(kind, known)
            problems.append(f"unknown {kind} '{node.name}'{hint}")
            continue
        problem = _arguments_problem(node, function)
        if problem is not None:
            problems.append(f"the {kind} '{node.name}' {problem}")
    return problems


def _known(kind: str, known: Mapping[str, Any]) -> str:
    own = sorted(set(known) - set(_JINJA_OWN[kind]))
    ours = f"{', '.join(own)} and " if own else ""
    return f" (the {kind}s are {ours}Jinja's built-in ones: {_JINJA_DOCS.format(kind=kind)})"


def _arguments_problem(node: nodes.Filter | nodes.Test, function: Callable[..., Any]) -> str | None:
    """Why the call's arguments cannot be bound to `function`'s parameters, if they cannot."""
    if node.dyn_args is not None or node.dyn_kwargs is not None:
        return None  # `*args` / `**kwargs`: only known when rendered
    inner = inspect.unwrap(function)  # the project's size limits wrap every filter
    try:
        signature = inspect.signature(inner)
    except (TypeError, ValueError):
        return None
    passed = 1 if getattr(inner, _PASSED_BY_JINJA, None) is not None else 0
    positional = [None] * (passed + 1 + len(node.args))  # what Jinja passes, the value, the args
    try:
        signature.bind(*positional, **{str(keyword.key): None for keyword in node.kwargs})
    except TypeError as exc:
        parameters = list(signature.parameters.values())[passed + 1 :]
        written = ", ".join(_shown(parameter) for parameter in parameters)
        call = f"{'|' if isinstance(node, nodes.Filter) else 'is'} {node.name}"
        takes = (
            f"it is written `{call}({written})`"
            if parameters
            else f"it takes no arguments: `{call}`"
        )
        return f"cannot be called like this ({exc}): {takes}"
    return None


def _shown(parameter: inspect.Parameter) -> str:
    if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
        return f"*{parameter.name}"
    if parameter.kind is inspect.Parameter.VAR_KEYWORD:
        return f"**{parameter.name}"
    if parameter.default is inspect.Parameter.empty:
        return parameter.name
    return f"{parameter.name}={parameter.default!r}"
