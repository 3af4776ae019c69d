"""Results of scrubbing and of the final byte scan; a leak names where, never the secret itself."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.evidence._content import ZIP_ERRORS, gunzip, is_gzip, is_zip
from bot.language.literals import FoldedBytes

Action = Literal["clean", "scrubbed", "deleted"]
UNREADABLE = "unreadable: cannot be checked"


@dataclass(frozen=True)
class ScrubOutcome:
    """What happened to one file: left clean, scrubbed (`replacements`, zip members `dropped`),
    or deleted because it could not be scrubbed (`reason`)."""

    path: Path
    action: Action
    replacements: int = 0
    dropped: tuple[str, ...] = ()
    reason: str = ""

    def describe(self) -> str:
        text = f"{self.path}: {self.action}"
        if self.replacements:
            text += f", {self.replacements} secret value(s) masked"
        if self.dropped:
            dropped = ", ".join(self.dropped)
            text += f", {len(self.dropped)} unscrubbable member(s) dropped: {dropped}"
        return text + (f" ({self.reason})" if self.reason else "")


@dataclass(frozen=True)
class Leak:
    """A secret found in an artifact: file, zip member (nested as `a!b`), offset, and which
    secret (by its number in the scrubber) in which spelling."""

    path: Path
    member: str | None
    offset: int
    secret_number: int
    spelling: str

    def __str__(self) -> str:
        where = f"{self.path}!{self.member}" if self.member else str(self.path)
        return f"{where} @{self.offset}: secret #{self.secret_number} ({self.spelling})"


def scan_bytes(
    path: Path,
    member: str | None,
    data: bytes,
    pattern: FoldedBytes,
    spellings: dict[bytes, tuple[int, str]],
    mask: bytes,
) -> list[Leak]:
    """Leaks in `data`, and inside it when it is a zip (every member) or gzip (inflated).

    A zip or gzip that cannot be read cannot be proven clean: it is reported as a leak of
    secret #0, spelling "unreadable".
    """
    leaks: list[Leak] = []
    searchable = data.replace(mask, b"\0" * len(mask)) if mask else data
    for start, end in pattern.spans(searchable):
        found = searchable[start:end]
        number, kind = spellings.get(found) or _by_case(spellings, found)
        leaks.append(Leak(path, member, start, number, kind))
    for name, inner in _inner_streams(data):
        label = f"{member}!{name}" if member else name
        if inner is None:
            leaks.append(Leak(path, label, 0, 0, UNREADABLE))
        else:
            leaks += scan_bytes(path, label, inner, pattern, spellings, mask)
    return leaks


def _by_case(spellings: dict[bytes, tuple[int, str]], found: bytes) -> tuple[int, str]:
    """The spelling `found` is, in another letter case."""
    folded = found.lower()
    for spelling, where in spellings.items():
        if spelling.lower() == folded:
            return where[0], f"{where[1]} (letter case changed)"
    return 0, "letter case changed"


def _inner_streams(data: bytes) -> list[tuple[str, bytes | None]]:
    if is_gzip(data):
        return [("<gzip>", gunzip(data))]
    if not is_zip(data):
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info.filename, archive.read(info)) for info in archive.infolist()]
    except ZIP_ERRORS:
        return [("<zip>", None)]
