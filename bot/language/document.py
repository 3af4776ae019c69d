"""The runbook document: its top-level keys, typed params, and the parsed step tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.language.envelope import Envelope
from bot.language.source import Source

ParamType = Literal["string", "integer", "number", "boolean", "list"]
DOCUMENT_KEYS = (
    "name",
    "description",
    "params",
    "requires",
    "steps",
    "finally",
    "summary",
    "remember",
)
HEAD_KEYS = ("name", "description", "params", "requires", "summary", "remember")


class ParamSpec(BaseModel):
    """A runbook parameter: typed, and either required or defaulted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ParamType = "string"
    description: str | None = None
    required: bool = False
    default: Any = None


class SummaryLine(BaseModel):
    """A sentence for the verdict, e.g. what to do next; templated, optionally conditional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    message: str
    when: str | None = None
    on: Literal["passed", "failed", "always"] = "passed"


class DocumentHead(BaseModel):
    """Everything but the steps, validated as a whole."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="used as `bot run NAME`")
    description: str = ""
    params: dict[str, ParamSpec] = Field(default_factory=dict)
    requires: list[str] = Field(
        default_factory=list, description="client settings the runbook needs, checked before a run"
    )
    summary: list[SummaryLine] = Field(
        default_factory=list, description="lines added to the verdict: what was found, what next"
    )
    remember: list[str] = Field(
        default_factory=list,
        description="captured variables kept as the client's facts after a passing run "
        "(`{{ facts.NAME }}` in later runs, shown by `bot fleet`)",
    )


@dataclass(frozen=True)
class StepNode:
    """One parsed step: the action, its envelope and arguments, and where it was written."""

    action: str
    envelope: Envelope
    args: BaseModel
    file: str
    line: int
    path: str  # e.g. "steps[3].within.steps[0]"
    yaml: str  # the step's own lines, for reports and failure messages
    children: tuple[StepNode, ...] = ()

    def describe(self) -> str:
        """One line for logs: the label when there is one, else the action and its target."""
        if self.envelope.label:
            return self.envelope.label
        describe = getattr(self.args, "describe", None)
        target = (describe() if callable(describe) else "") or _first_value(self.args)
        return f"{self.action} {target}".strip()

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _first_value(args: BaseModel) -> str:
    for value in args.model_dump(exclude_defaults=True, by_alias=True).values():
        if isinstance(value, str | int | float):
            return str(value)[:80]
    return ""


@dataclass(frozen=True)
class Runbook:
    """A validated runbook, ready to plan or run."""

    head: DocumentHead
    steps: tuple[StepNode, ...]
    finally_: tuple[StepNode, ...]
    source: Source
    captures: frozenset[str] = frozenset()  # variables its steps capture (`as:`)

    @property
    def name(self) -> str:
        return self.head.name
