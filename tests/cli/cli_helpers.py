"""Pieces the CLI tests share: a command's result, the project folder, the secret's value."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SECRET_VALUE = "Cli-Secret-Value-42"


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Project:
    root: Path

    def runbook(self, name: str, text: str) -> Path:
        path = self.root / "runbooks" / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path


Bot = Callable[..., Result]
