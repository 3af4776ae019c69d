"""Bind a runbook's params from `--param k=v` or a `use: … with:`, typed and checked."""

from __future__ import annotations

from typing import Any

from bot.errors import InputError
from bot.language.diagnostics import did_you_mean
from bot.language.document import ParamSpec, Runbook, range_problem

_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}
_KIND = {"integer": "a whole number", "number": "a number"}


def coerce(name: str, spec: ParamSpec, value: Any) -> Any:
    """`value` as the param's type (strings from the command line are converted), within the
    param's bounds; InputError saying which param and why otherwise."""
    value = _converted(name, spec, value)
    problem = range_problem(spec, value)
    if problem is not None:
        raise InputError(f"param {name}: {problem}")
    return value


def _converted(name: str, spec: ParamSpec, value: Any) -> Any:
    if not isinstance(value, str) or spec.type == "string":
        return value
    text = value.strip()
    try:
        if spec.type == "integer":
            return int(text)
        if spec.type == "number":
            return float(text)
    except ValueError:
        raise InputError(f"param {name}: '{value}' is not {_KIND[spec.type]}") from None
    if spec.type == "boolean":
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise InputError(f"param {name}: '{value}' is not true/false")
    return [item.strip() for item in text.split(",") if item.strip()]


def bind_params(runbook: Runbook, given: dict[str, Any]) -> dict[str, Any]:
    """Every param of `runbook`: given, else its default; InputError listing every problem, each
    at the runbook's line that declares the param (or its `params:`)."""
    path = runbook.source.path
    problems = [
        f"{path}:{runbook.line_of('params')}: unknown param '{key}'"
        f"{did_you_mean(key, runbook.head.params)}"
        for key in given
        if key not in runbook.head.params
    ]
    bound: dict[str, Any] = {}
    for name, spec in runbook.head.params.items():
        where = f"{path}:{runbook.line_of('params', name)}"
        if name in given:
            try:
                bound[name] = coerce(name, spec, given[name])
            except InputError as exc:
                problems.append(f"{where}: {exc.message}")
        elif spec.required:
            problems.append(
                f"{where}: missing param '{name}' ({spec.description or spec.type}): "
                f"pass --param {name}=…"
            )
        else:
            bound[name] = spec.default
    if problems:
        raise InputError("\n".join(problems))
    return bound
