"""A user's project folder (config.yaml, runbooks/) and what a `bot` command gave back."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Result:
    """Exit code, standard output and standard error of one `bot …` command."""

    code: int
    out: str
    err: str


@dataclass
class Project:
    root: Path

    def config(self, text: str) -> None:
        (self.root / "config.yaml").write_text(textwrap.dedent(text), encoding="utf-8")

    def runbook(self, name: str, text: str) -> Path:
        path = self.root / "runbooks" / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def files(self) -> dict[str, bytes]:
        """Every file under the project, with its bytes: to prove a command wrote nothing."""
        return {
            str(path.relative_to(self.root)): path.read_bytes()
            for path in sorted(self.root.rglob("*"))
            if path.is_file()
        }
