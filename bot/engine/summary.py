"""The runbook's `summary:` lines, rendered for the verdict (those whose `when` holds)."""

from __future__ import annotations

from bot.engine.context import RunState
from bot.errors import StepError
from bot.language.document import Runbook
from bot.language.templating import evaluate, render


def summary_lines(runbook: Runbook, state: RunState, verdict: str) -> list[str]:
    lines = []
    for item in runbook.head.summary:
        if item.on not in ("always", verdict):
            continue
        try:
            if item.when and not evaluate(item.when, state.template_context()):
                continue
            text = render(item.message, state.template_context(), state.secret)
        except StepError:
            continue  # a line about something this run never saw
        line = " ".join(str(text).split())
        secret = state.secret_in(line)
        if secret is not None:  # a secret never enters the verdict: the line is dropped
            line = f"(a summary line was withheld: it held the secret '{secret}')"
        lines.append(line)
    return lines
