"""The elements a runbook Locator could mean, by source (label, placeholder, accessible name…)
and by how well the wording matches (`matching.tiers`), best first: what `_locate` chooses from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, cast

from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import Scope
from bot.errors import FailureKind, StepError
from bot.language.locator import AriaRole, Locator
from bot.steps._unrecorded import unrecorded
from bot.steps.matching import Tier, tiers

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


# the next control after a text, when it is a switch or checkbox without a name of its own
# (`<span>Enable</span><input type=checkbox>`): a person reads the text beside it as its name
_UNNAMED_NEXT = (
    "xpath=following::*[self::input[not(@type='hidden')] or self::select or self::textarea"
    " or self::button or @role='switch' or @role='checkbox'][1]"
    "[(@role='switch' or @role='checkbox' or (self::input and @type='checkbox'))"
    " and not(@aria-label) and not(@aria-labelledby) and not(ancestor::label)"
    " and not(@id and @id = //label/@for) and not(@title)]"
)


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
        named = [("accessible name", _by_roles(scope, ROLES_FOR[intent], tier))]
        if intent in ("toggle", "check", "element"):
            beside = scope.get_by_text(value or "", exact=exact).locator(_UNNAMED_NEXT)
            named.append(("the text beside it", beside))
        return named
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


def wording(spec: Locator) -> str | None:
    kind = spec.kind
    if kind in ("testid", "css") or (kind == "role" and spec.name is None):
        return None
    return str(getattr(spec, "name" if kind == "role" else str(kind)))


def candidates(scope: Scope, spec: Locator, intent: Intent, state: State) -> Iterator[Candidate]:
    """`spec`'s candidates, best first, each made when asked for: most steps take the first."""
    for tier in tiers(wording(spec), exact=spec.exact):
        for source, loc in _sources(scope, spec, intent, tier):
            yield Candidate(loc.filter(visible=True) if state == "visible" else loc, source, tier)


def build(scope: Scope, spec: Locator, intent: Intent = "element") -> PWLocator:
    """Every element `spec` could mean (its loosest match), within `scope`: for counting and
    waiting for absence."""
    loosest = tiers(wording(spec), exact=spec.exact)[-1]
    union = None
    for _, loc in _sources(scope, spec, intent, loosest):
        union = loc if union is None else union.or_(loc)
    assert union is not None
    return union


def resolve(
    scope: Scope, spec: Locator, intent: Intent, state: State
) -> tuple[Candidate, int] | None:
    """The best candidate that matches something now, and how many elements it matches (one when
    a single visible one stands out of several); None when nothing matches."""
    with unrecorded():
        return _first_matching(scope, spec, intent, state)


def _first_matching(
    scope: Scope, spec: Locator, intent: Intent, state: State
) -> tuple[Candidate, int] | None:
    found = candidates(scope, spec, intent, state)
    best = next(found, None)
    if best is None:
        return None
    count = best.locator.count()
    if count == 0:
        rest = list(found)
        if not rest or _none_of(rest):  # a miss costs two questions, not one a candidate
            return None
        for best in rest:
            count = best.locator.count()
            if count:
                break
        else:
            return None
    if count > 1 and spec.nth is None and not spec.first:
        visible = best.locator.filter(visible=True)
        if visible.count() == 1:
            return Candidate(visible, best.source, best.tier), 1
    return best, count


def _none_of(found: list[Candidate]) -> bool:
    """Whether none of `found` matches anything now (asked once, for all of them)."""
    union = found[0].locator
    for candidate in found[1:]:
        union = union.or_(candidate.locator)
    return union.count() == 0


def element_of(candidate: Candidate, spec: Locator) -> PWLocator:
    """The element `spec` picks among its candidate's matches (`nth`, else the first)."""
    return candidate.locator.nth(spec.nth) if spec.nth is not None else candidate.locator.first


def pick(scope: Scope, spec: Locator, intent: Intent, state: State) -> PWLocator | None:
    """The element a step with `spec` would use now; None when none, or several equally well."""
    found = resolve(scope, spec, intent, state)
    if found is None:
        return None
    candidate, count = found
    if count > 1 and spec.nth is None and not spec.first:
        return None
    return element_of(candidate, spec)
