"""Troubleshooting evidence: scrubbed traces, run reports, run history and run folders."""

from __future__ import annotations

from bot.evidence.console import ConsoleReporter, JsonReporter, printable
from bot.evidence.folder import Retention, RunFolder, sweep_unscrubbed
from bot.evidence.history import History, HistoryRecorder, RunRow, StepRow
from bot.evidence.recording import RunEvidence
from bot.evidence.report import (
    RunRecord,
    RunRecorder,
    StepRecord,
    write_html,
    write_json,
    write_junit,
    write_shared_html,
)
from bot.evidence.scrub import Leak, Scrubber, ScrubOutcome, encodings_of
from bot.evidence.traffic import TrafficSecrets

__all__ = [
    "ConsoleReporter",
    "History",
    "HistoryRecorder",
    "JsonReporter",
    "Leak",
    "Retention",
    "RunEvidence",
    "RunFolder",
    "RunRecord",
    "RunRecorder",
    "RunRow",
    "ScrubOutcome",
    "Scrubber",
    "StepRecord",
    "StepRow",
    "TrafficSecrets",
    "encodings_of",
    "printable",
    "sweep_unscrubbed",
    "write_html",
    "write_json",
    "write_junit",
    "write_shared_html",
]
