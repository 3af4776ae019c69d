"""The registry the built-in actions register into (exported as `bot.steps.BUILTIN`)."""

from __future__ import annotations

from bot.language.registry import Registry

BUILTIN = Registry()
