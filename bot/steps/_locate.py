"""Turn a runbook Locator into the element a person would point at: the best of its candidates
(`_candidates`), strictness kept, dead ends noticed while waiting, and the choice recorded with
why."""

from __future__ import annotations

import re
import time
from typing import NoReturn

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import StepContext
from bot.errors import FailureKind, StepError
from bot.language.locator import Locator
from bot.steps._candidates import Candidate, Intent, State, build, candidates
from bot.steps.matching import pattern

__all__ = ["Intent", "build", "locate", "pattern"]

SLICE_S = 1.0  # how often a wait looks for dead ends (an error page, a locked account…)

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
        for candidate in candidates(ctx.scope, alt, intent, state):
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
