"""Reports: every step with its timing and screenshot, the failure with its YAML; no secret."""

from __future__ import annotations

import base64
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot import RunFinished, RunStarted, Scrubber, StepEvent, StepStatus
from bot.evidence import (
    RunFolder,
    RunRecord,
    RunRecorder,
    write_html,
    write_json,
    write_junit,
    write_shared_html,
)

PASSWORD = "S3cret-canary-pw"
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0a1b30000000049454e44ae426082"
)
RUNBOOK = textwrap.dedent("""\
    steps:
      - goto: https://acme.assignar.example/integrations
      - click: Acumatica
      - click: {role: button, name: Re-Authorize}
      - fill: {label: Password, value: "${secrets.password}"}
      - click: Finish
""")


def run_events(folder: Path, runbook: Path) -> RunRecord:
    (folder / "screenshots").mkdir(parents=True, exist_ok=True)
    (folder / "screenshots" / "001.png").write_bytes(PNG_1PX)
    (folder / "screenshots" / "002.png").write_bytes(PNG_1PX)
    recorder = RunRecorder(Scrubber([PASSWORD]), browser_name="chromium", browser_version="156.0")

    def step(index: int, status: StepStatus, at: float, **extra: object) -> None:
        recorder(
            StepEvent(
                "run-7",
                f"steps[{index}]",
                f"step {index}: click thing {index}",
                status,
                at,
                **extra,
            )
        )  # type: ignore[arg-type]

    recorder(
        RunStarted("run-7", "reauthorize", "acme", {"tenant": "ACME", "password": PASSWORD}, 10.0)
    )
    step(
        0,
        StepStatus.PASSED,
        10.4,
        duration=0.4,
        screenshot="screenshots/001.png",
        matched='role=link[name="Acumatica"]',
    )
    step(1, StepStatus.STARTED, 10.4)
    step(1, StepStatus.RETRIED, 11.0, attempt=2)
    step(
        1,
        StepStatus.PASSED,
        12.9,
        duration=2.5,
        attempt=2,
        screenshot="screenshots/002.png",
        captured={"tenant": "ACME", "token": PASSWORD},
    )
    step(
        2,
        StepStatus.FAILED,
        15.0,
        duration=2.1,
        failure_kind="not_found",
        message=f"no button 'Re-Authorize' (typed {PASSWORD})",
        source=f"{runbook}:4",
    )
    step(3, StepStatus.SKIPPED, 15.0, message="after a failure")
    recorder(
        RunFinished(
            "run-7", "failed", 15.2, failure_kind="not_found", screenshot="screenshots/002.png"
        )
    )
    assert recorder.record is not None
    return recorder.record


@pytest.fixture
def record(tmp_path: Path) -> RunRecord:
    runbook = tmp_path / "reauthorize.yaml"
    runbook.write_text(RUNBOOK)
    return run_events(tmp_path, runbook)


def test_record_collects_steps_retries_and_failure(record: RunRecord) -> None:
    assert [(s.path, s.status) for s in record.steps] == [
        ("steps[0]", "passed"),
        ("steps[1]", "passed"),
        ("steps[2]", "failed"),
        ("steps[3]", "skipped"),
    ]
    assert record.steps[1].retries == 1
    assert record.steps[1].captured == {"tenant": "ACME", "token": "[secret]"}
    assert record.params == {"tenant": "ACME", "password": "[secret]"}
    assert (record.failing_step, record.failure_kind) == ("steps[2]", "not_found")
    assert record.message == "no button 'Re-Authorize' (typed [secret])"
    assert record.failing_yaml is not None
    assert ">    4 |   - click: {role: button, name: Re-Authorize}" in record.failing_yaml


def test_html_report_contains_every_step(record: RunRecord, tmp_path: Path) -> None:
    page = write_html(record, tmp_path, scrubber=Scrubber([PASSWORD])).read_text()
    for step in record.steps:
        assert f'id="step-{step.seq}"' in page
        assert step.description in page
    assert "2.50 s" in page
    assert "400 ms" in page
    assert "1 retry" in page
    assert "Re-Authorize}" in page  # the failing step's YAML, escaped as HTML text
    assert "bot trace run-7" in page
    assert not re.search(r"<link|<script", page)


def test_html_report_shows_the_screenshots_beside_it(record: RunRecord, tmp_path: Path) -> None:
    """report.html stays small: each screenshot is the file in the run folder, not a copy."""
    page = write_html(record, tmp_path, scrubber=Scrubber([PASSWORD])).read_text()
    sources = re.findall(r'<img class="shot[^"]*" alt="([^"]+)" src="([^"]+)"', page)
    assert sources == [
        ("screenshot after step 1", "screenshots/001.png"),
        ("screenshot after step 2", "screenshots/002.png"),
        ("screenshot of the final state", "screenshots/002.png"),
    ]
    assert "data:" not in page


def test_a_screenshot_deleted_while_sealing_is_said_to_be_missing(
    record: RunRecord, tmp_path: Path
) -> None:
    (tmp_path / "screenshots" / "001.png").unlink()
    page = write_html(record, tmp_path, scrubber=Scrubber([PASSWORD])).read_text()
    assert page.count("screenshot not kept (see About this evidence)") == 1
    assert 'src="screenshots/001.png"' not in page


def test_the_shared_report_holds_its_screenshots(record: RunRecord, tmp_path: Path) -> None:
    """`bot report ID --self-contained`: from report.json, one file with every image inside."""
    write_json(record, tmp_path, scrubber=Scrubber([PASSWORD]))
    shared = write_shared_html(tmp_path)
    assert shared == tmp_path / "report-shared.html"
    page = shared.read_text()
    image = "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()
    assert page.count(f'src="{image}"') == 3  # two steps and the final state
    assert not re.search(r"<link|<script|src=\"(?!data:)", page)  # one self-contained file
    for step in record.steps:
        assert f'id="step-{step.seq}"' in page
    assert "Re-Authorize}" in page


def test_a_record_comes_back_from_its_json(record: RunRecord, tmp_path: Path) -> None:
    data = json.loads(write_json(record, tmp_path).read_text())
    assert RunRecord.from_dict(data) == record


def test_the_report_names_a_trace_command_that_works_where_the_bot_is_installed(
    record: RunRecord, tmp_path: Path
) -> None:
    """`bot trace` serves the viewer itself; `playwright show-trace` needs Playwright's own
    browser, which machines using the system's Chromium lack."""
    (tmp_path / "trace.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    page = write_html(record, tmp_path, scrubber=Scrubber([PASSWORD])).read_text()
    assert "<code>bot trace trace.zip</code>\n  (from this folder)" in page
    assert "<code>bot trace run-7</code> (where the run was started)" in page
    assert "show-trace" not in page


def test_json_and_junit_reports(record: RunRecord, tmp_path: Path) -> None:
    data = json.loads(write_json(record, tmp_path).read_text())
    assert [step["status"] for step in data["steps"]] == ["passed", "passed", "failed", "skipped"]
    assert data["steps"][1]["retries"] == 1
    assert data["duration"] == pytest.approx(5.2)
    suite = ET.parse(write_junit(record, tmp_path)).getroot()
    cases = suite.findall("testcase")
    assert [case.get("name") for case in cases] == [step.description for step in record.steps]
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "1", "1")
    failure = cases[2].find("failure")
    assert failure is not None
    assert failure.get("type") == "not_found"
    assert "Re-Authorize" in (failure.text or "")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["trace"] == str(tmp_path / "trace.zip")
    assert properties["report"] == str(tmp_path / "report.html")
    assert properties["final_screenshot"] == "screenshots/002.png"


def test_no_report_holds_the_secret(record: RunRecord, tmp_path: Path) -> None:
    scrubber = Scrubber([PASSWORD])
    record.message = f"late message with {PASSWORD}"  # writers scrub again on the way out
    for writer in (write_json, write_html, write_junit):
        writer(record, tmp_path, scrubber=scrubber)
    assert scrubber.assert_clean(tmp_path) == []


def test_run_folder_layout_and_trace_retention(tmp_path: Path) -> None:
    folder = RunFolder.create(
        tmp_path, "Acme Pty/Ltd", "reauthorize", "r-42", started_at=1_795_818_807
    )
    assert folder.path == tmp_path / "Acme-Pty-Ltd" / "20261127T223327Z-reauthorize-r-42"
    assert folder.screenshots.is_dir()
    assert folder.screenshot(3, "click Save!") == folder.screenshots / "003-click-Save.png"
    assert [
        p.name
        for p in (folder.trace, folder.report_json, folder.report_html, folder.junit, folder.log)
    ] == ["trace.zip", "report.json", "report.html", "junit.xml", "run.log"]
    folder.trace.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    assert not folder.apply_retention("failed", "on-failure")
    assert not folder.apply_retention("passed", "always")
    assert folder.trace.exists()
    assert folder.apply_retention("passed", "on-failure")
    assert not folder.trace.exists()
