"""Turn a runbook Locator into the element a person would point at: the best of its candidates
(`_candidates`), strictness kept, dead ends noticed while waiting, and the choice recorded with
why."""

from __future__ import annotations

import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import StepContext
from bot.errors import FailureKind, StepError
from bot.language.locator import Locator
from bot.steps._candidates import Intent, State, build, element_of, resolve
from bot.steps._misses import ambiguity, closest_on_page, opened_windows
from bot.steps._oracles import refuse_secret_dependent, refuse_secret_named
from bot.steps._outline import describe_element
from bot.steps._unrecorded import unrecorded
from bot.steps.matching import pattern

__all__ = ["Intent", "build", "describe_element", "locate", "pattern"]

SLICE_S = 1.0  # how often a wait looks for dead ends (an error page, a locked account…)


def _choose(
    ctx: StepContext,
    spec: Locator,
    alternatives: list[tuple[str, Locator]],
    intent: Intent,
    state: State,
) -> PWLocator | None:
    """The best element on the page now (recorded with why), or None when nothing matches."""
    for name, alt in alternatives:
        found = resolve(ctx.scope, alt, intent, state)
        if found is None:
            continue
        candidate, count = found
        if count > 1 and alt.nth is None and not alt.first:
            refuse_secret_dependent(ctx, spec)  # that several match may not tell either
            with unrecorded():
                said = ambiguity(ctx, candidate.locator, alt, count, intent, state)
            raise StepError(FailureKind.AMBIGUOUS, said)
        chosen = element_of(candidate, alt)
        described = describe_element(chosen)
        refuse_secret_named(ctx, spec, alt, described)
        why = (
            f"{candidate.source}, {candidate.tier.how}" if candidate.tier.how else candidate.source
        )
        ctx.note_match(name if spec.any is not None else None, f"{described} ({why})")
        return chosen
    return None


def _any_of(
    ctx: StepContext, alternatives: list[tuple[str, Locator]], intent: Intent, state: State
) -> PWLocator:
    """Every element any alternative could mean (its loosest match): what a wait waits for."""
    waiting = None
    for _, alt in alternatives:
        loose = build(ctx.scope, alt, intent)
        loose = loose.filter(visible=True) if state == "visible" else loose
        waiting = loose if waiting is None else waiting.or_(loose)
    assert waiting is not None
    return waiting


def locate(
    ctx: StepContext, spec: Locator, *, state: State = "visible", intent: Intent = "element"
) -> PWLocator:
    """Wait for the element and return it, recording which one was chosen and why.

    Fails NOT_FOUND when nothing matches in time, AMBIGUOUS when several match equally well and
    the step did not say which (`nth`/`first`), or at once with the page's own words when the
    page turns out to be a dead end (an error page, a locked account…) while waiting.
    """
    alternatives = spec.alternatives()
    waiting: PWLocator | None = None  # what appearing ends a wait: made at the first wait
    deadline = time.monotonic() + ctx.timeout_ms / 1000
    while True:
        chosen = _choose(ctx, spec, alternatives, intent, state)
        if chosen is not None:
            refuse_secret_dependent(ctx, spec, chosen)  # nor which alternative matched
            return chosen
        left = deadline - time.monotonic()
        if left <= 0:
            refuse_secret_dependent(ctx, spec)  # nor may a miss
            said = (
                f"no {state} element matches {spec.describe()} (waited {ctx.timeout_ms / 1000:g}s)"
            )
            if not ctx.optional:  # an optional step's miss is expected: not worth a look around
                with unrecorded():
                    said += closest_on_page(ctx, spec, intent, state) + opened_windows(ctx)
            raise StepError(FailureKind.NOT_FOUND, said)
        if waiting is None:
            waiting = _any_of(ctx, alternatives, intent, state)
        try:
            with unrecorded():
                waiting.first.wait_for(state="attached", timeout=min(left, SLICE_S) * 1000)
        except PlaywrightError as exc:
            if "Timeout" not in str(exc):
                raise
            dead = ctx.dead_end()
            if dead is not None:
                raise dead from None
