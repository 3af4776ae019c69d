"""Branching checked before a run: a `choose` runs branches its `any:` names, and a `when` that
compares what an `any:` found (`vars.page == 'consent'`) compares it with one of the names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.language.diagnostics import did_you_mean
from bot.language.document import StepNode
from bot.language.locator import Locator
from bot.language.templating import compared_literals

Problem = Callable[[str], None]
STORES_WHAT_WAS_FOUND = ("wait_for", "choose")


def found_names(node: StepNode) -> dict[str, tuple[str, ...]]:
    """{variable: the names it may hold} for a step that stores which `any:` alternative it
    found (`wait_for … as:`, `choose … as:`)."""
    if node.action not in STORES_WHAT_WAS_FOUND:  # `capture … as:` stores the text it read
        return {}
    args: Any = node.args
    variable = getattr(args, "as_", None)
    alternatives = getattr(args, "any", None)
    if not isinstance(variable, str) or alternatives is None:
        return {}
    locator = Locator.model_validate({"any": alternatives}) if node.action == "choose" else args
    names = dict.fromkeys(name for name, _ in locator.alternatives())
    return {variable: tuple(names)}


def check_branches(node: StepNode, problem_at: Callable[[str], Problem]) -> None:
    """Every branch of `choose … then:` is one of the names in its `any:`."""
    if node.action != "choose":
        return
    args: Any = node.args
    for name in args.then:
        if name not in args.any:
            problem_at(f"{node.path}.choose.then.{name}")(
                f"no alternative is named '{name}'{did_you_mean(name, args.any)}: "
                "a branch of `then:` runs when the alternative of that name is found"
            )


def check_comparisons(
    text: str, expression: bool, names: dict[str, tuple[str, ...]], problem: Problem
) -> None:
    """`vars.X == 'word'` where X holds the name of an `any:` alternative found: the word is one
    of the names (or, for an unnamed `any:` list, an index the list has)."""
    for namespace, variable, literal in compared_literals(text, expression=expression):
        known = names.get(variable) if namespace == "vars" else None
        if known is None or literal in known:
            continue
        problem(
            f"vars.{variable} holds the name of the `any:` alternative found, never "
            f"'{literal}'{did_you_mean(literal, known)}"
        )
