"""Turn a runbook Locator into a Playwright locator, honouring strictness and `any:` fallbacks."""

from __future__ import annotations

import re
from typing import Literal, cast, overload

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import Scope, StepContext
from bot.errors import FailureKind, StepError
from bot.language.locator import AriaRole, Locator

State = Literal["attached", "visible"]


@overload
def pattern(text: str) -> str | re.Pattern[str]: ...
@overload
def pattern(text: None) -> None: ...
def pattern(text: str | None) -> str | re.Pattern[str] | None:
    """`/regex/` (or `/regex/i`) is a regular expression; anything else is plain text."""
    if text is None or len(text) < 3 or not text.startswith("/"):
        return text
    if text.endswith("/i"):
        return re.compile(text[1:-2], re.IGNORECASE)
    return re.compile(text[1:-1]) if text.endswith("/") else text


def build(scope: Scope, spec: Locator) -> PWLocator:
    """The Playwright locator for one (non-`any`) spec, within `scope` (page, frame or element)."""
    exact = spec.exact or None
    if spec.role is not None:
        role = cast(AriaRole, spec.role)  # checked against ROLES when the runbook was loaded
        return scope.get_by_role(role, name=pattern(spec.name), exact=exact)
    if spec.label is not None:
        return scope.get_by_label(pattern(spec.label), exact=exact)
    if spec.text is not None:
        return scope.get_by_text(pattern(spec.text), exact=exact)
    if spec.placeholder is not None:
        return scope.get_by_placeholder(pattern(spec.placeholder), exact=exact)
    if spec.title is not None:
        return scope.get_by_title(pattern(spec.title), exact=exact)
    if spec.alt is not None:
        return scope.get_by_alt_text(pattern(spec.alt), exact=exact)
    if spec.testid is not None:
        return scope.get_by_test_id(spec.testid)
    if spec.css is not None:
        return scope.locator(spec.css)
    raise StepError(FailureKind.ERROR, "a locator needs role, label, text, … or css")


def _pick(loc: PWLocator, spec: Locator) -> PWLocator:
    if spec.nth is not None:
        return loc.nth(spec.nth)
    return loc.first if spec.first else loc


def _alternatives(scope: Scope, spec: Locator, state: State) -> list[tuple[Locator, PWLocator]]:
    specs = spec.any if spec.any is not None else [spec]
    pairs = []
    for alt in specs:
        loc = build(scope, alt)
        pairs.append((alt, loc.filter(visible=True) if state == "visible" else loc))
    return pairs


def _exact_one(scope: Scope, spec: Locator, state: State) -> PWLocator | None:
    """The single element whose name/text equals the locator's exactly, if there is one."""
    if spec.exact or spec.any is not None or spec.css is not None or spec.testid is not None:
        return None
    exact = build(scope, spec.model_copy(update={"exact": True}))
    if state == "visible":
        exact = exact.filter(visible=True)
    return exact if exact.count() == 1 else None


def locate(ctx: StepContext, spec: Locator, *, state: State = "visible") -> PWLocator:
    """Wait for the element and return it; records which alternative matched on `ctx`.

    Fails NOT_FOUND when nothing matches in time, AMBIGUOUS when several do and the step did
    not say which (`nth`/`first`).
    """
    pairs = _alternatives(ctx.scope, spec, state)
    combined = pairs[0][1]
    for _, loc in pairs[1:]:
        combined = combined.or_(loc)
    try:
        combined.first.wait_for(state="attached", timeout=ctx.timeout_ms)
    except PlaywrightError as exc:
        if "Timeout" not in str(exc):
            raise
        seconds = ctx.timeout_ms / 1000
        raise StepError(
            FailureKind.NOT_FOUND,
            f"no {state} element matches {spec.describe()} (waited {seconds:g}s)",
        ) from None
    for index, (alt, loc) in enumerate(pairs):
        count = loc.count()
        if count == 0:
            continue
        if count > 1 and alt.nth is None and not alt.first:
            exact = _exact_one(ctx.scope, alt, state)
            if exact is not None:  # "Save" beside "Save & Close": the one named exactly wins
                loc, count = exact, 1
        if count > 1 and alt.nth is None and not alt.first:
            raise StepError(
                FailureKind.AMBIGUOUS,
                f"{count} elements match {alt.describe()}: add `first: true` or `nth: N`,"
                " or a more precise locator",
            )
        if spec.any is not None:
            ctx.note_match(index, alt.describe())
        return _pick(loc, alt)
    raise StepError(FailureKind.NOT_FOUND, f"{spec.describe()} disappeared while being located")
