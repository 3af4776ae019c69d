"""Turn a runbook Locator into the element a person would point at: candidates by source (label,
placeholder, accessible name…) and by how well the wording matches (`matching.tiers`), the best
one chosen, strictness kept, dead ends noticed while waiting, and the choice recorded with why."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Literal, NoReturn, cast

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import Scope, StepContext
from bot.errors import FailureKind, StepError
from bot.language.locator import AriaRole, Locator
from bot.steps.matching import Tier, pattern, tiers

__all__ = ["Intent", "build", "locate", "pattern"]

State = Literal["attached", "visible"]
# what the action will do with the element: it decides which roles a bare `name` may have
Intent = Literal["element", "click", "field", "check", "toggle"]

CLICKABLE = (
    "button",
    "link",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "tab",
    "option",
    "treeitem",
    "switch",
    "checkbox",
    "radio",
)
FIELDS = ("textbox", "searchbox", "combobox", "listbox", "spinbutton")
CHECKABLE = ("checkbox", "switch", "radio", "menuitemcheckbox")
REGIONS = (
    "heading",
    "dialog",
    "alertdialog",
    "region",
    "article",
    "group",
    "navigation",
    "tabpanel",
)
ROLES_FOR: dict[Intent, tuple[str, ...]] = {
    "click": CLICKABLE,
    "field": FIELDS,
    "check": CHECKABLE,
    "toggle": ("switch", "checkbox", "menuitemcheckbox"),
    "element": (*CLICKABLE, *FIELDS, *REGIONS),
}
FORM_CONTROLS = (*FIELDS, *CHECKABLE)
SLICE_S = 1.0  # how often a wait looks for dead ends (an error page, a locked account…)


@dataclass(frozen=True)
class Candidate:
    locator: PWLocator
    source: str  # "label", "placeholder", "accessible name", "text", …
    tier: Tier


def _by_roles(scope: Scope, roles: tuple[str, ...], tier: Tier) -> PWLocator:
    found = [
        scope.get_by_role(cast(AriaRole, role), name=tier.value, exact=tier.exact or None)
        for role in roles
    ]
    union = found[0]
    for loc in found[1:]:
        union = union.or_(loc)
    return union


def _sources(
    scope: Scope, spec: Locator, intent: Intent, tier: Tier
) -> list[tuple[str, PWLocator]]:
    """Where elements matching `spec` at `tier` come from, in the order a person looks."""
    value, exact = tier.value, tier.exact or None
    kind = spec.kind
    if kind == "role":
        role = cast(AriaRole, spec.role)  # checked against ROLES when the runbook was loaded
        return [("accessible name", scope.get_by_role(role, name=value, exact=exact))]
    if kind == "name":
        return [("accessible name", _by_roles(scope, ROLES_FOR[intent], tier))]
    if kind == "label":
        return [
            ("label", scope.get_by_label(value or "", exact=exact)),
            ("placeholder", scope.get_by_placeholder(value or "", exact=exact)),
            ("accessible name", _by_roles(scope, FORM_CONTROLS, tier)),
        ]
    simple = {
        "text": scope.get_by_text,
        "placeholder": scope.get_by_placeholder,
        "title": scope.get_by_title,
        "alt": scope.get_by_alt_text,
    }
    if kind in simple:
        return [(str(kind), simple[str(kind)](value or "", exact=exact))]
    if kind == "testid":
        return [("test id", scope.get_by_test_id(str(spec.testid)))]
    if kind == "css":
        return [("css", scope.locator(str(spec.css)))]
    raise StepError(FailureKind.ERROR, "a locator needs role, name, label, text, … or css")


def _wording(spec: Locator) -> str | None:
    kind = spec.kind
    if kind in ("testid", "css") or (kind == "role" and spec.name is None):
        return None
    return str(getattr(spec, "name" if kind == "role" else str(kind)))


def _candidates(scope: Scope, spec: Locator, intent: Intent, state: State) -> list[Candidate]:
    found = []
    for tier in tiers(_wording(spec), exact=spec.exact):
        for source, loc in _sources(scope, spec, intent, tier):
            found.append(
                Candidate(loc.filter(visible=True) if state == "visible" else loc, source, tier)
            )
    return found


def build(scope: Scope, spec: Locator, intent: Intent = "element") -> PWLocator:
    """Every element `spec` could mean (its loosest match), within `scope`: for counting and
    waiting for absence."""
    loosest = tiers(_wording(spec), exact=spec.exact)[-1]
    union = None
    for _, loc in _sources(scope, spec, intent, loosest):
        union = loc if union is None else union.or_(loc)
    assert union is not None
    return union


# `textbox "Tenant ID" [disabled]: Acme Live` → role, name and states; never the value (a field's
# value may be a secret, and it is not what identifies the element)
_ARIA_LINE = re.compile(r'^- ([\w-]+)( "(?:[^"\\]|\\.)*")?((?: \[[^\]]*\])*)')


def describe_element(element: PWLocator) -> str:
    """`button "Save"`: the element's role and accessible name, as the accessibility tree says."""
    try:
        snapshot = element.aria_snapshot(timeout=2_000)
    except PlaywrightError:
        return "an element"
    match = _ARIA_LINE.match(snapshot.strip())
    return "".join(part or "" for part in match.groups()) if match else "an element"


def _choose(
    ctx: StepContext, spec: Locator, alternatives: list[Locator], intent: Intent, state: State
) -> PWLocator | None:
    """The best element on the page now (recorded with why), or None when nothing matches."""
    for index, alt in enumerate(alternatives):
        for candidate in _candidates(ctx.scope, alt, intent, state):
            count = candidate.locator.count()
            if count == 0:
                continue
            if count > 1 and alt.nth is None and not alt.first:
                candidate = _the_visible_one(candidate) or _ambiguous(candidate, alt, count)
            chosen = (
                candidate.locator.nth(alt.nth) if alt.nth is not None else candidate.locator.first
            )
            why = (
                f"{candidate.source}, {candidate.tier.how}"
                if candidate.tier.how
                else candidate.source
            )
            ctx.note_match(
                index if spec.any is not None else None, f"{describe_element(chosen)} ({why})"
            )
            return chosen
    return None


def _the_visible_one(candidate: Candidate) -> Candidate | None:
    """Of several matches, the one a person sees (e.g. a combobox, not its hidden listbox)."""
    visible = candidate.locator.filter(visible=True)
    if visible.count() != 1:
        return None
    return Candidate(visible, candidate.source, candidate.tier)


def _ambiguous(candidate: Candidate, alt: Locator, count: int) -> NoReturn:
    named = [describe_element(candidate.locator.nth(i)) for i in range(min(count, 5))]
    more = f" and {count - 5} more" if count > 5 else ""
    raise StepError(
        FailureKind.AMBIGUOUS,
        f"{count} elements match {alt.describe()} equally well ({', '.join(named)}{more}): "
        "add `first: true` or `nth: N`, or a more precise locator",
    )


def locate(
    ctx: StepContext, spec: Locator, *, state: State = "visible", intent: Intent = "element"
) -> PWLocator:
    """Wait for the element and return it, recording which one was chosen and why.

    Fails NOT_FOUND when nothing matches in time, AMBIGUOUS when several match equally well and
    the step did not say which (`nth`/`first`), or at once with the page's own words when the
    page turns out to be a dead end (an error page, a locked account…) while waiting.
    """
    alternatives = spec.any if spec.any is not None else [spec]
    waiting = None
    for alt in alternatives:
        loose = build(ctx.scope, alt, intent)
        loose = loose.filter(visible=True) if state == "visible" else loose
        waiting = loose if waiting is None else waiting.or_(loose)
    assert waiting is not None
    deadline = time.monotonic() + ctx.timeout_ms / 1000
    while True:
        chosen = _choose(ctx, spec, alternatives, intent, state)
        if chosen is not None:
            return chosen
        left = deadline - time.monotonic()
        if left <= 0:
            raise StepError(
                FailureKind.NOT_FOUND,
                f"no {state} element matches {spec.describe()} (waited {ctx.timeout_ms / 1000:g}s)",
            )
        try:
            waiting.first.wait_for(state="attached", timeout=min(left, SLICE_S) * 1000)
        except PlaywrightError as exc:
            if "Timeout" not in str(exc):
                raise
            dead = ctx.dead_end()
            if dead is not None:
                raise dead from None
