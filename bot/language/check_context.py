"""What the static checks know and what they found (`CheckContext`), and where a problem is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.language.diagnostics import Diagnostic
from bot.language.document import Runbook, StepNode
from bot.language.secret_checks import SecretTarget
from bot.language.source import Source

RunbookLookup = Callable[[str], Runbook | None]


@dataclass
class CheckContext:
    """What is known before a run: the client's settings and secrets (None when no client), the
    params (None when not bound), how to find `use`d runbooks; and what the checks found."""

    settings: dict[str, Any] | None = None
    secret_names: set[str] | None = None
    lookup: RunbookLookup | None = None
    problems: list[Diagnostic] = field(default_factory=list)
    params: dict[str, Any] | None = None
    stack: tuple[str, ...] = ()  # the runbooks being checked, outermost first
    secret_targets: list[SecretTarget] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)  # of every runbook checked
    # every client setting the runbooks need (in `requires:` or used untested), where first seen
    client_uses: dict[str, tuple[str, int]] = field(default_factory=dict)


def problem_at(node: StepNode, where: str, ctx: CheckContext) -> Callable[[str], None]:
    def problem(message: str) -> None:
        ctx.problems.append(Diagnostic(node.file, field_line(node, where), where, message))

    return problem


def field_line(node: StepNode, where: str) -> int:
    """The line of the field `where` names (`…when`, `…fill.value`) in the step, else the step's."""
    return node.line_of(where)
