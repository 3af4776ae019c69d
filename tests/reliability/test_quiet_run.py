"""A quiet run (each run of a fleet) prints nothing where it runs; its run folder still tells
everything: the run's log has every line the console would have shown, and its report every step."""

from __future__ import annotations

import json

from bot_sim.harness import Simulators
from rel_helpers import RelBot

from bot import RunOptions


def test_a_quiet_run_prints_nothing_and_its_evidence_still_tells_every_step(
    rbot: RelBot, sims: Simulators
) -> None:
    loud = rbot.sandbox.run("reauthorize", options=RunOptions())
    sims.reset()  # the same world for both runs
    quiet = rbot.sandbox.run("reauthorize", options=RunOptions(quiet=True))

    assert quiet.outcome.result.verdict == loud.outcome.result.verdict == "passed"
    assert quiet.output == ""
    assert "Running reauthorize for sandbox" in loud.output
    log = (quiet.outcome.folder / "run.log").read_text(encoding="utf-8")
    loud_log = (loud.outcome.folder / "run.log").read_text(encoding="utf-8")
    assert len(log.splitlines()) == len(loud_log.splitlines()) > 20
    report = json.loads((quiet.outcome.folder / "report.json").read_text(encoding="utf-8"))
    loud_report = json.loads((loud.outcome.folder / "report.json").read_text(encoding="utf-8"))
    steps = [step["description"] for step in report["steps"]]
    assert steps == [step["description"] for step in loud_report["steps"]]
