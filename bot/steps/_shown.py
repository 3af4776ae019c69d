"""What the page shows of the elements an `expect` of absence or count found, in its own words:
their texts, whitespace collapsed, shortened, and never one that holds a secret."""

from __future__ import annotations

import textwrap

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator as PWLocator

from bot.engine.step_context import StepContext
from bot.errors import StepError
from bot.steps._unrecorded import unrecorded

QUOTED_MAX = 3  # elements quoted; more are counted
QUOTE_WIDTH = 120  # characters of each quote
WITHHELD = "(its text withheld: it holds a secret)"


def shown_now(ctx: StepContext, loc: PWLocator) -> tuple[int, str]:
    """How many elements match `loc` now, and their texts quoted (“…”, “…”), or "" when they
    have none (or the page is gone)."""
    try:
        with unrecorded():
            count = loc.count()
            texts = loc.all_inner_texts()
    except PlaywrightError:
        return 0, ""
    quotes = [_quote(ctx, text) for text in texts[:QUOTED_MAX] if text.strip()]
    more = len(texts) - QUOTED_MAX
    return count, ", ".join(quotes) + (f" and {more} more" if more > 0 and quotes else "")


def _quote(ctx: StepContext, text: str) -> str:
    try:
        ctx.refuse_secret(text, "the text an expect quotes")
    except StepError:
        return WITHHELD
    return f"“{textwrap.shorten(text, QUOTE_WIDTH, placeholder=' …')}”"
