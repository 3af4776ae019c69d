"""What stays on top of the element a step must use, and closing it the way a careful person
would: only with a control that does nothing but close it ("Close", "×", "Dismiss", "Not now",
"Skip tour"…). A control that answers something ("Accept all", "OK", "Got it", "Stay signed in",
"Sign out") is never pressed: the step then fails as OVERLAY, in the overlay's words.

The overlay is the outermost element on top of the element's centre that does not contain it,
in the element's own document or, for an element in a frame, in a document around the frame (a
dialog of Acumatica's main page over the screen in its frame)."""

from __future__ import annotations

import contextlib

from playwright.sync_api import ElementHandle, JSHandle
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.steps._unrecorded import unrecorded

# what a control that only closes is called (lowercase, spaces collapsed, no end punctuation)
CLOSE_WORDS = (
    *("close", "close dialog", "close window", "close tour", "close banner", "dismiss"),
    *("not now", "maybe later", "remind me later", "no thanks", "no, thanks"),
    *("skip", "skip tour", "end tour", "×", "✕", "✖"),
)
# the outermost element over `e` at `point` (its document's coordinates; else e's centre)
_COVER_AT = """(e, point) => {
  const r = e.getBoundingClientRect();
  const [x, y] = point || [r.left + r.width / 2, r.top + r.height / 2];
  if (!r.width || !r.height || x < 0 || y < 0 || x > innerWidth || y > innerHeight) return null;
  let top = e.ownerDocument.elementFromPoint(x, y);
  if (!top || e.contains(top) || top.contains(e)) return null;
  const label = top.closest('label');
  if (label && label.control === e) return null;
  while (top.parentElement && top.parentElement !== e.ownerDocument.body
         && !top.parentElement.contains(e)) top = top.parentElement;
  return top;
}"""
_CENTRE = (
    "(e) => { const r = e.getBoundingClientRect(); return [r.x + r.width/2, r.y + r.height/2]; }"
)
# a point of a frame's document in its host's document
_IN_PARENT = """(f, [x, y]) => {
  const r = f.getBoundingClientRect();
  return [r.x + f.clientLeft + x, r.y + f.clientTop + y];
}"""
_WORDS = """(top) => {
  const words = (top.innerText || top.getAttribute('aria-label') || '').replace(/\\s+/g, ' ');
  return words.trim().slice(0, 300) || top.tagName.toLowerCase() + (top.id ? '#' + top.id : '');
}"""
_NAMED = "(c) => (c.getAttribute('aria-label') || c.getAttribute('title') || c.innerText || '')"
# the first shown, enabled control of the overlay whose name is one of `words`
_CLOSER = f"""(top, words) => {{
  const said = (c) => ({_NAMED})(c).toLowerCase().replace(/\\s+/g, ' ').trim()
    .replace(/[.!]+$/, '');
  const shown = (c) => {{ const b = c.getBoundingClientRect(); return b.width && b.height; }};
  const controls = top.querySelectorAll('button, [role=button], a, input[type=button]');
  return [...controls].find((c) => shown(c) && !c.disabled && words.includes(said(c))) || null;
}}"""


def cover_words(element: PWLocator) -> str | None:
    """The words of what stays on top of `element`, or None when nothing does."""
    cover = _cover(element)
    if cover is None:
        return None
    try:
        with unrecorded():
            return str(cover.evaluate(_WORDS))
    except PlaywrightError:
        return None
    finally:
        _dispose(cover)


def close_cover(element: PWLocator, timeout_ms: float) -> str | None:
    """Press the close control of what covers `element`: what the control is called, or None
    when the cover has none (or it could not be pressed)."""
    cover = _cover(element)
    if cover is None:
        return None
    closer: ElementHandle | None = None
    try:
        with unrecorded():
            closer = _element(cover.evaluate_handle(_CLOSER, list(CLOSE_WORDS)))
            name = "" if closer is None else " ".join(str(closer.evaluate(_NAMED)).split())
        if closer is None:
            return None
        closer.click(timeout=timeout_ms)  # recorded: the run did it
        return name
    except PlaywrightError:
        return None
    finally:
        _dispose(cover, closer)


def _cover(element: PWLocator) -> ElementHandle | None:
    try:
        with unrecorded():
            return _find(element)
    except PlaywrightError:  # detached, navigating: nothing covers it now
        return None


def _dispose(*handles: ElementHandle | None) -> None:
    for handle in handles:
        if handle is not None:
            with contextlib.suppress(PlaywrightError):
                handle.dispose()


def _find(element: PWLocator) -> ElementHandle | None:
    own = _element(element.evaluate_handle(_COVER_AT, None, timeout=2_000))
    if own is not None:
        return own
    handle = element.element_handle(timeout=2_000)
    try:
        point, frame = handle.evaluate(_CENTRE), handle.owner_frame()
        while frame is not None and frame.parent_frame is not None:
            host = frame.frame_element()
            point = host.evaluate(_IN_PARENT, point)
            over = _element(host.evaluate_handle(_COVER_AT, point))
            host.dispose()
            if over is not None:
                return over
            frame = frame.parent_frame
        return None
    finally:
        handle.dispose()


def _element(found: JSHandle) -> ElementHandle | None:
    element = found.as_element()
    if element is None:
        found.dispose()
    return element
