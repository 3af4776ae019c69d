"""A runbook's use of client settings, checked before a run: every `client.x` it uses is listed in
its `requires:` (or tested with `is defined`: an optional setting), and, for a known client, every
setting it requires is there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.language.check_context import CheckContext
from bot.language.diagnostics import Diagnostic, closest, did_you_mean
from bot.language.document import Runbook

ALWAYS_THERE = frozenset({"name"})  # `client.name` is the client's name in the config


def check_client_setting(
    runbook: Runbook, setting: str, settings: dict[str, Any] | None, problem: Callable[[str], None]
) -> None:
    """`client.<setting>`, used without an `is defined` test."""
    required = runbook.head.requires
    if setting in ALWAYS_THERE or setting in required:
        return
    if settings is not None and setting not in settings:
        others = [name for name in settings if name not in ALWAYS_THERE]
        problem(f"the client has no setting '{setting}'{did_you_mean(setting, others)}")
        return
    hint = f" (did you mean '{closest(setting, required)}'?)" if closest(setting, required) else ""
    problem(
        f"client.{setting} is used but `requires:` does not list it{hint}: add it to "
        f"`requires:` (every client is then checked for it before a run), or test it first with "
        f"`client.{setting} is defined` when it is optional"
    )


def check_requires(runbook: Runbook, ctx: CheckContext) -> None:
    """For a known client: every setting `requires:` lists is there, and not empty (said once
    per line of `requires:`, with the client's settings a misspelt one may mean)."""
    if ctx.settings is None:
        return
    settings = ctx.settings
    others = [key for key in settings if key not in (*runbook.head.requires, *ALWAYS_THERE)]
    missing: dict[int, list[str]] = {}
    for index, name in enumerate(runbook.head.requires):
        if settings.get(name) in (None, "", []):
            missing.setdefault(runbook.line_of("requires", index), []).append(name)
    for line, names in missing.items():
        hints = "".join(_close(name, others) for name in names)
        listed = f"settings: {', '.join(names)}" if len(names) > 1 else f"setting '{names[0]}'"
        ctx.problems.append(
            Diagnostic(
                runbook.source.path,
                line,
                "requires",
                f"the client lacks the {listed}{hints} — add "
                f"{'them' if len(names) > 1 else 'it'} under the client's `settings:` in the "
                "config",
            )
        )


def _close(name: str, choices: list[str]) -> str:
    """' (name: did you mean 'x'?)' when one of the client's settings is close to `name`."""
    close = closest(name, choices)
    return f" ({name}: did you mean '{close}'?)" if close else ""
