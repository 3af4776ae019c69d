"""The runbook document: its top-level keys, typed params, and the parsed step tree."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from bot.language.envelope import Envelope, one_line
from bot.language.source import Source, line_at

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
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"  # a runbook's name, and so its file's name
HEAD_KEYS = ("name", "description", "params", "requires", "summary", "remember")


TRUE_WORDS, FALSE_WORDS = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


def value_problem(kind: ParamType, value: Any) -> str | None:
    """Why `value` cannot be a param of type `kind`, or None when it can (a template is checked
    when it is filled in; a string from the command line is converted)."""
    if value is None or (isinstance(value, str) and "{{" in value):
        return None
    text = value.strip() if isinstance(value, str) else None
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "string":
        ok = text is not None or number
    elif kind == "integer":
        ok = (number and float(value) == int(value)) or bool(
            text and re.fullmatch(r"[-+]?\d+", text)
        )
    elif kind == "number":
        ok = number or bool(text and re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text))
    elif kind == "boolean":
        ok = isinstance(value, bool) or (
            text is not None and text.lower() in TRUE_WORDS | FALSE_WORDS
        )
    else:  # list: a YAML list, or comma-separated text
        ok = isinstance(value, list) or text is not None
    if ok:
        return None
    article = "an" if kind[0] in "aeiou" else "a"
    hint = {"boolean": " (true or false)", "list": " (a YAML list, or comma-separated text)"}
    return f"{value!r} is not {article} {kind}{hint.get(kind, '')}"


class ParamSpec(BaseModel):
    """A runbook parameter: typed, and either required or defaulted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ParamType = Field(
        "string",
        description="string, integer, number, boolean or list; `--param` text is converted",
    )
    description: str | None = Field(None, description="what it is, shown by `bot list`")
    required: bool = Field(False, description="a run must give it (`--param` or `use … with:`)")
    default: Any = Field(None, description="the value when it is not given (of the param's type)")
    minimum: float | None = Field(
        None, description="the smallest value allowed (integer and number params)"
    )
    maximum: float | None = Field(
        None, description="the largest value allowed (integer and number params)"
    )

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, data: Any) -> Any:
        """`NAME: string` (or any value, not a mapping): say what a param is written like."""
        if isinstance(data, dict):
            return data
        if isinstance(data, str) and data in get_args(ParamType):
            example = f"{{type: {data}}}"
        else:
            example = "{type: string, default: …}"
        raise ValueError(f"a param is written as a mapping, e.g. `{example}`")

    @field_validator("default")
    @classmethod
    def _default_of_its_type(cls, value: Any, info: ValidationInfo) -> Any:
        problem = value_problem(info.data.get("type", "string"), value)
        if problem is not None:
            raise ValueError(f"the default {problem}: give a default of the param's type")
        return value

    @model_validator(mode="after")
    def _bounds_fit(self) -> ParamSpec:
        bounded = self.minimum is not None or self.maximum is not None
        if bounded and self.type not in ("integer", "number"):
            raise ValueError(
                f"minimum/maximum bound numbers: give the param `type: integer` or `type: number` "
                f"(it is {self.type})"
            )
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError(f"minimum {self.minimum:g} is above maximum {self.maximum:g}")
        problem = range_problem(self, self.default)
        if problem is not None:
            raise ValueError(f"the default {problem}")
        return self


def range_problem(spec: ParamSpec, value: Any) -> str | None:
    """Why `value` is outside the param's `minimum`/`maximum`, or None when it is inside (or
    not a number yet: a template is checked when it is filled in)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    low, high = spec.minimum, spec.maximum
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    if low is not None and high is not None:
        allowed = f"from {low:g} to {high:g}"
    elif low is not None:
        allowed = f"{low:g} or more"
    else:
        allowed = f"{high:g} or less"
    return f"{value!r} is out of range: give a value {allowed}"


class SummaryLine(BaseModel):
    """A sentence for the verdict, e.g. what to do next; templated, optionally conditional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    message: str = Field(description="the sentence (templated: `{{ vars.x }}`, `{{ client.x }}`)")
    when: str | None = Field(None, description="show it only when this expression is true")
    on: Literal["passed", "failed", "always"] = Field(
        "passed", description="for which verdict: passed (default), failed, or always"
    )


PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _a_param_name(name: str) -> str:
    """A param is read as `{{ params.NAME }}`: a name with `-`, a space or a leading digit could
    never be."""
    if PARAM_NAME.match(name):
        return name
    fixed = re.sub(r"\W+", "_", name).strip("_")
    fixed = f"_{fixed}" if fixed[:1].isdigit() else fixed
    example = f" (e.g. `{fixed}:`, read as `{{{{ params.{fixed} }}}}`)" if fixed else ""
    raise ValueError(
        f"'{name}' is not a param name: use letters, digits and `_`, not starting with a "
        f"digit{example}"
    )


class DocumentHead(BaseModel):
    """Everything but the steps, validated as a whole."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(
        pattern=NAME_PATTERN,
        description="used as `bot run NAME` and `use: NAME`; the file is NAME.yaml",
    )
    description: str = Field("", description="what the runbook does, shown by `bot list`")
    params: dict[Annotated[str, AfterValidator(_a_param_name)], ParamSpec] = Field(
        default_factory=dict,
        description="what a run may pass (`--param NAME=VALUE`, `use … with:`): "
        "`{{ params.NAME }}`",
    )
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

    @field_validator("name", mode="before")
    @classmethod
    def _a_runbook_name(cls, value: Any) -> Any:
        """The pattern's own message is a regular expression: say it in words, with a fix."""
        if isinstance(value, str) and not re.match(NAME_PATTERN, value):
            fixed = re.sub(r"[^a-z0-9_-]+", "-", value.lower()).strip("-_")
            example = f" (e.g. `name: {fixed}`, in the file {fixed}.yaml)" if fixed else ""
            raise ValueError(
                f"'{value}' is not a runbook name: use lower-case letters, digits, `-` and `_`, "
                f"starting with a letter or a digit{example}"
            )
        return value


_FIELD_PART = re.compile(r"\[\d+\]|[^.\[\]]+")


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
    children: tuple[StepNode, ...] = ()  # nested steps (every branch's, in order, for `choose`)
    branches: tuple[tuple[str, tuple[StepNode, ...]], ...] = ()  # `choose`: steps by branch name
    raw: Any = field(default=None, compare=False, repr=False)  # the step as written (with lines)

    def branch(self, name: str) -> tuple[StepNode, ...]:
        """The steps of the branch `name` (none when the step has no such branch)."""
        return next((steps for branch, steps in self.branches if branch == name), ())

    def line_of(self, where: str) -> int:
        """The line of the field `where` names (`steps[2].fill.value`, `steps[2].when`,
        `steps[2].use.with.user`) as written in the step; the nearest written key above it when
        the field is not written out (a shorthand), else the step's first line."""
        rest = where[len(self.path) :] if where.startswith(self.path) else where
        keys = [int(p[1:-1]) if p.startswith("[") else p for p in _FIELD_PART.findall(rest)]
        return line_at(self.raw, keys, self.line)

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
            return shortened(str(value))
    return ""


def shortened(text: str, width: int = 80) -> str:
    """`text` on one line, cut to about `width` characters at a space outside any `{{ }}` or
    `{% %}` (a template cut in half reads as garbage), with ` …` when cut."""
    text = one_line(text)
    if len(text) <= width:
        return text
    cut, end, depth = 0, -1, 0
    for word in text.split(" "):
        end += len(word) + 1
        depth += word.count("{{") + word.count("{%") - word.count("}}") - word.count("%}")
        if end > width:
            break
        if depth <= 0:
            cut = end
    return f"{text[: cut or width]} …"


@dataclass(frozen=True)
class Runbook:
    """A validated runbook, ready to plan or run."""

    head: DocumentHead
    steps: tuple[StepNode, ...]
    finally_: tuple[StepNode, ...]
    source: Source
    captures: frozenset[str] = frozenset()  # variables its steps capture (`as:`)
    raw: Any = field(default=None, compare=False, repr=False)  # the document as written (lines)
    # a runbook with problems: what its steps that did not parse would capture (for its checks)
    lost_captures: frozenset[str] = frozenset()
    lost_uses: frozenset[str] = frozenset()  # and the runbooks they would use

    def line_of(self, *keys: str | int) -> int:
        """The line of a top-level key (`requires`), or of an item under it (`requires`, 2)."""
        return line_at(self.raw, keys, 1)

    @property
    def name(self) -> str:
        return self.head.name
