"""Troubleshooting evidence: scrubbed traces, run reports, run history and run folders."""

from __future__ import annotations

from bot.evidence.folder import Retention, RunFolder
from bot.evidence.history import History, HistoryRecorder, RunRow, StepRow, default_history_path
from bot.evidence.report import (
    RunRecord,
    RunRecorder,
    StepRecord,
    write_html,
    write_json,
    write_junit,
)
from bot.evidence.scrub import Leak, Scrubber, ScrubOutcome, encodings_of
from bot.evidence.traffic import TrafficSecrets

__all__ = [
    "History",
    "HistoryRecorder",
    "Leak",
    "Retention",
    "RunFolder",
    "RunRecord",
    "RunRecorder",
    "RunRow",
    "ScrubOutcome",
    "Scrubber",
    "StepRecord",
    "StepRow",
    "TrafficSecrets",
    "default_history_path",
    "encodings_of",
    "write_html",
    "write_json",
    "write_junit",
]
