"""How the actions handle secrets on the page: typing one into exactly the element whose frame is
on an allowed origin, and refusing to read back a field a secret was typed into.

The origin comes from Playwright's side (the frame the element belongs to, as the browser
committed it), never from the page's own JavaScript, which a page can rewrite; and the secret is
typed into the element that was checked, resolved once, so a page that navigates in between
receives nothing. Screenshots hide every element whose text or value holds a secret.

Playwright's `fill` focuses the field, then types in a second step, into whatever has the keyboard
by then: a frame of another origin on the page (a widget, an ad, a page framing the sign-in) may
take the keyboard in between and receive the secret. So while the page holds any other frame (one
of the allowed origin may navigate elsewhere at any moment), the secret is inserted by the field's
own document, in one script that gives the page no turn in between (`_INSERT`). On any page,
nothing is typed when the page moves the focus away from the field as it gets it (to another
field, into a frame).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from playwright.sync_api import ElementHandle, Frame, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import PRIVATE_LOOK, StepContext
from bot.errors import FailureKind, StepError
from bot.language.secrets import Secret, origin_of
from bot.steps._unrecorded import unrecorded
from bot.steps.asking import ask

NOTHING_TYPED = "nothing was typed"
_SAME = "(a, b) => a === b"
_IS_PASSWORD = "e => e instanceof HTMLInputElement && e.type === 'password'"


def type_secret(ctx: StepContext, element: PWLocator, secret: Secret) -> None:
    """Type `secret` into `element` if, and only if, its frame's origin is allowed."""
    with unrecorded():
        handle = element.element_handle(timeout=ctx.timeout_ms)
        frame = handle.owner_frame()
    if frame is None:  # the page hid its document from the browser's lookup, or the field left
        raise StepError(
            FailureKind.ORIGIN_REFUSED,
            f"cannot tell which page the field for secret '{secret.name}' belongs to: "
            f"{NOTHING_TYPED}",
        )
    checked = frame.url
    ctx.allow_secret(secret, origin_of(checked))
    ctx.mask(element)
    with unrecorded():
        names = field_names(handle)
    ctx.typed_secret(handle, names)
    try:
        foreign = foreign_frame(frame, secret)
        if foreign is not None:
            _insert(ctx, handle, secret, foreign)
        else:
            _focus(ctx, handle, secret)
            handle.fill(secret.reveal(), timeout=ctx.timeout_ms)
    except PlaywrightError as exc:
        if frame.is_detached() or frame.url != checked or "not attached" in str(exc):
            raise StepError(
                FailureKind.ORIGIN_REFUSED,
                f"the field left {origin_of(checked)} (the page navigated or replaced it) "
                f"before secret '{secret.name}' was typed: {NOTHING_TYPED}",
            ) from None
        raise
    if origin_of(frame.url) != origin_of(checked):
        raise StepError(
            FailureKind.ORIGIN_REFUSED,
            f"the frame navigated to {origin_of(frame.url)} while secret '{secret.name}' was "
            "typed: stopping before anything more is typed",
        )


# Focus the field and insert the text through its own document, in one turn of its event loop: no
# other frame can take the keyboard in between, and nothing is inserted if the page's own focus
# handlers moved the focus away (into a frame, another field).
# What the page's own scripts throw is not said (it could quote the secret): only that it failed.
_INSERT = """(e, value) => {
  try {
    if (e instanceof HTMLLabelElement && e.control) e = e.control;
    e.focus();
    if (typeof e.select === 'function') e.select();
    if (e.getRootNode().activeElement !== e) return 'moved';
    e.ownerDocument.execCommand('insertText', false, value);
    return 'typed';
  } catch (error) {
    return 'failed';
  }
}"""
# Give the field the focus before Playwright's `fill` (which then fires no focus event of its own):
# False when the page's own focus handlers moved it elsewhere (another field, a frame).
_FOCUS = """e => {
  try {
    if (e instanceof HTMLLabelElement && e.control) e = e.control;
    e.focus();
    return e.getRootNode().activeElement === e;
  } catch (error) {
    return false;
  }
}"""


def foreign_frame(field: Frame, secret: Secret) -> str | None:
    """Where a frame of the field's page other than the field's own frame and the frames around
    it is, or one of those that `secret` is not allowed for: any frame that may take the keyboard
    (one of the allowed origin may navigate to another at any moment, a blank one may be about
    to). None when there is no such frame."""
    around: list[Frame] = []
    current: Frame | None = field
    while current is not None:
        around.append(current)
        current = current.parent_frame
    for frame in field.page.frames:
        if any(frame is mine for mine in around) and secret.allows(frame.url):
            continue
        return origin_of(frame.url) if "://" in frame.url else frame.url or "a blank frame"
    return None


def _focus(ctx: StepContext, handle: ElementHandle, secret: Secret) -> None:
    """Focus the field; refuse (nothing typed) when the page moves the focus away from it."""
    handle.wait_for_element_state("visible", timeout=ctx.timeout_ms)
    handle.wait_for_element_state("editable", timeout=ctx.timeout_ms)
    with unrecorded():
        kept = handle.evaluate(_FOCUS)
    if not kept:
        raise StepError(
            FailureKind.ORIGIN_REFUSED,
            f"the page moved the keyboard away from the field for secret '{secret.name}' as it "
            f"got the focus: {NOTHING_TYPED}",
        )


def _insert(ctx: StepContext, handle: ElementHandle, secret: Secret, foreign: str) -> None:
    """Type `secret` into `handle` while another frame (`foreign`) is on the page (`_INSERT`)."""
    handle.wait_for_element_state("visible", timeout=ctx.timeout_ms)
    handle.wait_for_element_state("editable", timeout=ctx.timeout_ms)
    outcome = handle.evaluate(_INSERT, secret.reveal())
    if outcome == "failed":
        raise StepError(
            FailureKind.ORIGIN_REFUSED,
            f"the page's own scripts failed as secret '{secret.name}' was typed (the page holds "
            f"another frame, {foreign}): what it received is unknown, stopping",
        )
    if outcome != "typed":
        raise StepError(
            FailureKind.ORIGIN_REFUSED,
            f"the page moved the keyboard away from the field for secret '{secret.name}' "
            f"(the page holds another frame, {foreign}): {NOTHING_TYPED}",
        )


def field_names(handle: ElementHandle) -> list[str]:
    """The `name` and `id` of a form field: how its value travels in form and JSON bodies."""
    names = []
    for attribute in ("name", "id"):
        try:
            value = handle.get_attribute(attribute)
        except PlaywrightError:
            continue
        if value:
            names.append(value)
    return names


def refuse_reading_secret_field(ctx: StepContext, element: PWLocator, action: str) -> None:
    """`capture`/`expect` may not read a password input or a field a secret was typed into."""
    with unrecorded():
        handle = element.element_handle(timeout=ctx.timeout_ms)
        reads_secret = _is_password_input(handle) or any(
            _same(handle, other) for other in ctx.secret_elements
        )
    if reads_secret:
        raise StepError(
            FailureKind.SECRET_REFUSED,
            f"refused: {action} would read a password field or a field a secret was typed into; "
            "a secret never enters variables, messages or reports (use `wait_for` to wait for "
            "such a field)",
        )


def _is_password_input(handle: ElementHandle) -> bool:
    try:
        kind = (handle.get_attribute("type") or "").lower()
        return kind == "password" or bool(handle.evaluate(_IS_PASSWORD))
    except PlaywrightError:
        return False


def _same(handle: ElementHandle, other: ElementHandle) -> bool:
    try:
        return bool(handle.evaluate(_SAME, other))
    except PlaywrightError:  # another frame or a page gone: not the same element
        return False


# Each element's own text and what else it shows as text (a field's value and placeholder, the
# option a drop-down shows, a picture's alt text): read out of the page and compared in Python, so
# no secret is ever handed to the page's JavaScript. Marking checks each element is still the one
# read (by the lengths of both) and says how many it marked. The elements are the body's and those
# inside every open shadow root under it (a web component's), in one order.
_ELEMENTS = """const body = document.body, found = [], roots = [];
  const take = e => { found.push(e); if (e.shadowRoot) roots.push(e.shadowRoot); };
  if (body) {
    take(body);
    body.querySelectorAll('*').forEach(take);
    while (roots.length) roots.shift().querySelectorAll('*').forEach(take);
  }
  const shown = e => {
    const parts = [];
    if (e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement) {
      parts.push(String(e.value), e.placeholder || '');
    } else if (e instanceof HTMLSelectElement) {
      for (const option of e.selectedOptions) parts.push(option.text);
    }
    if (typeof e.alt === 'string' && e.alt) parts.push(e.alt);
    return parts.join('\\n');
  };"""
_TEXTS = (
    PRIVATE_LOOK
    + """() => {
  """
    + _ELEMENTS
    + """
  return found.map(e => {
    let own = '';
    for (const node of e.childNodes) if (node.nodeType === 3) own += node.data;
    return [own, shown(e)];
  });
}"""
)
_MARK = (
    """hits => {
  """
    + _ELEMENTS
    + """
  let marked = 0;
  for (const [i, own, value] of hits) {
    const e = found[i];
    if (!e) continue;
    let text = '';
    for (const node of e.childNodes) if (node.nodeType === 3) text += node.data;
    if (text.length !== own || shown(e).length !== value) continue;
    e.setAttribute('data-bot-secret', '');
    marked++;
  }
  return marked;
}"""
)
_UNMARK = (
    """() => {
  """
    + _ELEMENTS
    + """
  for (const e of found) e.removeAttribute('data-bot-secret');
}"""
)


@contextlib.contextmanager
def secret_holders(
    page: Page, hides: Callable[[str], str | None] | None
) -> Iterator[list[PWLocator]]:
    """Locators of the elements (in every frame) whose text or value holds a secret, marked for
    the screenshot and unmarked after it."""
    marked: list[Frame] = []
    if hides is not None:
        for frame in page.frames:
            # a frame navigating or gone: not shown
            with contextlib.suppress(PlaywrightError), unrecorded():
                if _mark(frame, hides):
                    marked.append(frame)
    try:
        yield [frame.locator("[data-bot-secret]") for frame in marked]
    finally:
        for frame in marked:
            with contextlib.suppress(PlaywrightError):
                ask(frame, _UNMARK)


def _mark(frame: Frame, hides: Callable[[str], str | None]) -> bool:
    """Mark the elements of `frame` that show a secret; True when there were some. Read again
    once when the page changed between reading and marking."""
    for _ in range(2):
        texts = ask(frame, _TEXTS)
        hits = [
            [i, len(own), len(value)]
            for i, (own, value) in enumerate(texts)
            if hides(str(own)) or hides(str(value))
        ]
        if not hits:
            return False
        if ask(frame, _MARK, hits) == len(hits):
            return True
    return True
