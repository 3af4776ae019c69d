"""Pieces the CLI tests share: a command's result, the project folder, the secret's value."""

from __future__ import annotations

from collections.abc import Callable

from support.project import Project, Result

SECRET_VALUE = "Cli-Secret-Value-42"

Bot = Callable[..., Result]

__all__ = ["SECRET_VALUE", "Bot", "Project", "Result"]
