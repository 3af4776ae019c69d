"""Reading a file the user wrote (a config, a runbook, a `.env`): one that cannot be read or is
not UTF-8 text is a problem at its path (and line), with the fix, never a traceback."""

from __future__ import annotations

from pathlib import Path

from bot.language.diagnostics import Diagnostic, ValidationFailed
from bot.language.source import Source


def read_text(path: Path) -> str:
    """The text of `path`; ValidationFailed (exit 2) when it cannot be read or decoded. The
    lines around an undecodable byte are not shown: they may hold a password written inline."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        why = "it is a folder, not a file" if path.is_dir() else (exc.strerror or str(exc))
        raise _problem(
            path, None, f"cannot read it ({why}): check the path and its permissions"
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(
            path,
            line,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}): save it "
            "as UTF-8 in your editor (or convert it: `iconv -f latin1 -t utf-8`)",
        ) from None


def read_source(path: Path) -> Source:
    """`path` as a YAML document's Source (see `read_text`)."""
    return Source(str(path), read_text(path))


def _problem(path: Path, line: int | None, message: str) -> ValidationFailed:
    return ValidationFailed([Diagnostic(str(path), line, "", message)])
