"""The scrubber: every known secret, in every spelling, masked out of text, JSON, zips and files.

Secrets are declared up front (the app adds the client's secrets, as `typed`) and harvested from
traffic while a run goes (`TrafficSecrets`); every spelling of each (`bot.language.spellings`) is
masked. Form fields the bot typed a secret into are masked whole by name (`mask_field`).
`run_dir` scrubs a whole run folder at the end; `assert_clean` then scans every byte of every
file (and of every zip member) as a last check.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.evidence._bodies import looks_like_form, scrub_form, scrub_xml
from bot.evidence._content import ZIP_ERRORS, as_text, is_zip, write_atomic
from bot.evidence._leaks import Leak, ScrubOutcome, scan_bytes
from bot.evidence._masking import BODY_KEYS, PROTECTED_KEYS, FieldMasks
from bot.evidence._zipscrub import ZipReport, json_lines, scrub_member, scrub_zip_bytes
from bot.language.literals import FoldedBytes, bytes_pattern, text_pattern
from bot.language.spellings import spellings

__all__ = ["Leak", "ScrubOutcome", "Scrubber", "encodings_of"]


def encodings_of(secret: str) -> set[str]:
    """Every spelling of `secret` the scrubber masks (see `bot.language.spellings`)."""
    return set(spellings(secret).values())


DEFAULT_MASK = "[secret]"


class Scrubber:
    """Known secret values and the mask that replaces them; `repr` never shows a value."""

    def __init__(self, secrets: Iterable[str] = (), *, mask: str = DEFAULT_MASK) -> None:
        self.mask = mask
        self._spellings: dict[str, tuple[int, str]] = {}  # spelling -> (secret number, kind)
        self._bytes: dict[builtins.bytes, tuple[int, str]] = {}  # the same, as bytes (`_in_bytes`)
        self._count = 0
        self._lock = threading.Lock()
        self._text_pattern: re.Pattern[str] | None = None
        self._bytes_pattern: FoldedBytes | None = None
        self.replaced = 0  # replacements made so far, for outcomes
        self.fields = FieldMasks()
        for secret in secrets:
            self.add(secret, typed=True)

    def __repr__(self) -> str:
        return f"Scrubber({self._count} secrets, mask={self.mask!r})"

    @property
    def count(self) -> int:
        """How many secrets are known (not `__len__`: an empty scrubber must stay truthy)."""
        return self._count

    def add(self, value: str, *, typed: bool = False) -> bool:
        """Start masking `value` (and its spellings); False when known already or empty.

        `typed`: a secret the bot may type (a client's secret): a form field whose whole value is
        the start of it (the page truncated it) is masked too.
        """
        with self._lock:
            if typed:
                self.fields.add_typed(value)
            if value in self._spellings:  # offered again (a cookie, a header on every request)
                return False
        found = spellings(value, pieces=typed)  # ~900 of them: computed for new values only
        with self._lock:
            if not found or value in self._spellings:
                return False
            self._count += 1
            for kind, spelling in found.items():
                self._spellings.setdefault(spelling, (self._count, kind))
                for suffix, raw in _in_bytes(kind, spelling).items():
                    self._bytes.setdefault(raw, (self._count, kind + suffix))
            self._text_pattern = self._bytes_pattern = None
        return True

    def mask_field(self, name: str) -> None:
        """Mask the form field or JSON key `name` whole: the bot typed a secret into it."""
        with self._lock:
            self.fields.add_field(name)

    def body(self, text: str) -> str:
        """A request or response body: JSON parsed, a form field by field, else plain text."""
        stripped = text.strip()
        if stripped.startswith(("{", "[")):
            try:
                record = json.loads(stripped)
            except json.JSONDecodeError:
                return self.text(text)
            # a body is a page's data: its keys too (an error map keyed by what was typed)
            cleaned = self._walk(record, None, keys=True)
            return text if cleaned == record else json.dumps(cleaned, ensure_ascii=False)
        if looks_like_form(stripped):
            cleaned, masked = scrub_form(stripped, self.fields, self.text, self.mask)
            self.replaced += masked
            return cleaned
        return self.text(text)

    def text(self, s: str) -> str:
        """`s` with every spelling of every secret replaced by the mask."""
        pattern = self._text()
        if pattern is None:
            return s
        cleaned, count = pattern.subn(self.mask, s)
        self.replaced += count
        return cleaned

    def json_value(self, obj: Any) -> Any:
        """A copy of parsed JSON with string values scrubbed; keys, numbers and ids untouched.

        Header values (`Authorization`, `Cookie`, `Set-Cookie`), cookie values, secret-named
        fields (`password=`, `code=`...) and password inputs' values in DOM snapshots are masked
        whole, known or not.
        """
        return self._walk(obj, None)

    def contains(self, data: builtins.bytes) -> bool:
        """True when any spelling of any secret occurs in `data`."""
        pattern = self._bytes_()
        return pattern is not None and pattern.search(data)

    def trace_zip(self, path: Path) -> ScrubOutcome:
        """Rewrite a zip (a Playwright trace) in place, scrubbed; a corrupt one is deleted."""
        before = self.replaced
        report = ZipReport()
        try:
            cleaned = scrub_zip_bytes(path.read_bytes(), self, report)
        except ZIP_ERRORS:
            path.unlink()
            return ScrubOutcome(path, "deleted", reason="corrupt zip: cannot be scrubbed")
        count = self.replaced - before
        if not count and not report.dropped:
            return ScrubOutcome(path, "clean")
        write_atomic(path, cleaned)
        return ScrubOutcome(path, "scrubbed", count, tuple(report.dropped))

    def file(self, path: Path) -> ScrubOutcome:
        """Scrub one file in place: zips by magic bytes, text (JSON parsed) or binary."""
        data = path.read_bytes()
        if is_zip(data):
            return self.trace_zip(path)
        text = as_text(data)
        if text is None:
            return self._binary_file(path, data)
        before = self.replaced
        cleaned = self._text_file(path, text)
        count = self.replaced - before
        if not count:
            return ScrubOutcome(path, "clean")
        write_atomic(path, cleaned.encode("utf-8"))
        return ScrubOutcome(path, "scrubbed", count)

    def run_dir(self, path: Path) -> list[ScrubOutcome]:
        """Scrub every file under a run folder; what cannot be scrubbed is deleted and reported."""
        return [self.file(item) for item in _files_under(path)]

    def assert_clean(self, path: Path) -> list[Leak]:
        """Every spelling of every secret found in any byte of any file (or zip member) under
        `path`; an empty list means clean."""
        leaks: list[Leak] = []
        pattern = self._bytes_()
        if pattern is None:
            return leaks
        for item in _files_under(path):
            leaks += scan_bytes(
                item, None, item.read_bytes(), pattern, self._bytes, self.mask.encode("utf-8")
            )
        return leaks

    def _text_file(self, path: Path, text: str) -> str:
        if path.suffix.lower() == ".xml":
            structured = scrub_xml(text, self.text)
            if structured is not None:
                return structured
        if path.suffix.lower() == ".json":
            try:
                record = json.loads(text)
            except json.JSONDecodeError:
                return self.text(text)
            return json.dumps(self.json_value(record), ensure_ascii=False, indent=2)
        if path.suffix.lower() in {".trace", ".network", ".jsonl", ".ndjson"}:
            return json_lines(text, self)
        return self.text(text)

    def _binary_file(self, path: Path, data: builtins.bytes) -> ScrubOutcome:
        if scrub_member(path.name, data, self, ZipReport()) is not None:
            return ScrubOutcome(path, "clean")
        path.unlink()
        return ScrubOutcome(path, "deleted", reason="binary holding a secret: cannot be scrubbed")

    def _walk(self, obj: Any, key: str | None, *, keys: bool = False) -> Any:
        """`obj` scrubbed; `keys`: its keys too (a body's, not a trace record's structure)."""
        if isinstance(obj, str):
            if key in PROTECTED_KEYS:
                return obj
            return self.body(obj) if key in BODY_KEYS else self.text(obj)
        if isinstance(obj, list):
            return [self._walk(item, key, keys=keys) for item in obj]
        if isinstance(obj, dict):
            hidden = self.fields.masked_keys(obj, key)
            self.replaced += len(hidden)
            return {
                (self.text(name) if keys else name): (
                    self.mask if name in hidden else self._walk(value, name, keys=keys)
                )
                for name, value in obj.items()
            }
        return obj

    # Each pattern is built when first needed after a secret was added: during a run, the
    # console's lines need the text one after each new secret the traffic brings; the bytes one
    # (three times as many spellings) is needed once, when the evidence is sealed.

    def _text(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._text_pattern is None and self._spellings:
                # whatever its letter case: a page may fold it after turning it round or
                # encoding it (bytes fold ASCII letters only; the text is scrubbed as text)
                self._text_pattern = text_pattern(self._spellings)
            return self._text_pattern

    def _bytes_(self) -> FoldedBytes | None:
        with self._lock:
            if self._bytes_pattern is None and self._bytes:
                self._bytes_pattern = bytes_pattern(self._bytes)
            return self._bytes_pattern

    def bytes(self, b: builtins.bytes) -> builtins.bytes:
        """`b` with every UTF-8 spelling of every secret replaced by the mask."""
        pattern = self._bytes_()
        if pattern is None:
            return b
        cleaned, count = pattern.subn(self.mask.encode("utf-8"), b)
        self.replaced += count
        return cleaned


def _in_bytes(kind: str, spelling: str) -> dict[str, builtins.bytes]:
    """`{suffix: bytes}`: `spelling` in UTF-8 and, for the text itself (not an encoding of it),
    in the character sets a page or a server may also send it in: UTF-16 in both byte orders
    and Latin-1 (`ü` as the one byte 0xFC)."""
    found = {"": spelling.encode("utf-8")}
    if kind.endswith("/plain") or kind in ("upper", "lower", "reversed"):
        found["/utf-16-le"] = spelling.encode("utf-16-le")
        found["/utf-16-be"] = spelling.encode("utf-16-be")
        with contextlib.suppress(UnicodeEncodeError):  # a letter Latin-1 has not
            found["/latin-1"] = spelling.encode("latin-1")
    return {suffix: raw for suffix, raw in found.items() if suffix == "" or raw != found[""]}


def _files_under(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(item for item in path.rglob("*") if item.is_file() and not item.is_symlink())
