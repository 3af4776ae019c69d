"""Scrubbing a zip (a Playwright trace, or any archive) member by member, keeping its structure.

`*.trace`, `*.network` and `*.stacks` are parsed as JSON (lines) and only string values are
rewritten; other members whose bytes are text are bodies (JSON, form-encoded, or plain text);
binary members that hold a secret cannot be scrubbed and are dropped. Member names and order are
kept.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.engine.step_context import PRIVATE_LOOK
from bot.evidence._content import ZIP_ERRORS, as_text, gunzip, is_gzip, is_zip

PRIVATE_RESULT = "[read by the bot to mask secrets; not kept]"


class Scrubber(Protocol):
    """What scrubbing a zip needs of `bot.evidence.scrub.Scrubber`."""

    def text(self, s: str) -> str: ...

    replaced: int  # replacements made so far

    def json_value(self, obj: Any) -> Any: ...

    def body(self, text: str) -> str: ...

    def contains(self, data: bytes) -> bool: ...


STRUCTURED_SUFFIXES = (".trace", ".network", ".stacks")


@dataclass
class ZipReport:
    """What scrubbing one archive did: members dropped (with nested paths as `outer!inner`)."""

    dropped: list[str] = field(default_factory=list)


def scrub_zip_bytes(data: bytes, scrubber: Scrubber, report: ZipReport, prefix: str = "") -> bytes:
    """A new archive with every member scrubbed; raises `zipfile.BadZipFile` when corrupt."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info)
            cleaned = (
                body
                if info.is_dir()
                else scrub_member(info.filename, body, scrubber, report, prefix)
            )
            if cleaned is None:
                report.dropped.append(prefix + info.filename)
                continue
            target.writestr(_same_header(info), cleaned)
    return output.getvalue()


def scrub_member(
    name: str, body: bytes, scrubber: Scrubber, report: ZipReport, prefix: str = ""
) -> bytes | None:
    """The scrubbed bytes of one member, or None when it cannot be scrubbed and must go."""
    if is_zip(body):
        try:
            return scrub_zip_bytes(body, scrubber, report, f"{prefix}{name}!")
        except ZIP_ERRORS:
            return None
    text = as_text(body)
    if text is None:
        return _binary(body, scrubber)
    if name.endswith(STRUCTURED_SUFFIXES):
        return json_lines(text, scrubber).encode("utf-8")
    return scrubber.body(text).encode("utf-8")


def json_lines(text: str, scrubber: Scrubber) -> str:
    """Each JSON line parsed, its strings scrubbed and dumped back; other lines scrubbed as text.

    What the bot itself read out of a page to find secrets on it (an evaluation marked
    `PRIVATE_LOOK`) is not evidence: its result is masked whole.
    """
    lines = []
    private = _private_calls(text)
    for line in text.split("\n"):
        if not line.strip():
            lines.append(line)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            lines.append(scrubber.text(line))
            continue
        looked = isinstance(record, dict) and record.get("callId") in private and "result" in record
        if looked:
            scrubber.replaced += 1
        cleaned = scrubber.json_value(
            {**record, "result": {"value": PRIVATE_RESULT}} if looked else record
        )
        lines.append(
            line
            if cleaned == record
            else json.dumps(cleaned, ensure_ascii=False, separators=(",", ":"))
        )
    return "\n".join(lines)


def _private_calls(text: str) -> set[str]:
    """The call ids of the bot's own looks at a page (`PRIVATE_LOOK` in their parameters)."""
    found = set()
    for line in text.split("\n"):
        if PRIVATE_LOOK not in line:
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and PRIVATE_LOOK in json.dumps(record.get("params")):
            found.add(str(record.get("callId")))
    return found


def _binary(body: bytes, scrubber: Scrubber) -> bytes | None:
    """Binary bodies are kept only when no spelling of any secret is in them (or gunzipped)."""
    inflated = gunzip(body) if is_gzip(body) else None
    if is_gzip(body) and inflated is None:
        return None
    if scrubber.contains(body) or (inflated is not None and scrubber.contains(inflated)):
        return None
    return body


def _same_header(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    header = zipfile.ZipInfo(info.filename, info.date_time)
    header.compress_type = info.compress_type
    header.external_attr = info.external_attr
    header.comment = info.comment
    return header
