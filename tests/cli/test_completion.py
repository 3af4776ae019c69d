"""Shell completion offers the runbooks and clients a person can use next."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOT = str(Path(sys.executable).with_name("bot"))


def complete(words: str) -> list[str]:
    env = {
        **os.environ,
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
        "_BOT_COMPLETE": "bash_complete",
    }
    done = subprocess.run([BOT], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if "," in line]


def test_runbook_names_complete() -> None:
    assert complete("bot run re") == ["reauthorize"]


def test_client_names_complete() -> None:
    assert complete("bot run reauthorize --client de") == ["demo"]


def test_bash_script_is_generated() -> None:
    env = {**os.environ, "_BOT_COMPLETE": "bash_source"}
    done = subprocess.run([BOT], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert "_bot_completion()" in done.stdout
