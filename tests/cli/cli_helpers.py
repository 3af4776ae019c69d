"""Pieces the CLI tests share: `bot` run as a user runs it, a command's result, the project
folder, the secret's value."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from support.project import Project, Result

SECRET_VALUE = "Cli-Secret-Value-42"
BOT = Path(sys.executable).parent / "bot"


def run_bot(
    cwd: Path,
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    stdin: int | None = None,
) -> Result:
    """`bot ARGS…` in `cwd`, with the test client's secret in the environment, no BOT_CONFIG
    (`stdin`: as for `subprocess.run`; by default this process's own)."""
    environment = {
        **os.environ,
        "ACME_TEST_PW": SECRET_VALUE,
        "NO_COLOR": "1",
        "COLUMNS": "120",
        **(env or {}),
    }
    environment.pop("BOT_CONFIG", None)
    done = subprocess.run(
        [str(BOT), *args],
        cwd=cwd,
        env=environment,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def run_bot_with(prelude: str, cwd: Path, *args: str) -> Result:
    """`bot ARGS…` in `cwd`, in a Python that first runs `prelude` (e.g. hiding a module, to play
    an install without an extra)."""
    program = f"{prelude}; import sys; sys.argv[0] = 'bot'; from bot.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", program, *args],
        cwd=cwd,
        env={k: v for k, v in os.environ.items() if k != "BOT_CONFIG"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


Bot = Callable[..., Result]

__all__ = ["BOT", "SECRET_VALUE", "Bot", "Project", "Result", "run_bot", "run_bot_with"]
