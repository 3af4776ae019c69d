"""The trie pattern the scrubber masks secrets with matches what the plain alternation of their
spellings, longest first, matched: at every place, the longest spelling, in any letter case."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.language.literals import bytes_pattern, text_pattern

LETTERS = st.text(alphabet="aAbBcC%2=éÉſsSßK-_", min_size=1, max_size=6)


def alternation(words: set[str]) -> re.Pattern[str]:
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE)


@given(st.sets(LETTERS, min_size=1, max_size=12), st.lists(LETTERS, max_size=20))
def test_it_masks_what_the_alternation_masked(words: set[str], pieces: list[str]) -> None:
    text = "·".join(pieces) + "".join(words)  # every word at least once
    assert text_pattern(words).sub("#", text) == alternation(words).sub("#", text)


@given(st.sets(st.binary(min_size=1, max_size=5), min_size=1, max_size=12), st.binary())
def test_bytes_too(words: set[bytes], text: bytes) -> None:
    ordered = sorted(words, key=len, reverse=True)
    plain = re.compile(b"|".join(map(re.escape, ordered)), re.IGNORECASE)
    text += b"".join(words)
    assert bytes_pattern(words).subn(b"#", text) == plain.subn(b"#", text)


def test_the_longest_spelling_at_a_place_is_masked_whole() -> None:
    pattern = text_pattern({"AB", "abcd", "abc"})  # "AB" would stop short of "abcd"
    assert pattern.sub("#", "xx abcd ABC ab") == "xx # # #"


def test_strings_nested_deeper_than_python_recursion_still_work() -> None:
    words = {"a" * n for n in range(1, 1200)}  # a page could send such cookies
    assert text_pattern(words).sub("#", "b" + "a" * 2000 + "b") == "b##b"
