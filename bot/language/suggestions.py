"""Did you mean …? The closest of the valid words to a misspelt one (difflib, as click does)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice close enough to `word` to be what was meant, if any."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' — did you mean 'x'?' when a close choice exists, else a list of the valid ones."""
    options = sorted(set(choices))
    close = closest(word, options)
    if close:
        return f" — did you mean '{close}'?"
    if options and len(options) <= 12:
        return f" (valid: {', '.join(options)})"
    return ""
