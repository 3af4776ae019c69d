"""Looking at the page without recording the look: the bot's own questions (how many elements
match, what an element is called, which frame it is in, whether the page is a dead end…) are left
out of the trace, as Playwright leaves out its own internal calls.

Why: with tracing on, Playwright records every call with a DOM snapshot of the page before and
after it. A step asks the page a handful of such questions for each action it takes, so the
snapshots of the questions cost more than the actions, and they fill the trace with entries that
are not what the runbook did. Left out, the trace holds the runbook's steps (as groups) and their
actions (click, fill, select, goto, expect…), each with its snapshots, and nothing else.

How: Playwright marks a call internal when it runs inside an API zone flagged `internal` (its
client's own zones, a `ContextVar` in `playwright._impl`). That is not public API, so it is
looked up once and used only if it has the expected shape; otherwise calls are recorded as
before: slower, never wrong. `tests/cli/test_evidence_in_runbook_terms.py` asserts what the
trace holds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

__all__ = ["unrecorded"]


def _zone_parts() -> tuple[ContextVar[Any], Callable[[], Any], type[Any]] | None:
    """Playwright's zone storage, its current zone and its API zone class; None when this
    version of Playwright has no such thing."""
    try:
        from playwright._impl.channel_owner import ApiZone
        from playwright._impl.utils import zones
    except ImportError:
        return None
    storage = getattr(zones, "_async_local_storage", None)
    current = getattr(zones, "current_zone", None)
    if not isinstance(storage, ContextVar) or not callable(current):
        return None
    try:  # the shape this module relies on
        ApiZone(api_name="", frames=None, title=None, internal=True).options()  # type: ignore[arg-type]
    except (TypeError, AttributeError):
        return None
    return storage, current, ApiZone


_PARTS = _zone_parts()


@contextlib.contextmanager
def unrecorded() -> Iterator[None]:
    """Playwright calls made inside (in this greenlet) are neither traced nor snapshotted."""
    if _PARTS is None:
        yield
        return
    storage, current, api_zone = _PARTS
    # no stack (None, not []): with tracing on, Playwright sends each call's stack to the driver
    # in a message of its own, kept until the trace is written; an internal call needs none
    zone = api_zone(api_name="", frames=None, title=None, internal=True)
    token = storage.set(current().with_("apiZone", zone))
    try:
        yield
    finally:
        storage.reset(token)
