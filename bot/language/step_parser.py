"""Parse a runbook's steps (`steps:`, `finally:`, nested and branch steps) into StepNodes,
collecting every problem with its `path:line`; what a step that does not parse would capture or
`use` is kept, so later checks do not blame what depends on it."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from bot.language.diagnostics import Collector, did_you_mean
from bot.language.document import StepNode
from bot.language.envelope import ENVELOPE_FIELDS, Envelope
from bot.language.plain_errors import model_hints
from bot.language.registry import Registry, StepSpec
from bot.language.source import LocatedDict, LocatedList, Source, line_of
from bot.language.step_hints import (
    MAPPING_ERRORS,
    argument_hints,
    beside_their_action,
    misspelt_step_field,
    misspelt_step_fields,
    outside_any,
    short_form_misused,
    written_like,
)


class StepCollector(Collector):
    """The diagnostics of one runbook file, and the actions its steps may name."""

    def __init__(self, source: Source, registry: Registry) -> None:
        super().__init__(source)
        self.registry = registry
        self.partial_head = False  # the head did not validate: only what did is kept
        self.lost_captures: set[str] = set()  # what steps that did not parse would capture
        self.lost_uses: set[str] = set()  # the runbooks they would use (which capture too)


def raw_uses(raw: Any) -> set[str]:
    """The runbooks a step as written would `use` (what they capture is not blamed later)."""
    found: set[str] = set()
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key == "use" and isinstance(value, str):
                found.add(value)
            elif key == "use" and isinstance(value, dict) and isinstance(value.get("runbook"), str):
                found.add(value["runbook"])
            found |= raw_uses(value)
    elif isinstance(raw, list):
        for item in raw:
            found |= raw_uses(item)
    return found


def raw_captures(raw: Any) -> set[str]:
    """The variables a step as written would capture (`as:`, `set:`), even one that does not
    parse: a later use of them is not blamed for it."""
    found: set[str] = set()
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key == "as" and isinstance(value, str):
                found.add(value)
            elif key == "set" and isinstance(value, dict):
                found |= {str(name) for name in value}
            found |= raw_captures(value)
    elif isinstance(raw, list):
        for item in raw:
            found |= raw_captures(item)
    return found


def walk(nodes: tuple[StepNode, ...]) -> list[StepNode]:
    found = []
    for node in nodes:
        found.append(node)
        found.extend(walk(node.children))
    return found


def captured_names(node: StepNode) -> list[str]:
    """The variables a step stores into (`capture … as:`, `wait_for … as:`, `set:`)."""
    value = getattr(node.args, "as_", None)
    if isinstance(value, str):
        return [value]
    values = getattr(node.args, "values", None)
    return list(values) if node.action == "set" and isinstance(values, dict) else []


def parse_steps(
    raw: Any, where: str, collector: StepCollector, parent: Any, key: Any
) -> tuple[StepNode, ...]:
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
        else:
            collector.lost_captures |= raw_captures(item)
            collector.lost_uses |= raw_uses(item)
    return tuple(nodes)


def _step(
    item: Any, where: str, line: int, end: int | None, collector: StepCollector
) -> StepNode | None:
    specs = collector.registry
    if not isinstance(item, LocatedDict):
        collector.add(line, where, f"a step is a mapping like `- click: Save`, not {item!r}")
        return None
    actions = [key for key in item if key not in ENVELOPE_FIELDS]
    unindented = beside_their_action(item, specs)
    if unindented is not None:
        key, message = unindented
        collector.add(line_of(item, key), f"{where}.{key}", message)
        return None
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


def _envelope(
    item: LocatedDict, where: str, line: int, collector: StepCollector
) -> Envelope | None:
    empty = [key for key in item if key in ENVELOPE_FIELDS and item[key] is None]
    for key in empty:  # `when:` with nothing after it would mean no condition at all
        collector.add(
            line_of(item, key),
            f"{where}.{key}",
            f"`{key}:` has no value: write one after the colon, or remove the line",
        )
    if empty:
        return None
    try:
        return Envelope.model_validate({k: v for k, v in item.items() if k in ENVELOPE_FIELDS})
    except ValidationError as exc:
        collector.pydantic(exc, item, line, where, model_hints(Envelope))
        return None


def _args(spec: StepSpec, item: LocatedDict, where: str, collector: StepCollector) -> Any:
    raw = item[spec.name]
    unwrapped = outside_any(spec, raw)
    if unwrapped is not None:
        collector.add(line_of(item, spec.name), f"{where}.{spec.name}", unwrapped)
        return None
    try:
        return spec.parse(raw)
    except ValidationError as exc:
        misused = short_form_misused(spec, raw)
        if misused is not None:
            collector.add(line_of(item, spec.name), f"{where}.{spec.name}", misused)
            return None
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
    spec: StepSpec, item: LocatedDict, where: str, collector: StepCollector
) -> tuple[tuple[str, tuple[StepNode, ...]], ...]:
    """`choose`'s `then:`: the steps of each branch, by name."""
    raw = item[spec.name]
    then = raw.get("then") if spec.branches and isinstance(raw, LocatedDict) else None
    if not isinstance(then, LocatedDict):
        return ()
    return tuple(  # a branch that is not a list is said by the arguments' own checks
        (str(name), parse_steps(steps, f"{where}.{spec.name}.then.{name}", collector, then, name))
        for name, steps in then.items()
        if isinstance(steps, LocatedList)
    )


def _children(
    spec: StepSpec, item: LocatedDict, where: str, collector: StepCollector
) -> tuple[StepNode, ...]:
    raw = item[spec.name]
    if spec.branches:
        return ()
    if spec.nested and isinstance(raw, LocatedList):  # the shorthand `group: [steps]`
        return parse_steps(raw, f"{where}.{spec.name}", collector, item, spec.name)
    if not spec.nested or not isinstance(raw, LocatedDict) or "steps" not in raw:
        return ()
    return parse_steps(raw["steps"], f"{where}.{spec.name}.steps", collector, raw, "steps")
