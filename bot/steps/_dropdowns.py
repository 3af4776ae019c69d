"""Choosing an option in whatever drop-down a page has: a native `<select>`, a combobox or listbox
widget (type to filter, then pick the option), or a read-only field already holding the value."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import StepContext
from bot.errors import FailureKind, StepError
from bot.steps._pointer import click_on
from bot.steps.asking import ask_element
from bot.steps.matching import loose

# what kind of drop-down an element is, and what it holds now
_KIND = """(e) => {
  const role = (e.getAttribute('role') || '').toLowerCase();
  const tag = e.tagName.toLowerCase();
  const readOnly = !!(e.readOnly || e.getAttribute('aria-readonly') === 'true' || e.disabled);
  // a select-only combobox (`<input role=combobox readonly>`) opens a list: not a read-only field
  const popup = e.getAttribute('aria-haspopup') || '';
  const opens = role === 'combobox' || ['listbox', 'true', 'menu'].includes(popup);
  let kind = 'widget';
  if (tag === 'select') kind = 'native';
  else if (role === 'listbox') kind = 'listbox';
  else if (readOnly && !(opens && !e.disabled)) kind = 'readonly';
  const value = tag === 'select' ? (e.selectedOptions[0] ? e.selectedOptions[0].label : '')
    : ('value' in e ? e.value : e.innerText);
  const labels = tag === 'select' ? Array.from(e.options).map((o) => o.label.trim()) : [];
  const typable = (tag === 'input' || tag === 'textarea' || e.isContentEditable) && !readOnly;
  const controls = e.getAttribute('aria-controls') || '';
  return {kind, value: (value || '').trim(), labels, typable, controls};
}"""


def choose_option(ctx: StepContext, element: PWLocator, option: str) -> str:
    """Make `element` hold `option`; returns how (for the step's record)."""
    seen: dict[str, Any] = ask_element(element, _KIND, timeout_ms=ctx.timeout_ms)
    kind = seen["kind"]
    if kind == "native":
        chosen = {"label": option} if option in seen["labels"] else {"value": option}
        element.select_option(**chosen, timeout=ctx.timeout_ms)  # type: ignore[arg-type]
        return "a native select"
    if _same(seen["value"], option):
        return f"{'a read-only field' if kind == 'readonly' else 'a drop-down'} already holding it"
    if kind == "readonly":
        raise StepError(
            FailureKind.ASSERTION,
            f"the field is read-only and holds '{seen['value']}', not '{option}'",
        )
    if kind == "widget":
        click_on(ctx, element)
        if seen["typable"]:
            element.fill(option, timeout=ctx.timeout_ms)  # type to filter the options
    _pick(ctx, element, seen["controls"], option)
    return f"a {'listbox' if kind == 'listbox' else 'combobox'}: picked the option"


# (a password field is never read: what it holds may be a secret)
_READ_ONLY = """(e) => (e.type === 'password' ? {readOnly: false, value: ''} : {
  readOnly: !!(e.readOnly || e.disabled || e.getAttribute('aria-readonly') === 'true'
    || e.getAttribute('aria-disabled') === 'true'),
  value: ('value' in e ? String(e.value) : e.innerText || '').trim(),
})"""


def holds_read_only(element: PWLocator, text: str, timeout_ms: float) -> bool:
    """True when `element` is a read-only (or disabled) field already holding `text`; raises at
    once when it is one holding other text (typing into it would only wait, then time out)."""
    seen: dict[str, Any] = ask_element(element, _READ_ONLY, timeout_ms=timeout_ms)
    if not seen["readOnly"]:
        return False
    if seen["value"] == text.strip():
        return True
    raise StepError(
        FailureKind.ASSERTION,
        f"the field is read-only and holds '{seen['value']}', not '{text.strip()}'",
    )


def _pick(ctx: StepContext, element: PWLocator, controls: str, option: str) -> None:
    """Click the option named `option`: in the element's own popup when it names one, else the
    one visible option with that name on the page (popups often live at the end of the body) —
    the page of the element's own frame (a screen inside an iframe has its drop-downs there)."""
    body = element.locator("xpath=ancestor::body[1]")  # of the element's own frame
    popup = body.locator(f"[id='{controls}']") if controls else None
    scope = popup if popup is not None and popup.count() else body
    options = scope.get_by_role("option", name=loose(option, whole=True)).filter(visible=True)
    try:
        options.first.wait_for(state="visible", timeout=ctx.timeout_ms)
    except PlaywrightError:  # Playwright's timeout, said in the page's terms
        raise StepError(
            FailureKind.NOT_FOUND, f"the drop-down offers no option '{option}'"
        ) from None
    exact = scope.get_by_role("option", name=option, exact=True).filter(visible=True)
    choices = exact if exact.count() else options
    if choices.count() > 1:
        raise StepError(FailureKind.AMBIGUOUS, f"{choices.count()} options are named '{option}'")
    click_on(ctx, choices)


def _same(held: str, option: str) -> bool:
    return held == option or bool(loose(option, whole=True).fullmatch(held))
