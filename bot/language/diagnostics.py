"""Located errors: every problem in a file is collected, then reported together as `path:line`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.errors import InputError
from bot.language.masked_source import mask_literals
from bot.language.plain_errors import FieldHints, is_union_tag, plain_message
from bot.language.secrets import MASK
from bot.language.source import Source, line_of
from bot.language.spellings import spellings
from bot.language.suggestions import closest, did_you_mean

__all__ = [
    "Collector",
    "Diagnostic",
    "ValidationFailed",
    "closest",
    "concealed",
    "did_you_mean",
    "render",
]


@dataclass(frozen=True)
class Diagnostic:
    """One problem: where (file, line, dotted path) and what to do about it."""

    file: str
    line: int | None
    where: str  # e.g. "steps[2].fill.label"
    message: str
    conceal: str | None = None  # a secret's value: masked wherever it appears in the block
    literal: str | None = None  # a password written in the file: masked where it is a whole value

    def headline(self) -> str:
        location = f"{self.file}:{self.line}" if self.line else self.file
        where = f" {self.where}:" if self.where else ""
        return f"{location}:{where} {self.message}"


class ValidationFailed(InputError):
    """One or more diagnostics; the message shows all of them with the lines around each."""

    def __init__(
        self,
        diagnostics: list[Diagnostic],
        sources: dict[str, Source] | None = None,
        conceal: Iterable[str] = (),
    ):
        self.diagnostics = diagnostics
        self.sources = sources or {}
        self.conceal = tuple(conceal)
        super().__init__(render(diagnostics, self.sources, conceal))

    def blocks(self) -> list[str]:
        """Each problem as `render` shows it (its headline and lines), without the count."""
        return problem_blocks(self.diagnostics, self.sources, self.conceal)

    def concealing(self, secrets: Iterable[str]) -> ValidationFailed:
        """The same problems, with every spelling of `secrets` masked in the lines shown."""
        return ValidationFailed(self.diagnostics, self.sources, secrets)


def render(
    diagnostics: Iterable[Diagnostic], sources: dict[str, Source], conceal: Iterable[str] = ()
) -> str:
    return with_count(problem_blocks(diagnostics, sources, conceal))


def with_count(blocks: list[str]) -> str:
    """The problems one after the other, then how many there are."""
    count = len(blocks)
    summary = f"{count} problem{'s' if count != 1 else ''} found; nothing was run."
    return "\n\n".join([*blocks, summary])


def problem_blocks(
    diagnostics: Iterable[Diagnostic], sources: dict[str, Source], conceal: Iterable[str] = ()
) -> list[str]:
    found = list(diagnostics)
    hidden = [*conceal, *(d.conceal for d in found if d.conceal)]
    secrets = {s for value in hidden for s in spellings(value).values()}
    concealed = sorted(secrets, key=len, reverse=True)
    shown = _with_literals_masked(found, sources)
    blocks = []
    for diagnostic in found:
        block = diagnostic.headline()
        source = shown.get(diagnostic.file)
        if source is not None and diagnostic.line:
            block += "\n" + source.lines_around(diagnostic.line)
        for spelling in concealed:  # a secret written in a file or a param is never echoed
            block = block.replace(spelling, MASK)
        blocks.append(block)
    return blocks


def _with_literals_masked(found: list[Diagnostic], sources: dict[str, Source]) -> dict[str, Source]:
    """The sources, each with the literal passwords its diagnostics name masked in its text."""
    literals: dict[str, set[str]] = {}
    for diagnostic in found:
        if diagnostic.literal:
            literals.setdefault(diagnostic.file, set()).add(diagnostic.literal)
    return {path: mask_literals(source, literals.get(path, ())) for path, source in sources.items()}


def mask_text(text: str, secrets: Iterable[str]) -> str:
    """`text` with every spelling of every one of `secrets` masked, the longest first."""
    values = [value for value in secrets if value]
    for spelling in sorted({s for v in values for s in spellings(v).values()}, key=len)[::-1]:
        text = text.replace(spelling, MASK)
    return text


def concealed(error: InputError, secrets: Iterable[str]) -> InputError:
    """`error` with every spelling of `secrets` masked in what it says."""
    values = [value for value in secrets if value]
    if isinstance(error, ValidationFailed):
        return error.concealing(values)
    message = mask_text(error.message, values)
    return type(error)(message) if message != error.message else error


class Collector:
    """Diagnostics for one file, with helpers to find the line of a nested value."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Diagnostic] = []

    def add(self, line: int | None, where: str, message: str) -> None:
        self.problems.append(Diagnostic(self.source.path, line, where, message))

    def pydantic(
        self,
        error: ValidationError,
        data: Any,
        line: int,
        where: str,
        hints: FieldHints | None = None,
    ) -> None:
        """Each of `error`'s problems at its line in `data`, in plain words (`hints`: the fields
        allowed where an unknown one is written, for a did-you-mean)."""
        for item in error.errors():
            loc = [part for part in item["loc"] if not is_union_tag(part)]
            found_line, container = line, data
            for part in loc:
                found = line_of(container, part)
                if found is None:
                    break
                found_line = found
                try:
                    container = container[part]
                except (KeyError, IndexError, TypeError):
                    break
            self.add(found_line, dotted_path(where, loc), plain_message(item, hints))

    def yaml_of(self, line: int, end_line: int | None) -> str:
        """The text of lines `line`..`end_line`; without an end, up to the next line that is not
        indented deeper than `line` (the last item of a list)."""
        lines = self.source.text.splitlines()
        stop = end_line if end_line is not None else _block_end(lines, line)
        return "\n".join(lines[line - 1 : max(line, stop)])


def dotted_path(where: str, loc: Iterable[Any]) -> str:
    """`steps[2].retry.on[0]`: keys joined by dots, list indexes in brackets (as the checks of a
    whole runbook write them, `summary[0].message`)."""
    path = where
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part != "":
            path += f".{part}" if path else str(part)
    return path


def _block_end(lines: list[str], line: int) -> int:
    indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    end = line
    for number in range(line + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        end = number
    return end
