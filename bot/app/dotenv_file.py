"""The `.env` beside a config: where each variable is set (for messages), and writing one."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from dotenv.parser import parse_stream


def dotenv_line_numbers(path: Path) -> dict[str, int]:
    """The line each variable of the `.env` at `path` is set on (the last, as dotenv reads it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    found = {}
    for binding in parse_stream(io.StringIO(text)):
        if binding.key is not None:
            written = binding.original.string  # blank lines before it are part of it
            skipped = written[: len(written) - len(written.lstrip())].count("\n")
            found[binding.key] = binding.original.line + skipped
    return found


def write_env_file(path: Path, values: Mapping[str, str]) -> None:
    """A `.env` (mode 0600) that `load_config` reads back exactly: every value double-quoted."""

    def quoted(value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'

    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text("".join(f"{k}={quoted(v)}\n" for k, v in values.items()), encoding="utf-8")
