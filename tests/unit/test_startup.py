"""`bot --help` answers without loading what only running a runbook needs (its speed target,
under 0.1 s, is measured in benchmarks/, not here): neither the runbook language (pydantic,
Jinja2), nor Playwright, nor the evidence."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pydantic", "jinja2", "playwright", "yaml", "bot.language", "bot.evidence", "bot.app")
LOADED = """
import sys
sys.argv = ["bot", *{argv!r}]
try:
    from bot.cli import main
    main()
except SystemExit:
    pass
print("\\nLOADED", " ".join(sorted(sys.modules)))
"""


def loaded_by(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", LOADED.format(argv=list(argv))],
        capture_output=True,
        text=True,
        check=True,
    )
    line = done.stdout.rsplit("\nLOADED ", 1)[1]
    return set(line.split())


def heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.startswith(HEAVY))


def test_bot_help_loads_only_the_command_line() -> None:
    modules = loaded_by("--help")
    assert "bot.cli" in modules
    assert "bot.engine.interrupts" in modules  # SIGTERM stops every command as Ctrl-C does
    assert heavy(modules) == []
    assert {"json", "dataclasses"} & modules == set()  # 5 ms of the 0.1 s, for two commands


def test_a_subcommands_help_loads_only_the_command_line() -> None:
    assert heavy(loaded_by("run", "--help")) == []
