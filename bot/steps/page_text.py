"""What a page's text says, as the sentence that says it: that the account is locked, the password
expired or the application is inactive (a dead end), or that the session ended. Read in time
proportional to the text, whatever the page shows (`sentence_saying`)."""

from __future__ import annotations

import re

from bot.errors import FailureKind

TEXT_DEAD_ENDS = (
    (
        FailureKind.ACCOUNT_BLOCKED,
        re.compile(
            r"\b(?:account|user)\b[^.!?\n]{0,60}\b(?:is|has been|was)\s+"
            r"(?:locked|disabled|suspended)\b|\blocked out\b"
            r"|\bpassword\b[^.!?\n]{0,40}\b(?:has\s+|is\s+)?expired\b"
            r"|\b(?:must|need to|have to)\s+change\s+(?:your\s+)?password\b"
            r"|\bpassword\b[^.!?\n]{0,30}\bmust be changed\b",
            re.IGNORECASE,
        ),
    ),
    (
        FailureKind.APP_INACTIVE,
        re.compile(
            r"\b(?:application|app)\b[^.!?\n]{0,40}\b(?:is|has been)\s+"
            r"(?:inactive|disabled|deactivated|not active)\b",
            re.IGNORECASE,
        ),
    ),
)
# how sign-in pages say a session ended (the wording varies by site, the meaning does not)
SIGNED_OUT = re.compile(
    r"\b(?:session\b[^.!?\n]{0,40}\b(?:expired|timed out|has ended)"
    r"|signed out due to inactivity|logged out due to inactivity)\b",
    re.IGNORECASE,
)
_SENTENCE_ENDS = ".!?\n"


def sentence_saying(pattern: re.Pattern[str], text: str) -> str | None:
    """The first sentence of `text` in which `pattern` matches, its spaces collapsed; None when
    it matches nowhere.

    Why not one pattern that also matches the sentence around (`[^.!?\n]*` before and after):
    searched, it runs over the rest of the sentence again from every position, so its time grows
    with the square of the sentence. A page's text without a full stop (a grid, a log, a hostile
    page) took 0.8 s at 4,000 characters and 3.9 s at 8,000, on every read of the page. Searched
    alone, a bounded pattern takes time in proportion to the text, and the sentence around its
    match is found with string searches.
    """
    match = pattern.search(text)
    if match is None:
        return None
    start = max(text.rfind(end, 0, match.start()) for end in _SENTENCE_ENDS) + 1
    ends = [at for at in (text.find(end, match.end()) for end in _SENTENCE_ENDS) if at >= 0]
    stop = min(ends, default=len(text))
    if stop < len(text) and text[stop] in ".!?":  # the sentence keeps its own full stop
        stop += 1
    return " ".join(text[start:stop].split())


def dead_end_said(text: str) -> tuple[FailureKind, str] | None:
    """The kind of dead end `text` says the page is, and the sentence that says it; None when
    it says none."""
    for kind, pattern in TEXT_DEAD_ENDS:
        words = sentence_saying(pattern, text)
        if words is not None:
            return kind, words
    return None
