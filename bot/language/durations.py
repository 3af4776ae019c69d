"""Durations as people write them in YAML: `5s`, `500ms`, `2m`, or a number of seconds."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
MAX_SECONDS = 24 * 3600.0
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")


def parse_duration(value: Any) -> float:
    """Seconds, from `5s`, `500ms`, `1.5m`, `2h` or a plain number (seconds)."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or text like '5s' or '500ms'")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _PATTERN.match(str(value))
        if not match:
            raise ValueError(f"'{value}' is not a duration: write e.g. '5s', '500ms' or '2m'")
        seconds = float(match.group(1)) * _UNITS[match.group(2) or "s"]
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    if seconds > MAX_SECONDS:  # Playwright (Node.js timers) would fire such a timeout at once
        raise ValueError(f"'{value}' is longer than a day: a duration is at most 24h")
    return seconds


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string", "pattern": _PATTERN.pattern}],
            "description": "seconds, or text like '5s', '500ms', '2m'",
        }
    ),
]
