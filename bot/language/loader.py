"""Parse a runbook file into a Runbook, collecting every problem with its `path:line`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.language.diagnostics import Collector, ValidationFailed, did_you_mean
from bot.language.document import (
    DOCUMENT_KEYS,
    HEAD_KEYS,
    NAME_PATTERN,
    DocumentHead,
    Runbook,
    StepNode,
)
from bot.language.envelope import ENVELOPE_FIELDS, Envelope
from bot.language.plain_errors import model_hints
from bot.language.registry import Registry, StepSpec
from bot.language.source import (
    LocatedDict,
    LocatedList,
    Source,
    YamlSyntaxError,
    line_of,
    parse_yaml,
)
from bot.language.step_hints import (
    MAPPING_ERRORS,
    argument_hints,
    misspelt_step_field,
    misspelt_step_fields,
    written_like,
)


def load_runbook(path: Path, registry: Registry) -> Runbook:
    """Read and validate `path` against `registry`'s actions; raise ValidationFailed listing
    every problem (a `name:` other than the file's name is one: runbooks are found by file)."""
    source = Source(str(path), path.read_text(encoding="utf-8"))
    return load_source(source, registry, file_name=path.name)


def load_source(source: Source, registry: Registry, *, file_name: str | None = None) -> Runbook:
    """Validate `source`; with `file_name` (`NAME.yaml`), its `name:` must be NAME."""
    collector = _Parser(source, registry)
    duplicates: list[YamlSyntaxError] = []
    try:
        data = parse_yaml(source, duplicates=duplicates)
    except YamlSyntaxError as exc:
        collector.add(exc.line, "", exc.message)
        raise ValidationFailed(collector.problems, {source.path: source}) from None
    for duplicate in duplicates:  # each one, and every other problem of the file besides
        collector.add(duplicate.line, "", duplicate.message)
    if not isinstance(data, LocatedDict):
        collector.add(1, "", "a runbook is a mapping with `name` and `steps`")
        raise ValidationFailed(collector.problems, {source.path: source})
    runbook = _build(data, collector)
    if runbook is not None and file_name is not None and runbook.name != Path(file_name).stem:
        collector.add(line_of(data, "name"), "name", _misnamed(runbook.name, file_name))
    if collector.problems or runbook is None:
        raise ValidationFailed(collector.problems, {source.path: source})
    return runbook


def _misnamed(name: str, file_name: str) -> str:
    """`bot run NAME` and `use: NAME` find `NAME.yaml`: a runbook named otherwise is unreachable
    by its name, and would run (and be kept in the history) under a name nobody asked for."""
    stem = Path(file_name).stem
    fix = f"rename the file to {name}.yaml"  # what `bot run NAME` and `use: NAME` look for
    if re.match(NAME_PATTERN, stem):
        fix += f", or write `name: {stem}`"
    return (
        f"the name '{name}' does not match the file name {file_name} (runbooks are found by "
        f"their file's name): {fix}"
    )


class _Parser(Collector):
    """The diagnostics of one file, and the actions its steps may name."""

    def __init__(self, source: Source, registry: Registry) -> None:
        super().__init__(source)
        self.registry = registry


def _build(data: LocatedDict, collector: _Parser) -> Runbook | None:
    for key in data:
        if key not in DOCUMENT_KEYS:
            collector.add(
                line_of(data, key),
                str(key),
                f"unknown key '{key}'{did_you_mean(str(key), DOCUMENT_KEYS)}",
            )
    head_data = {k: v for k, v in data.items() if k in HEAD_KEYS}
    head = None
    try:
        head = DocumentHead.model_validate(head_data)
    except ValidationError as exc:
        collector.pydantic(exc, data, data.line, "", model_hints(DocumentHead))
    if "steps" not in data:
        collector.add(data.line, "steps", "field required: the list of steps to run")
    steps = _steps(data.get("steps", []), "steps", collector, data, "steps")
    final = _steps(data.get("finally", []), "finally", collector, data, "finally")
    if head is None:
        return None
    captures = frozenset(name for node in _walk((*steps, *final)) for name in captured_names(node))
    return Runbook(head, steps, final, collector.source, captures, data)


def _walk(nodes: tuple[StepNode, ...]) -> list[StepNode]:
    found = []
    for node in nodes:
        found.append(node)
        found.extend(_walk(node.children))
    return found


def captured_names(node: StepNode) -> list[str]:
    """The variables a step stores into (`capture … as:`, `wait_for … as:`, `set:`)."""
    value = getattr(node.args, "as_", None)
    if isinstance(value, str):
        return [value]
    values = getattr(node.args, "values", None)
    return list(values) if node.action == "set" and isinstance(values, dict) else []


def _steps(raw: Any, where: str, collector: _Parser, parent: Any, key: Any) -> tuple[StepNode, ...]:
    if not isinstance(raw, LocatedList):
        if raw not in (None, []):
            collector.add(
                line_of(parent, key), where, "must be a list of steps (each starts with `- `)"
            )
        return ()
    nodes = []
    for index, item in enumerate(raw):
        line = raw.item_lines[index]
        end = raw.item_lines[index + 1] - 1 if index + 1 < len(raw.item_lines) else None
        node = _step(item, f"{where}[{index}]", line, end, collector)
        if node is not None:
            nodes.append(node)
    return tuple(nodes)


def _step(item: Any, where: str, line: int, end: int | None, collector: _Parser) -> StepNode | None:
    specs = collector.registry
    if not isinstance(item, LocatedDict):
        collector.add(line, where, f"a step is a mapping like `- click: Save`, not {item!r}")
        return None
    actions = [key for key in item if key not in ENVELOPE_FIELDS]
    misspelt = misspelt_step_fields(actions, specs)
    for key, field in misspelt.items():
        collector.add(line_of(item, key), f"{where}.{key}", misspelt_step_field(key, field))
    if misspelt:
        return None
    if len(actions) != 1:
        found = ", ".join(map(str, actions)) or "none"
        collector.add(
            line,
            where,
            f"a step needs exactly one action (found: {found}); "
            f"actions are: {', '.join(sorted(specs))}",
        )
        return None
    action = str(actions[0])
    spec = specs.get(action)
    if spec is None:
        hint = did_you_mean(action, specs) or f" (actions are: {', '.join(sorted(specs))})"
        collector.add(line_of(item, action), where, f"unknown action '{action}'{hint}")
        return None
    envelope = _envelope(item, where, line, collector)
    args = _args(spec, item, where, collector)
    branches = _branches(spec, item, where, collector)
    children = _children(spec, item, where, collector) or tuple(
        node for _, steps in branches for node in steps
    )
    if envelope is None or args is None:
        return None
    yaml_text = collector.yaml_of(line, end).rstrip()
    return StepNode(
        action,
        envelope,
        args,
        collector.source.path,
        line,
        where,
        yaml_text,
        children,
        branches,
        item,
    )


def _envelope(item: LocatedDict, where: str, line: int, collector: _Parser) -> Envelope | None:
    try:
        return Envelope.model_validate({k: v for k, v in item.items() if k in ENVELOPE_FIELDS})
    except ValidationError as exc:
        collector.pydantic(exc, item, line, where, model_hints(Envelope))
        return None


def _args(spec: StepSpec, item: LocatedDict, where: str, collector: _Parser) -> Any:
    raw = item[spec.name]
    try:
        return spec.parse(raw)
    except ValidationError as exc:
        if any(not e["loc"] and e["type"] in MAPPING_ERRORS for e in exc.errors()):
            collector.add(line_of(item, spec.name), f"{where}.{spec.name}", written_like(spec, raw))
            return None
        holder = LocatedDict({spec.name: raw})
        holder.key_lines, holder.line = (
            {spec.name: line_of(item, spec.name) or item.line},
            item.line,
        )
        collector.pydantic(
            _prefixed(exc, spec.name), holder, item.line, where, argument_hints(spec)
        )
        return None
    except (TypeError, ValueError) as exc:
        collector.add(line_of(item, spec.name), f"{where}.{spec.name}", str(exc))
        return None


def _prefixed(exc: ValidationError, name: str) -> ValidationError:
    errors = [{**e, "loc": (name, *e["loc"])} for e in exc.errors()]
    return ValidationError.from_exception_data(exc.title, errors)  # type: ignore[arg-type]


def _branches(
    spec: StepSpec, item: LocatedDict, where: str, collector: _Parser
) -> tuple[tuple[str, tuple[StepNode, ...]], ...]:
    """`choose`'s `then:`: the steps of each branch, by name."""
    raw = item[spec.name]
    then = raw.get("then") if spec.branches and isinstance(raw, LocatedDict) else None
    if not isinstance(then, LocatedDict):
        return ()
    return tuple(
        (str(name), _steps(steps, f"{where}.{spec.name}.then.{name}", collector, then, name))
        for name, steps in then.items()
    )


def _children(
    spec: StepSpec, item: LocatedDict, where: str, collector: _Parser
) -> tuple[StepNode, ...]:
    raw = item[spec.name]
    if spec.branches:
        return ()
    if spec.nested and isinstance(raw, LocatedList):  # the shorthand `group: [steps]`
        return _steps(raw, f"{where}.{spec.name}", collector, item, spec.name)
    if not spec.nested or not isinstance(raw, LocatedDict) or "steps" not in raw:
        return ()
    return _steps(raw["steps"], f"{where}.{spec.name}.steps", collector, raw, "steps")
