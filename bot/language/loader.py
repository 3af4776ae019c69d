"""Parse a runbook file into a Runbook, collecting every problem with its `path:line`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.language.diagnostics import Diagnostic, ValidationFailed, did_you_mean
from bot.language.document import (
    DOCUMENT_KEYS,
    HEAD_KEYS,
    NAME_PATTERN,
    DocumentHead,
    ParamSpec,
    Runbook,
    SummaryLine,
)
from bot.language.plain_errors import model_hints
from bot.language.registry import Registry
from bot.language.source import LocatedDict, Source, YamlSyntaxError, line_of, parse_yaml
from bot.language.step_parser import StepCollector, captured_names, parse_steps, walk
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
    collector = StepCollector(source, registry)
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


def _build(data: LocatedDict, collector: StepCollector) -> Runbook | None:
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
    steps = parse_steps(data.get("steps", []), "steps", collector, data, "steps")
    final = parse_steps(data.get("finally", []), "finally", collector, data, "finally")
    if head is None:
        return None
    captures = frozenset(name for node in walk((*steps, *final)) for name in captured_names(node))
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
