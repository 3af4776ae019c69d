"""What a failed locator says about the page: for no match, the closest elements in the scope
(ranked by how like the wording asked for they read) and a locator for the best; for several
matches, each named, with where it is and the locator that picks it alone.

Every line is page text the engine has not vetted: a line holding a secret is left out."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any, cast
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import Scope, StepContext
from bot.errors import StepError
from bot.language.locator import AriaRole, Locator
from bot.steps._candidates import ROLES_FOR, Intent, State, wording
from bot.steps._outline import Seen, in_region, outline, role_and_name
from bot.steps._suggest import element_named, forms, suggest

SHOWN = 6  # candidates listed for a miss
NAMED = 5  # matches described for an ambiguity
_WHERE_SCRIPT = """(el) => {
  const REGION = ['dialog', 'alertdialog', 'region', 'article', 'group', 'navigation', 'form',
    'tabpanel', 'complementary', 'main', 'banner', 'contentinfo', 'listitem', 'menu', 'row'];
  const IMPLICIT = {DIALOG: 'dialog', NAV: 'navigation', FORM: 'form', SECTION: 'region',
    ARTICLE: 'article', ASIDE: 'complementary', MAIN: 'main', FIELDSET: 'group', LI: 'listitem',
    TR: 'row'};
  const text = (n) => (n ? (n.innerText || n.textContent || '') : '').replace(/\\s+/g, ' ').trim();
  const nameOf = (n) => {
    const label = n.getAttribute('aria-label');
    if (label) return label.trim();
    const ids = n.getAttribute('aria-labelledby');
    if (ids) return ids.split(/\\s+/).map(id => text(document.getElementById(id))).join(' ').trim();
    return '';
  };
  let region = null;
  for (let n = el.parentElement; n && !region; n = n.parentElement) {
    const role = n.getAttribute('role') || IMPLICIT[n.tagName];
    const name = role && REGION.includes(role) ? nameOf(n) : '';
    if (name) region = [role, name.slice(0, 80)];
  }
  const before = document.evaluate(
    'preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][1]',
    el, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
  const field = el.matches('input, textarea, select, [contenteditable], [contenteditable] *');
  return {region, heading: text(before).slice(0, 80), text: field ? '' : text(el).slice(0, 60)};
}"""


def closest_on_page(ctx: StepContext, spec: Locator, intent: Intent, state: State) -> str:
    """`. The closest on the page: …` and a locator for the best: said after "no element
    matches"; nothing when the page cannot be read."""
    asked = [alt for _, alt in spec.alternatives()]
    seen = outline(ctx.scope)
    if not seen:
        return ""
    ranked = sorted(seen, key=lambda item: -max(_score(alt, item, intent) for alt in asked))
    lines = [f"  - {item.describe()}" for item in ranked[: SHOWN * 2]]
    shown = [line for line in lines if _clean(ctx, line)][:SHOWN]
    where = "in the `within` region" if isinstance(ctx.scope, PWLocator) else "on the page"
    said = f". The closest {where}:\n" + "\n".join(shown)
    best = ranked[0]
    target = _element_of(ctx.scope, best)
    tip = suggest(
        ctx.scope, target, forms(best.role, best.name, best.source, intent), None, intent, state
    )
    if tip is not None and _clean(ctx, tip.text()) and any(_alike(alt, best) for alt in asked):
        said += f"\nTry: {tip.text()}"
    return said


def opened_windows(ctx: StepContext) -> str:
    """`. This page opened another window, now at …`: said after "no element matches" when the
    page went on in a window of its own that the run did not follow (it follows the windows the
    page opens while the run acts in it: `PlaywrightServices`); nothing otherwise."""
    try:
        page = ctx.page
        others = [p for p in page.context.pages if p is not page and p.opener() == page]
        addresses = [urlsplit(p.url) for p in others if not p.is_closed()]
    except (PlaywrightError, AttributeError):  # no browser to ask (a fake page), or it is gone
        return ""
    shown = [f"{a.scheme}://{a.netloc}{a.path}" for a in addresses if a.scheme]
    shown = [address for address in shown if _clean(ctx, address)]
    if not shown:
        return ""
    return (
        f"\nThis page opened another window, now at {', '.join(shown)}: the page went on"
        " there, and a run acts only in its own window."
    )


def ambiguity(
    ctx: StepContext, matches: PWLocator, spec: Locator, count: int, intent: Intent, state: State
) -> str:
    """`2 elements match … equally well:` and each match: what it is, where, and the locator
    that picks it alone."""
    lines = [f"{count} elements match {spec.describe()} equally well:"]
    for index in range(min(count, NAMED)):
        element = matches.nth(index)
        role, name = role_and_name(element)
        where = _where(element)
        said = f"  {index + 1}. {role or 'element'}" + (f' "{name}"' if name else "")
        said += in_region(where.get("region")) or (
            f' under heading "{where["heading"]}"' if where.get("heading") else ""
        )
        if where.get("text") and where["text"] != name:
            said += f', text "{where["text"]}"'
        options = forms(role, name, "accessible name", intent) if role and name else []
        tip = suggest(ctx.scope, element, options, where.get("region"), intent, state)
        if tip is not None:
            said += f"\n       → {tip.text()}"
        lines.append(said if _clean(ctx, said) else f"  {index + 1}. an element showing a secret")
    if count > NAMED:
        lines.append(f"  and {count - NAMED} more")
    lines.append("Use the locator of the one meant (`nth: N` or `first: true` take one by place).")
    return "\n".join(lines)


def _where(element: PWLocator) -> dict[str, Any]:
    try:
        found = element.evaluate(_WHERE_SCRIPT)
    except PlaywrightError:
        return {}
    if not isinstance(found, dict):
        return {}
    region = found.get("region")
    found["region"] = (str(region[0]), str(region[1])) if region else None
    return found


def _element_of(scope: Scope, item: Seen) -> PWLocator:
    if item.region is None or item.source != "accessible name":
        return element_named(scope, item.role, item.name, item.source)
    role, name = item.region
    around = scope.get_by_role(cast(AriaRole, role), name=name, exact=True)
    return element_named(around, item.role, item.name, item.source)


def _clean(ctx: StepContext, text: str) -> bool:
    """Whether `text` (read from the page) holds no secret."""
    try:
        ctx.refuse_secret(text, "a failure message")
    except StepError:
        return False
    return True


def _score(spec: Locator, item: Seen, intent: Intent) -> float:
    """How like what `spec` asks for `item` reads: its wording (letters and digits compared,
    containing and shared words count), then its role."""
    asked = _words(wording(spec) or "")
    name = _words(item.name)
    score = 0.0
    if asked and name:
        score = SequenceMatcher(None, asked, name).ratio()
        shared = set(asked.split()) & set(name.split())
        score = max(score, 0.9 * len(shared) / len(set(asked.split()) | set(name.split())))
        if asked in name or name in asked:
            score = max(score, 0.75)
    if item.role in ROLES_FOR[intent]:  # what the step can use comes before what it cannot
        score += 0.35
    if spec.role is not None and item.role == spec.role:
        score += 0.2
    if not asked and item.role == "heading":  # nothing to compare: what the page says it shows
        score += 0.3
    return score


def _alike(spec: Locator, item: Seen) -> bool:
    """Whether a locator for `item` is worth suggesting for `spec`: always when `spec` has a
    wording (the closest wording is the best guess); for a bare role (`role: dialog`) only an
    element of that role, else "closest" would be the mere order of the page."""
    return bool(wording(spec)) or (spec.role is not None and item.role == spec.role)


def _words(text: str) -> str:
    """Lower-case words, regex syntax and punctuation dropped: what a person reads."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())
