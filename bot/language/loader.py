"""Parse a runbook file into a Runbook, collecting every problem with its `path:line`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.language.diagnostics import Collector, Diagnostic, ValidationFailed, did_you_mean
from bot.language.document import (
    DOCUMENT_KEYS,
    HEAD_KEYS,
    NAME_PATTERN,
    DocumentHead,
    ParamSpec,
    Runbook,
    StepNode,
    SummaryLine,
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
    beside_their_action,
    misspelt_step_field,
    misspelt_step_fields,
    outside_any,
    short_form_misused,
    written_like,
)
from bot.language.text_files import read_source


class RunbookInvalid(ValidationFailed):
    """A runbook file's problems, with `partial`: the runbook made of what did parse (None when
    too little did), so the checks that need a whole runbook can look at it too and one
    `bot validate` shows every mistake of the file, not only those of the first kind."""

    def __init__(self, problems: list[Diagnostic], source: Source, partial: Runbook | None):
        super().__init__(problems, {source.path: source})
        self.partial = partial


_Model = TypeVar("_Model", bound=BaseModel)
_TEXT = ParamSpec.model_validate({})  # a param as it stands in for one written wrong


def load_runbook(path: Path, registry: Registry) -> Runbook:
    """Read and validate `path` against `registry`'s actions; raise ValidationFailed listing
    every problem (a `name:` other than the file's name is one: runbooks are found by file)."""
    source = read_source(path)  # unreadable or not UTF-8: a problem at its line
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
    named = runbook is not None and not collector.partial_head and file_name is not None
    if named and runbook is not None and file_name and runbook.name != Path(file_name).stem:
        collector.add(line_of(data, "name"), "name", _misnamed(runbook.name, file_name))
    elif file_name is not None and Path(file_name).suffix != ".yaml":
        collector.add(1, "", _not_found_as(file_name))
    if collector.problems or runbook is None:
        raise RunbookInvalid(collector.problems, source, runbook)
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


def _not_found_as(file_name: str) -> str:
    """A runbook in `NAME.yml` (or any other ending) validates, but no name reaches it."""
    fixed = f"{Path(file_name).stem}.yaml"
    return (
        f"the file is named {file_name}, but runbooks are found as NAME.yaml (`bot run`, `use:` "
        f"and `bot list` would not see it): rename it to {fixed}"
    )


class _Parser(Collector):
    """The diagnostics of one file, and the actions its steps may name."""

    def __init__(self, source: Source, registry: Registry) -> None:
        super().__init__(source)
        self.registry = registry
        self.partial_head = False  # the head did not validate: only what did is kept
        self.lost_captures: set[str] = set()  # what steps that did not parse would capture
        self.lost_uses: set[str] = set()  # the runbooks they would use (which capture too)


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
        head, collector.partial_head = _partial_head(head_data), True
    if "steps" not in data:
        collector.add(data.line, "steps", "field required: the list of steps to run")
    elif data["steps"] in (None, []):  # a runbook that would do nothing and pass
        collector.add(
            line_of(data, "steps"), "steps", "a runbook needs at least one step: add one under it"
        )
    steps = _steps(data.get("steps", []), "steps", collector, data, "steps")
    final = _steps(data.get("finally", []), "finally", collector, data, "finally")
    if head is None:
        return None
    captures = frozenset(name for node in _walk((*steps, *final)) for name in captured_names(node))
    lost = frozenset(collector.lost_captures)
    uses = frozenset(collector.lost_uses)
    return Runbook(head, steps, final, collector.source, captures | lost, data, lost, uses)


def _partial_head(data: dict[Any, Any]) -> DocumentHead | None:
    """The head as far as it is right, for the checks of a runbook that has problems already:
    a wrong param stays declared (as text), a wrong summary line is left out. None when
    `requires:` or `params:` is not even of the right kind (every use would be blamed)."""
    requires, params = data.get("requires") or [], data.get("params") or {}
    if not isinstance(requires, list) or not isinstance(params, dict):
        return None
    written = data.get("summary")
    summary: list[Any] = written if isinstance(written, list) else []
    return DocumentHead.model_construct(
        name=str(data.get("name", "")),
        description="",
        params={str(name): _valid(ParamSpec, spec) or _TEXT for name, spec in params.items()},
        requires=[str(setting) for setting in requires],
        summary=[line for line in (_valid(SummaryLine, item) for item in summary) if line],
        remember=[],
    )


def _valid(model: type[_Model], value: Any) -> _Model | None:
    try:
        return model.model_validate(value)
    except ValidationError:
        return None


def _raw_uses(raw: Any) -> set[str]:
    """The runbooks a step as written would `use` (what they capture is not blamed later)."""
    found: set[str] = set()
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key == "use" and isinstance(value, str):
                found.add(value)
            elif key == "use" and isinstance(value, dict) and isinstance(value.get("runbook"), str):
                found.add(value["runbook"])
            found |= _raw_uses(value)
    elif isinstance(raw, list):
        for item in raw:
            found |= _raw_uses(item)
    return found


def _raw_captures(raw: Any) -> set[str]:
    """The variables a step as written would capture (`as:`, `set:`), even one that does not
    parse: a later use of them is not blamed for it."""
    found: set[str] = set()
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key == "as" and isinstance(value, str):
                found.add(value)
            elif key == "set" and isinstance(value, dict):
                found |= {str(name) for name in value}
            found |= _raw_captures(value)
    elif isinstance(raw, list):
        for item in raw:
            found |= _raw_captures(item)
    return found


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
        else:
            collector.lost_captures |= _raw_captures(item)
            collector.lost_uses |= _raw_uses(item)
    return tuple(nodes)


def _step(item: Any, where: str, line: int, end: int | None, collector: _Parser) -> StepNode | None:
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


def _envelope(item: LocatedDict, where: str, line: int, collector: _Parser) -> Envelope | None:
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


def _args(spec: StepSpec, item: LocatedDict, where: str, collector: _Parser) -> Any:
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
    spec: StepSpec, item: LocatedDict, where: str, collector: _Parser
) -> tuple[tuple[str, tuple[StepNode, ...]], ...]:
    """`choose`'s `then:`: the steps of each branch, by name."""
    raw = item[spec.name]
    then = raw.get("then") if spec.branches and isinstance(raw, LocatedDict) else None
    if not isinstance(then, LocatedDict):
        return ()
    return tuple(  # a branch that is not a list is said by the arguments' own checks
        (str(name), _steps(steps, f"{where}.{spec.name}.then.{name}", collector, then, name))
        for name, steps in then.items()
        if isinstance(steps, LocatedList)
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
