"""`kill -9` of `bot run` mid-run: the history (written step by step) still shows the run, as
interrupted with the steps it did, through `bot runs` and `bot runs show ID` on the same config;
and what the killed run left (screenshots, the history database and its WAL) holds no secret."""

from __future__ import annotations

import json
import signal

import pytest
from evidence_e2e_helpers import Run, World, leaks, run_sources, text_source

pytestmark = pytest.mark.browser


def test_killed_run_shows_as_interrupted_with_its_steps(world: World, killed_run: Run) -> None:
    run = killed_run
    assert run.returncode == -signal.SIGKILL, run
    assert "assignar.integration: success" in run.acumatica_sign_ins  # it got that far
    assert not (run.folder / "report.json").exists()  # it never finished: only the history knows
    # every byte it left, before any `bot runs` checkpoints the WAL, and its console
    found = leaks(run_sources(world, run) + text_source("console output", run.output), run.secrets)
    assert found == [], "\n".join(found)

    listing = world.cli("runs", "--json")
    assert listing.returncode == 0, listing.stderr
    row = next(row for row in json.loads(listing.stdout) if row["id"] == run.run_id)
    assert row["verdict"] == "interrupted"
    assert row["step_count"] > 0
    assert "killed or crashed" in row["message"]

    table = world.cli("runs")
    assert table.returncode == 0, table.stderr
    line = next(line for line in table.stdout.splitlines() if run.run_id in line)
    assert "interrupted" in line

    shown = world.cli("runs", "show", run.run_id)
    assert shown.returncode == 0, shown.stderr
    assert "INTERRUPTED" in shown.stdout
    steps = [
        line.split()
        for line in shown.stdout.splitlines()
        if line.startswith("  ") and line.split()[:1] in (["passed"], ["started"])
    ]
    assert len([step for step in steps if step[0] == "passed"]) > 0, shown.stdout
    for step in ("Open Assignar", "Re-Authorize", 'fill label "Password"'):
        assert step in shown.stdout

    # its report and trace were never sealed: said as the killed run's, not as one that kept none
    for command in ("report", "trace"):
        missing = world.cli(command, run.run_id)
        assert missing.returncode == 2, missing
        assert f"run {run.run_id} kept no {command}: it was interrupted — process" in (
            missing.stderr
        )
        assert "killed or crashed" in missing.stderr
    found = leaks(
        text_source(
            "bot runs",
            listing.stdout
            + table.stdout
            + shown.stdout
            + listing.stderr
            + table.stderr
            + shown.stderr,
        ),
        run.secrets,
    )
    assert found == [], "\n".join(found)
