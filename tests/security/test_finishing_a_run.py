"""Attack class: a run whose finishing breaks. The report template is missing (as in a wheel built
without it), the disk is full when report.json is written, and the page put control characters
into the failure message: every artifact that is kept was still scrubbed and scanned, those that
could not be written say so in the verdict and in the reports, and junit.xml is well-formed."""

from __future__ import annotations

import errno
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from canaries import EIGHT, NFC
from jinja2 import TemplateNotFound
from security_helpers import Project, assert_no_secret, held

from bot.evidence import recording

pytestmark = pytest.mark.browser

STEPS = """\
- goto: "{{ client.site_url }}/encodings.html"
- fill: {Password: "{{ secret('pw') }}"}
- fill: {Note: "{{ secret('pw8') }}"}
- click: Sign in
- wait_for: Form received
- goto: "{{ client.site_url }}/control.html"
- capture: {css: "#status", as: status}
- fail: "The page says: {{ vars.status }}"
"""


def test_a_broken_finish_still_scrubs_scans_and_says_what_is_missing(
    project: Project, browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_template(*args: object, **kwargs: object) -> Path:  # a wheel built without it
        raise TemplateNotFound("report.html.j2")

    def disk_full(*args: object, **kwargs: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(recording, "write_html", no_template)
    monkeypatch.setattr(recording, "write_json", disk_full)
    run = project.run(STEPS, browser)
    assert (run.verdict, run.kind) == ("failed", "stopped"), run
    notes = run.outcome.notes
    assert any(n.startswith("report.html could not be written (TemplateNotFound") for n in notes)
    assert any(n.startswith("report.json could not be written (OSError") for n in notes)
    assert all(f"note: {note}" in run.output for note in notes)  # the printed verdict says so
    kept = sorted(p.name for p in run.folder.iterdir())
    assert kept == ["junit.xml", "run.log", "screenshots", "trace.zip"]
    junit = ET.parse(run.folder / "junit.xml").getroot()  # well-formed, control characters gone
    failure = junit.find(".//failure")
    assert failure is not None
    assert "bell \ufffd escape \ufffd[31m" in failure.get("message", "")
    said = {p.get("value") for p in junit.iter("property") if p.get("name") == "note"}
    assert said == set(notes)
    assert "bell \ufffd escape \ufffd[31m nul-ish \ufffd end" in run.output  # shown, not obeyed
    assert run.raw_trace is not None
    with zipfile.ZipFile(run.raw_trace) as raw:  # control: the page really sent them
        assert b"bell \\u0007 escape \\u001b[31m" in raw.read("trace.trace")
    assert held(run.raw_trace, {"pw": NFC, "pw8": EIGHT}) == ["pw", "pw8"]  # control: typed
    assert_no_secret(run)


def test_a_report_json_keeps_control_characters_escaped(project: Project, browser: Any) -> None:
    run = project.run(STEPS, browser)
    report = json.loads((run.folder / "report.json").read_text(encoding="utf-8"))
    assert "\u0007" in report["message"]
    ET.parse(run.folder / "junit.xml")
    assert_no_secret(run)
