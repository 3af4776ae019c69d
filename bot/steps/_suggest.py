"""Locators to suggest when a step's locator finds nothing, or several elements: written as a
runbook would write them, and each checked by resolving it exactly as a step would, to the one
element it is meant for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator
from pydantic import ValidationError

from bot.engine.step_context import Scope
from bot.language.locator import AriaRole, Locator
from bot.steps._candidates import CHECKABLE, FIELDS, Intent, State, pick, resolve

FIELD_INTENTS = ("field", "check", "toggle")
LONG_NAME = 48  # characters: a longer name is suggested by its first words
MAX_NTH = 20


def flow(fields: dict[str, Any]) -> str:
    """`{role: button, name: Save}`: a locator as one line of YAML."""
    text = yaml.safe_dump(
        fields, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000
    )
    return text.strip()


@dataclass(frozen=True)
class Suggestion:
    """A locator that picks one element, maybe inside a `within` region."""

    locator: dict[str, Any]
    region: dict[str, Any] | None = None

    def text(self) -> str:
        if self.region is None:
            return flow(self.locator)
        return f"{flow(self.locator)} inside `within: {flow(self.region)}`"


def same_element(first: PWLocator, second: PWLocator) -> bool:
    try:
        return first.and_(second).count() == 1
    except PlaywrightError:
        return False


def _picks(
    scope: Scope, fields: dict[str, Any], intent: Intent, state: State, target: PWLocator
) -> bool:
    """Whether a step with the locator `fields` would use `target` (and nothing else)."""
    try:
        spec = Locator.model_validate(fields)
    except ValidationError:
        return False
    chosen = pick(scope, spec, intent, state)
    return chosen is not None and same_element(chosen, target)


def forms(role: str, name: str, source: str, intent: Intent) -> list[dict[str, Any]]:
    """How a runbook would name this element, shortest first: by label for a field the step
    fills or ticks, else by role and name; a long name by its first words first."""
    by_label = source in ("label", "placeholder") or (
        intent in FIELD_INTENTS and role in (*FIELDS, *CHECKABLE)
    )
    names = [name]
    if len(name) > LONG_NAME:
        names.insert(0, name[:LONG_NAME].rsplit(" ", 1)[0])
    found: list[dict[str, Any]] = []
    for text in names:
        base: dict[str, Any] = {"label": text} if by_label else {"role": role, "name": text}
        found += [base, {**base, "exact": True}]
    return found


def suggest(
    scope: Scope,
    target: PWLocator,
    options: list[dict[str, Any]],
    region: tuple[str, str] | None,
    intent: Intent,
    state: State,
) -> Suggestion | None:
    """The first of `options` that picks `target`; else one of them inside `target`'s region;
    else the exact one with `nth`. None when none does."""
    for fields in options:
        if _picks(scope, fields, intent, state, target):
            return Suggestion(fields)
    if region is not None:
        around = {"role": region[0], "name": region[1], "exact": True}
        inside = _region(scope, around, target)
        if inside is not None:
            for fields in options:
                if _picks(inside, fields, intent, state, target):
                    return Suggestion(fields, {"role": region[0], "name": region[1]})
    return _by_place(scope, options[-1], target, intent, state) if options else None


def _region(scope: Scope, fields: dict[str, Any], target: PWLocator) -> PWLocator | None:
    """The region `fields` names, when it is one element and holds `target`."""
    try:
        spec = Locator.model_validate(fields)
    except ValidationError:
        return None
    region = pick(scope, spec, "element", "visible")
    if region is None:
        return None
    try:
        return region if region.locator("*").and_(target).count() == 1 else None
    except PlaywrightError:
        return None


def _by_place(
    scope: Scope, fields: dict[str, Any], target: PWLocator, intent: Intent, state: State
) -> Suggestion | None:
    """`fields` with the `nth` that picks `target` (the last resort: it breaks when the page
    adds an element before it)."""
    try:
        spec = Locator.model_validate(fields)
    except ValidationError:
        return None
    found = resolve(scope, spec, intent, state)
    if found is None:
        return None
    candidate, count = found
    for index in range(min(count, MAX_NTH)):
        if same_element(candidate.locator.nth(index), target):
            placed = {**fields, "nth": index}
            return Suggestion(placed) if _picks(scope, placed, intent, state, target) else None
    return None


def element_named(scope: Scope, role: str, name: str, source: str) -> PWLocator:
    """The (first) element with this role and exact name, label or placeholder."""
    if source == "label":
        return scope.get_by_label(name, exact=True).first
    if source == "placeholder":
        return scope.get_by_placeholder(name, exact=True).first
    return scope.get_by_role(cast(AriaRole, role), name=name, exact=True).first
