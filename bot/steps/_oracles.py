"""Locators may not become an oracle for a secret a page shows.

A locator tests what the page shows. When a page echoes a secret the run typed (a "you typed"
mirror), a runbook whose patterns test that text would learn the secret
one pattern at a time: from which `any:` alternative matched, from a miss, from a count. So a
step is refused (SECRET_REFUSED) when its outcome depends on a secret: when some of its wordings
would match a text that shows a secret differently, were the secret another value (masked, each
character repeated, random values). The texts are read out of the page and compared in Python;
no secret is handed to the page. The page is examined once the run has typed a secret, with one
cheap read a step while it shows none.

Only the matched element is checked for `css` and test id locators (a selector cannot be run
on a masked copy in Python): its text, attributes and labels may not hold a secret at all.
"""

from __future__ import annotations

import contextlib
import random
import re
import string
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import Scope, StepContext
from bot.errors import FailureKind, StepError
from bot.language.locator import Locator
from bot.language.secrets import MASK
from bot.steps._candidates import wording
from bot.steps._outline import root_of
from bot.steps._unrecorded import unrecorded
from bot.steps.asking import ask, ask_element
from bot.steps.matching import tiers

# What a locator may compare: the element's text, its attributes' values and its labels' text.
# Not a field's `value` attribute: some frameworks copy what was typed there, and a field the bot
# typed a secret into may be located again (to press Enter); reading fields back is refused apart.
_SHOWN = """e => {
  const field = e instanceof HTMLTextAreaElement
    || (e instanceof HTMLInputElement && !['button', 'submit', 'reset'].includes(e.type));
  return [e.textContent || '',
    ...Array.from(e.attributes).filter(a => !(field && a.name === 'value')).map(a => a.value),
    ...Array.from(e.labels || [], l => l.textContent || '')];
}"""
RANDOM_TRIES = 24
_PRINTABLE = string.ascii_letters + string.digits + string.punctuation + " \u00fc"
_RANDOM = random.SystemRandom()
SHORT_TEXT = 300  # longer texts are a region's, not what a wording picks out
_NAMING = "['aria-label', 'title', 'alt', 'placeholder']"
# all of it at once: whether the page shows a secret at all (most often not: one cheap read of
# its text, scripts and styles left out, and its naming attributes)
# the scope's root and every open shadow root under it (a web component's texts match wordings too)
_ROOTS = """const roots = [root], elements = [];
  if (root.shadowRoot) roots.push(root.shadowRoot);
  for (let i = 0; i < roots.length; i++)
    for (const e of roots[i].querySelectorAll('*')) {
      elements.push(e);
      if (e.shadowRoot) roots.push(e.shadowRoot);
    }"""
_ALL_TEXT = f"""root => {{
  {_ROOTS}
  let text = '';
  for (const each of roots) {{
    const walk = root.ownerDocument.createTreeWalker(each, NodeFilter.SHOW_TEXT);
    for (let node; (node = walk.nextNode());) {{
      const tag = node.parentElement ? node.parentElement.tagName : '';
      if (tag !== 'SCRIPT' && tag !== 'STYLE') text += node.data;
    }}
  }}
  const named = elements.filter(e => {_NAMING}.some(name => e.hasAttribute(name))).map(
    e => {_NAMING}.map(name => e.getAttribute(name) || '').join('\\n'));
  return [text, ...named].join('\\n');
}}"""
# the texts a wording could be tested against: each element's (short) text and naming attributes
_TEXTS = f"""root => {{
  {_ROOTS}
  const out = [];
  for (const e of [root, ...elements]) {{
    const text = e.textContent || '';
    if (text.length <= {SHORT_TEXT}) out.push(text);
    for (const name of {_NAMING})
      if (e.hasAttribute(name)) out.push(e.getAttribute(name));
  }}
  return out;
}}"""


def refuse_secret_named(ctx: StepContext, spec: Locator, alt: Locator, described: str) -> None:
    """The element `alt` (of the step's `spec`) matched may not be matched because of a secret
    in its role and name (`described`, already read: nothing more to ask the page)."""
    _refuse_if_dependent(ctx, spec, [alt], [described])


def refuse_counting_secrets(ctx: StepContext, matches: PWLocator, spec: Locator) -> None:
    """`expect … count` may not count elements because of a secret they show."""
    with unrecorded(), contextlib.suppress(PlaywrightError):
        found = matches.evaluate_all(f"all => all.slice(0, 50).map({_SHOWN})")
        shown = [str(piece) for pieces in found for piece in pieces]
        _refuse_if_dependent(ctx, spec, [spec], shown)


def refuse_secret_dependent(
    ctx: StepContext, spec: Locator, chosen: PWLocator | None = None
) -> None:
    """Once the run typed a secret, and while the page shows one: refuse when whether any of
    `spec`'s wordings matches a text of the page that shows it depends on it (a match or a
    miss); and when the element `chosen` shows it, for the locators that compare its text and
    attributes (`text`, `css`, test id)."""
    if not ctx.secret_elements:
        return
    try:
        with unrecorded():
            if ctx.secret_shown(str(_evaluate(ctx.scope, _ALL_TEXT))) is None:
                return  # most often: one read, and nothing shows a secret
            texts = _evaluate(ctx.scope, _TEXTS)
    except PlaywrightError:  # the page is changing: the step's own outcome will tell
        return
    showing = [str(text) for text in texts if ctx.secret_shown(str(text))]
    alternatives = [alt for _, alt in spec.alternatives() if wording(alt) is not None]
    if showing and alternatives:
        _refuse_if_dependent(ctx, spec, alternatives, showing)
    if chosen is not None and any(
        alt.kind in ("text", "css", "testid") for _, alt in spec.alternatives()
    ):
        with contextlib.suppress(PlaywrightError):
            pieces = [str(piece) for piece in ask_element(chosen, _SHOWN, timeout_ms=2_000)]
            _refuse_if_dependent(ctx, spec, [alt for _, alt in spec.alternatives()], pieces)


def _evaluate(scope: Scope, script: str) -> Any:
    """`script` (a function of the scope's root element) run on it; a page or frame without
    resolving a locator first (one round trip, not two)."""
    frame = scope.main_frame if isinstance(scope, Page) else scope
    if isinstance(frame, Frame):
        return ask(frame, f"() => ({script})(document.documentElement)")
    return ask_element(root_of(scope), script)


def _refuse_if_dependent(
    ctx: StepContext, spec: Locator, alternatives: list[Locator], shown: list[str]
) -> None:
    """SECRET_REFUSED when, for a text of `shown` holding a secret, some alternative's match
    would change were the secret another value. The refusal never says which alternative."""
    for text in shown:
        name = ctx.secret_shown(text)
        if name is None:
            continue
        others = [ctx.secrets_replaced(text, by) for by in _other_values()]
        for alt in alternatives:
            if wording(alt) is None or alt.kind in ("css", "testid"):
                raise _refused(spec, name)  # what a selector tests cannot be tried here
            outcome = _matches(alt, text)
            if any(_matches(alt, other) != outcome for other in others):
                raise _refused(spec, name)


def _other_values() -> list[Callable[[int], str]]:
    """Other values a secret could have had: the mask, each printable character repeated (a
    pattern testing a character at some place), and random ones (any pattern that splits the
    possible values), drawn afresh each time so that no runbook can be written around them."""
    values: list[Callable[[int], str]] = [lambda _: MASK]
    values += [_repeated(char) for char in _PRINTABLE]
    values += [_random] * RANDOM_TRIES
    return values


def _repeated(char: str) -> Callable[[int], str]:
    return lambda length: char * length


def _random(length: int) -> str:
    return "".join(_RANDOM.choice(_PRINTABLE) for _ in range(length))


def _refused(spec: Locator, name: str) -> StepError:
    return StepError(
        FailureKind.SECRET_REFUSED,
        f"refused: whether {spec.describe()} matches depends on the secret '{name}', which the "
        "page shows; a locator may not test a secret (it would tell the runbook what it is)",
    )


def _matches(spec: Locator, text: str) -> bool:
    """Whether `spec`'s wording (in any of its tiers) matches `text`, as Playwright compares."""
    said = wording(spec)
    if said is None:
        return False
    text = " ".join(text.split())  # white space collapsed
    for tier in tiers(said, exact=spec.exact):
        value = tier.value
        if isinstance(value, re.Pattern):
            if value.search(text):
                return True
        elif value is not None and (value == text if tier.exact else value in text):
            return True
    return False
