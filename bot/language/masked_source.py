"""A runbook's text with literal passwords masked where they stand: the value written in the
file (a whole YAML scalar that is not a key), not every run of its characters in a message."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from bot.language.secrets import MASK
from bot.language.source import Source

_QUOTES = {"'": "'", '"': '"'}


def mask_literals(source: Source, literals: Iterable[str]) -> Source:
    """`source` with every scalar value equal to one of `literals` shown as a mask (quotes and
    line numbers kept). A text that does not scan masks whole lines holding one instead."""
    hidden = {literal for literal in literals if literal}
    if not hidden:
        return source
    try:
        spans = _value_spans(source.text, hidden)
    except yaml.YAMLError:
        return Source(source.path, _masked_lines(source.text, hidden))
    text = source.text
    for start, end, style in sorted(spans, reverse=True):
        quote = _QUOTES.get(style or "", "")
        newlines = "\n" * text.count("\n", start, end)  # the lines after keep their numbers
        text = f"{text[:start]}{quote}{MASK}{quote}{newlines}{text[end:]}"
    return Source(source.path, text)


def _value_spans(text: str, hidden: set[str]) -> list[tuple[int, int, str | None]]:
    spans = []
    previous: yaml.Token | None = None
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if (
            isinstance(token, yaml.ScalarToken)
            and token.value in hidden
            and not isinstance(previous, yaml.KeyToken)
        ):
            spans.append((token.start_mark.index, token.end_mark.index, token.style))
        previous = token
    return spans


def _masked_lines(text: str, hidden: set[str]) -> str:
    return "\n".join(
        f"{line[: len(line) - len(line.lstrip())]}{MASK}"
        if any(literal in line for literal in hidden)
        else line
        for line in text.split("\n")
    )
