"""One regular expression for many literal strings, built as a trie.

`re` tries the branches of an alternation one after the other at every position of the text: with
the ~1000 spellings of a run's secrets, scrubbing a trace took seconds a megabyte. Written as a
trie (`ab(?:c|d(?:e)?)`), each position is tried down one path of shared prefixes only, about 25
times faster. It matches what the alternation of the strings, longest first, matched: at each
place, the longest string that occurs there (ignoring letter case).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple


class _Syntax(NamedTuple):
    """The pieces of a pattern, as str or as bytes."""

    empty: Any
    open: Any  # a group that captures nothing
    close: Any
    bar: Any
    optional: Any


_TEXT = _Syntax("", "(?:", ")", "|", "?")
_BYTES = _Syntax(b"", b"(?:", b")", b"|", b"?")
_END = object()  # in a trie node: a string ends here


def text_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of `words`, whatever their letter case (`re.IGNORECASE`), the longest at a place."""
    units = [list(word) for word in words]
    pattern: re.Pattern[str] = _compiled(units, _fold_char, _TEXT)
    return pattern


def bytes_pattern(words: Iterable[bytes]) -> re.Pattern[bytes]:
    """`text_pattern` for bytes (ASCII letters fold, as `re.IGNORECASE` folds them in bytes)."""
    units = [[word[i : i + 1] for i in range(len(word))] for word in words]
    pattern: re.Pattern[bytes] = _compiled(units, bytes.lower, _BYTES)
    return pattern


def _fold_char(char: str) -> str:
    """One unit for the letters `re.IGNORECASE` takes as one (`S`, `s`, `ſ`); a letter whose
    folding is longer (`ß` → `ss`) stays itself."""
    for folded in (char.casefold(), char.lower()):
        if len(folded) == 1:
            return folded
    return char


def _compiled(words: list[list[Any]], fold: Callable[[Any], Any], syntax: _Syntax) -> Any:
    """One branch per unit that folds alike, so `re` never backtracks into a sibling."""
    root: dict[Any, Any] = {}
    for word in words:
        node = root
        for unit in word:
            node = node.setdefault(fold(unit), {})
        node[_END] = None
    try:
        return re.compile(_node(root, syntax), re.IGNORECASE)
    except RecursionError:  # strings nested hundreds deep (a, aa, aaa…): the plain alternation
        joined = sorted({syntax.empty.join(word) for word in words}, key=len, reverse=True)
        return re.compile(syntax.bar.join(re.escape(word) for word in joined), re.IGNORECASE)


def _node(node: dict[Any, Any], syntax: _Syntax) -> Any:
    chain = []  # a run of units with one way on and no string ending: written as it is
    while len(node) == 1 and _END not in node:
        ((unit, node),) = node.items()
        chain.append(re.escape(unit))
    branches = [
        re.escape(unit) + _node(child, syntax) for unit, child in node.items() if unit is not _END
    ]
    if not branches:
        return syntax.empty.join(chain)
    body = (
        branches[0]
        if len(branches) == 1
        else syntax.open + syntax.bar.join(branches) + syntax.close
    )
    if _END in node:  # a string may end here: longer ones first (a greedy optional group)
        body = syntax.open + body + syntax.close + syntax.optional
    return syntax.empty.join(chain) + body
