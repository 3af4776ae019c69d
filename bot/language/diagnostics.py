"""Located errors: every problem in a file is collected, then reported together as `path:line`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from bot.errors import InputError
from bot.language.source import Source


@dataclass(frozen=True)
class Diagnostic:
    """One problem: where (file, line, dotted path) and what to do about it."""

    file: str
    line: int | None
    where: str  # e.g. "steps[2].fill.label"
    message: str

    def headline(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        where = f" {self.where}:" if self.where else ""
        return f"{location}:{where} {self.message}"


class ValidationFailed(InputError):
    """One or more diagnostics; the message shows all of them with the lines around each."""

    def __init__(self, diagnostics: list[Diagnostic], sources: dict[str, Source] | None = None):
        self.diagnostics = diagnostics
        super().__init__(render(diagnostics, sources or {}))


def render(diagnostics: Iterable[Diagnostic], sources: dict[str, Source]) -> str:
    blocks = []
    for diagnostic in diagnostics:
        block = diagnostic.headline()
        source = sources.get(diagnostic.file)
        if source is not None and diagnostic.line:
            block += "\n" + source.lines_around(diagnostic.line)
        blocks.append(block)
    count = len(blocks)
    summary = f"{count} problem{'s' if count != 1 else ''} found; nothing was run."
    return "\n\n".join([*blocks, summary])


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' — did you mean 'x'?' when a close choice exists, else a list of the valid ones."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f" — did you mean '{close[0]}'?"
    if len(options) <= 12:
        return f" (valid: {', '.join(options)})"
    return ""
