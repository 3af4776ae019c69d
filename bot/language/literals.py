"""One regular expression for many literal strings, built as a trie.

`re` tries the branches of an alternation one after the other at every position of the text: with
the ~1000 spellings of a run's secrets, scrubbing a trace took seconds a megabyte. Written as a
trie (`ab(?:c|d(?:e)?)`), each position is tried down one path of shared prefixes only, about 25
times faster. It matches what the alternation of the strings, longest first, matched: at each
place, the longest string that occurs there (ignoring letter case).

Bytes are matched as lowered bytes (`FoldedBytes`): `re.IGNORECASE` folds every byte it tries,
and the leak scan over a run's evidence took four times as long with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
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


def bytes_pattern(words: Iterable[bytes]) -> FoldedBytes:
    """`text_pattern` for bytes (ASCII letters fold, as `re.IGNORECASE` folds them in bytes)."""
    units = [[word[i : i + 1] for i in range(len(word))] for word in words]
    return FoldedBytes(_compiled(units, bytes.lower, _BYTES, flags=0))


class FoldedBytes:
    """Byte strings in any ASCII letter case: a pattern of their lowered spellings, run on the
    lowered bytes (`bytes.lower` folds ASCII letters only, as `re.IGNORECASE` does in bytes, and
    keeps every offset)."""

    def __init__(self, lowered: re.Pattern[bytes]) -> None:
        self.lowered = lowered

    def spans(self, data: bytes) -> Iterator[tuple[int, int]]:
        """(start, end) of each match in `data`, left to right, the longest at a place."""
        for match in self.lowered.finditer(data.lower()):
            yield match.span()

    def search(self, data: bytes) -> bool:
        return self.lowered.search(data.lower()) is not None

    def subn(self, replacement: bytes, data: bytes) -> tuple[bytes, int]:
        """`data` with each match replaced, and how many were."""
        pieces: list[bytes] = []
        done = 0
        for start, end in self.spans(data):
            pieces += (data[done:start], replacement)
            done = end
        if not pieces:
            return data, 0
        pieces.append(data[done:])
        return b"".join(pieces), len(pieces) // 2


def _fold_char(char: str) -> str:
    """One unit for the letters `re.IGNORECASE` takes as one (`S`, `s`, `ſ`); a letter whose
    folding is longer (`ß` → `ss`) stays itself."""
    for folded in (char.casefold(), char.lower()):
        if len(folded) == 1:
            return folded
    return char


def _compiled(
    words: list[list[Any]],
    fold: Callable[[Any], Any],
    syntax: _Syntax,
    flags: int = re.IGNORECASE,
) -> Any:
    """One branch per unit that folds alike, so `re` never backtracks into a sibling."""
    root: dict[Any, Any] = {}
    for word in words:
        node = root
        for unit in word:
            node = node.setdefault(fold(unit), {})
        node[_END] = None
    try:
        return re.compile(_node(root, syntax), flags)
    except RecursionError:  # strings nested hundreds deep (a, aa, aaa…): the plain alternation
        folded = {syntax.empty.join(fold(unit) for unit in word) for word in words}
        joined = sorted(folded, key=len, reverse=True)
        return re.compile(syntax.bar.join(re.escape(word) for word in joined), flags)


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
