"""Mistakes in `when:` expressions and `{{ … }}` templates said with their fix: Jinja says
"unexpected 'end of print statement'"; an author needs "the expression ends after `and`"."""

from __future__ import annotations

import re

from bot.language.suggestions import closest

_ENDS_WITH_OPERATOR = re.compile(
    r"(?:\b(?:and|or|not|in|is)|==|!=|<=|>=|<|>|\+|-|\*|/|~)\s*(?:\}\})?\s*$"
)
_C_STYLE = {"&": "`and` for `&&`", "|": "`or` for `||`", "!": "`not` for `!`"}
_UPPER = {"AND": "and", "OR": "or", "NOT": "not", "True": "true", "False": "false"}


def syntax_hint(message: str, text: str) -> str:
    """' — what to write' for Jinja's `message` about `text`, or '' when there is no likely fix."""
    got = re.search(r"got '([^']*)'|unexpected char '(.)'|unexpected '([^']*)'", message)
    token = next((group for group in got.groups() if group), "") if got else ""
    ending = "end of print statement" in message or "end of template" in message
    if text.count("{{") > text.count("}}"):
        return " — close each `{{` with `}}`"
    bracket = re.search(r"expected '([)\]])'", message)
    if bracket:
        return f" — a bracket is not closed: add `{bracket.group(1)}`"
    if ending and "got" not in message:
        found = _ENDS_WITH_OPERATOR.search(text)
        if found:
            last = found.group(0).strip().removesuffix("}}").strip()
            return f" — it ends with `{last}`: add what comes after it, or remove it"
        return " — it ends too early: close every bracket and quote, and finish the expression"
    if token in ("=", "=="):
        return " — compare with `==` (one `=` assigns, `===` is not a comparison here)"
    if token in _C_STYLE or (token == "|" and "||" in text):
        return f" — write {', '.join(hint for sign, hint in _C_STYLE.items() if sign in text)}"
    if token in _UPPER:
        return f" — write `{_UPPER[token]}` (in lower case)"
    if got and "expected token 'end of print statement'" in message:
        return (
            f" — two values side by side before '{token}': join them with `and`, `or` or a "
            "comparison (`==`), and quote text ('…')"
        )
    return ""


def undefined_name_hint(name: str, text: str, namespaces: tuple[str, ...]) -> str | None:
    """The fix for a bare `name` in `text`: a misspelt namespace (`parms.force`), or a word
    compared without quotes (`vars.page == consent`); None when neither is likely."""
    close = closest(name, namespaces)
    if close is not None and re.search(rf"\b{re.escape(name)}\s*\.", text):
        return f"undefined name '{name}' — did you mean '{close}'?"
    compared = rf"(?:==|!=|\bin)\s*{re.escape(name)}\b|\b{re.escape(name)}\s*(?:==|!=)"
    if re.search(compared, text):
        return (
            f"undefined name '{name}': to compare with the text, quote it ('{name}'); else "
            f"use params.{name}, client.{name} or vars.{name}"
        )
    return None
