"""How a wording in a runbook matches the words on a page, as a person reads them: exactly, else
ignoring case, spaces and punctuation ("Re-Authorize" = "Reauthorize" = "RE-AUTHORIZE",
"Tenant ID" = "Tenant ID *"), else followed by a keyboard shortcut only ("Save" = "Save (Ctrl+S)",
a toolbar icon's tooltip), else containing them. Better tiers win over worse ones."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import overload

# between two letters or digits of the wording: anything but letters and digits (JS-compatible)
_GAP = r"[\W_]*"


@dataclass(frozen=True)
class Tier:
    """One way of matching a wording: what Playwright is given, and how to say it."""

    value: str | re.Pattern[str] | None  # None: the locator has no wording (css, role alone)
    exact: bool
    how: str  # "exactly", "ignoring case, spaces and punctuation", …


@overload
def pattern(text: str) -> str | re.Pattern[str]: ...
@overload
def pattern(text: None) -> None: ...
def pattern(text: str | None) -> str | re.Pattern[str] | None:
    """`/regex/` (or `/regex/i`) is a regular expression; anything else is plain text."""
    if text is None or not is_regex(text):
        return text
    if text.endswith("/i"):
        return re.compile(text[1:-2], re.IGNORECASE)
    return re.compile(text[1:-1])


def is_regex(text: str) -> bool:
    return len(text) >= 3 and text.startswith("/") and (text.endswith("/") or text.endswith("/i"))


def loose(text: str, *, whole: bool) -> re.Pattern[str]:
    """A pattern for `text` that ignores case, spaces and punctuation (`whole`: nothing else)."""
    core = [char for char in text.lower() if char.isalnum()]
    body = _GAP.join(re.escape(char) for char in core) if core else re.escape(text.strip())
    return re.compile(f"^{_GAP}{body}{_GAP}$" if whole else body, re.IGNORECASE)


# a keyboard shortcut in parentheses at the end of a name: "(Ctrl+S)", "(Alt + Shift + N)", "(Esc)"
_SHORTCUT = r"\((?:ctrl|control|alt|shift|cmd|command|option|meta|esc|⌘|⌥|⇧)[^()]*\)"


def with_shortcut(text: str) -> re.Pattern[str]:
    """`text`, ignoring case, spaces and punctuation, then a keyboard shortcut and nothing else."""
    body = loose(text, whole=False).pattern
    return re.compile(f"^{_GAP}{body}\\s*{_SHORTCUT}\\s*$", re.IGNORECASE)


# the same wordings come back step after step and, in a fleet, run after run: their patterns
# are compiled once (`re`'s own cache holds 512, shared with everything else)
@functools.lru_cache(maxsize=1024)
def tiers(text: str | None, *, exact: bool) -> tuple[Tier, ...]:
    """The ways `text` may match, best first."""
    if text is None:
        return (Tier(None, False, ""),)
    if is_regex(text):
        return (Tier(pattern(text), False, f"matching {text}"),)
    if exact or not text.strip():
        return (Tier(text, True, "exactly"),)
    return (
        Tier(text, True, "exactly"),
        Tier(loose(text, whole=True), False, "ignoring case, spaces and punctuation"),
        Tier(with_shortcut(text), False, "followed by a keyboard shortcut"),
        Tier(loose(text, whole=False), False, "containing it, ignoring case and punctuation"),
    )
