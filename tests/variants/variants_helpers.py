"""Running the article's runbooks on one variation and judging the outcome against the oracle.

(A module of its own, not conftest.py: test modules import its names.)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from allpairspy import AllPairs
from bot_sim.harness import Simulators
from bot_sim.variation import AXES, choose, describe
from expectations import Expected

from bot import RunOptions, SandboxBot, SandboxRun

INTEGRATION_USER = "assignar.integration"
SEEDS = range(1, 21)
#: how many random seeds run when BOT_VARIANTS is not `all` (CI): the first ones, always the same
CI_SEEDS = 5


def pairwise() -> list[dict[str, str]]:
    """A covering array of strength 2 over every axis: each pair of values meets at least once."""
    names = list(AXES)
    return [
        dict(zip(names, row, strict=True))
        for row in AllPairs([list(AXES[n].values) for n in names])
    ]


def seeded() -> list[tuple[int, dict[str, str]]]:
    chosen = SEEDS if os.environ.get("BOT_VARIANTS") == "all" else SEEDS[:CI_SEEDS]
    return [(seed, choose(seed=seed)) for seed in chosen]


@dataclass
class Variants:
    sims: Simulators
    bot: SandboxBot
    browser: Any

    def run(self, runbook: str, variation: Mapping[str, str]) -> tuple[SandboxRun, dict[str, Any]]:
        """`runbook` on the simulators showing `variation` (from their seed), in a fresh browser
        context; returns the run and what both simulators held before it."""
        self.sims.vary(dict(variation))
        return self.run_prepared(runbook)

    def run_prepared(self, runbook: str) -> tuple[SandboxRun, dict[str, Any]]:
        """`runbook` on the simulators as they are now (a test may have changed them further)."""
        before = world(self.sims)
        context = self.browser.new_context()
        try:
            run = self.bot.run(runbook, {}, RunOptions(page=context.new_page()))
        finally:
            context.close()
        return run, before


def world(sims: Simulators) -> dict[str, Any]:
    """What a run may change: Assignar's integration, Acumatica's applications, tokens, consents."""
    acumatica = sims.acumatica.snapshot()
    return {
        "integration": sims.assignar.snapshot()["integration"],
        "apps": acumatica["connected_apps"],
        "tokens": acumatica["tokens"],
        "consents": acumatica["consents"],
    }


def judge(
    run: SandboxRun, expected: Expected, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """The run ended as `expected` says, and changed only what it may have."""
    where = f"{describe_run(run)}"
    assert run.verdict == expected.verdict, where
    if expected.verdict == "failed":
        assert run.kind == expected.kind, where
        assert expected.words in run.message, where
        if expected.untouched == "nothing":
            assert after == before, f"the stopped run changed something\n{where}"
        else:
            assert after["integration"]["enabled"] == before["integration"]["enabled"], where
    for line in expected.summary:
        assert line in run.summary_text, where


def describe_run(run: SandboxRun) -> str:
    return f"{run.verdict}/{run.kind}: {run.message}\nsummary: {run.summary}\n{run.output[-3000:]}"


def label(variation: Mapping[str, str]) -> str:
    return describe(variation).replace(" ", ",")
