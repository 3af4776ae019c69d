"""The verdict a run prints: what happened, where, what to do next, and where the evidence is."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from bot.app.config_files import find_config
from bot.errors import BotError, FailureKind

if TYPE_CHECKING:
    from bot.app.options import RunOutcome


def bot_command(config_path: str) -> str:
    """`bot`, or `bot --config PATH` when a `bot` started here would not find the run's config
    (a test session's, a sandbox's, `--config` elsewhere): the printed hints work as typed."""
    if not config_path:
        return "bot"
    try:
        found = find_config(None)
    except BotError:
        found = None
    if found is not None and found.resolve() == Path(config_path).resolve():
        return "bot"
    return f"bot --config {shlex.quote(str(Path(config_path).resolve()))}"


def verdict_text(outcome: RunOutcome, command: str = "bot") -> str:
    """`command`: how to call the bot that finds this run's history (see `bot_command`)."""
    result, lines = outcome.result, [""]
    if result.verdict == "passed":
        lines.append(f"PASSED  {outcome.plan.runbook.name}")
    else:
        step = result.failed_step
        where = f" at {step.where} ({step.describe()})" if step else ""
        lines.append(f"FAILED{where}: {result.error.message if result.error else ''}")
        if step is not None:
            lines += ["  the step:", *(f"    {line}" for line in step.yaml.splitlines())]
    lines += [f"  {line}" for line in outcome.summary]
    lines += [f"  note: {note}" for note in outcome.notes]
    kind = result.error.kind if result.error else None
    if result.verdict == "failed" and kind not in (None, FailureKind.STOPPED):  # a guard says it
        lines.append(f"  next: {kind.next_step.replace('RUN_ID', result.run_id)}")
    lines.append(f"  run {result.run_id}  ({command} runs show {result.run_id})")
    folder = outcome.folder
    lines.append(f"  report: {folder / 'report.html'}")
    if (folder / "trace.zip").exists():
        lines.append(f"  trace:  {folder / 'trace.zip'}  ({command} trace {result.run_id})")
    return "\n".join(lines) + "\n"


def interrupted_text(run_id: str, summary: list[str], notes: list[str], folder: Path) -> str:
    """After Ctrl-C: what state the run left behind (as far as it knows), what became of its
    evidence, and where it is."""
    said = "".join(f"  {line}\n" for line in summary)
    said += "".join(f"  note: {note}\n" for note in notes)
    return f"\nINTERRUPTED  run {run_id}\n{said}  evidence: {folder}\n"
