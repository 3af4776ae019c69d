"""A real run's `report.html`, opened from disk (file://) in Chromium: every step of the run is
there, each step's screenshot is an inline `data:` image that decodes, no other file is fetched,
and for a failed run the failing step's YAML is shown as written in the runbook."""

from __future__ import annotations

import base64
import json

import pytest
from evidence_e2e_helpers import Run
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def check_report(page: Page, run: Run) -> dict[str, object]:
    """Every step of report.json in report.html, with its screenshot inline; returns the record."""
    record = json.loads((run.folder / "report.json").read_text(encoding="utf-8"))
    steps = record["steps"]
    assert steps
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    report = (run.folder / "report.html").as_uri()
    page.goto(report)
    expect(page.locator("tr.step")).to_have_count(len(steps))
    expect(page.locator("#verdict")).to_have_text(record["verdict"])
    with_shots = 0
    for step in steps:
        row = page.locator(f"#step-{step['seq']}")
        expect(row.locator(".description")).to_have_text(step["description"])
        expect(row.locator(".status")).to_have_text(step["status"])
        if not step["screenshot"]:
            continue
        with_shots += 1
        image = row.get_by_role("img", name=f"screenshot after step {step['seq']}")
        source = image.get_attribute("src") or ""
        assert source.startswith("data:image/png;base64,"), step
        on_disk = (run.folder / step["screenshot"]).read_bytes()
        assert base64.b64decode(source.split(",", 1)[1]) == on_disk  # that very screenshot
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.complete && img.naturalWidth") > 100
    files = sorted(
        p.relative_to(run.folder).as_posix() for p in (run.folder / "screenshots").glob("*.png")
    )
    assert sorted(step["screenshot"] for step in steps if step["screenshot"]) == files
    assert with_shots >= 10
    assert requested == [report]  # self-contained: nothing else was fetched
    return record


def test_report_of_a_passed_run(page: Page, passed_run: Run) -> None:
    record = check_report(page, passed_run)
    assert record["verdict"] == "passed"
    expect(page.locator("#failure")).to_have_count(0)
    expect(page.locator("#trace-help")).to_contain_text(f"bot trace {passed_run.run_id}")


@pytest.mark.parametrize("fixture", ["signin_failed_run", "token_failed_run"])
def test_report_of_a_failed_run_shows_the_failing_steps_yaml(
    page: Page, fixture: str, request: pytest.FixtureRequest
) -> None:
    run: Run = request.getfixturevalue(fixture)
    record = check_report(page, run)
    assert record["verdict"] == "failed"
    failed = [step for step in record["steps"] if step["status"] == "failed"][-1]
    assert failed["path"] == record["failing_step"]
    row = page.locator(f"#step-{failed['seq']}")
    expect(row).to_have_class("step step-failed")
    assert "FAILED" in (failed["screenshot"] or "")
    # the step as written: the runbook's own line at the step's source, shown in the report
    runbook, _, line = str(failed["source"]).rpartition(":")
    # (as the file was right after the run: runbooks may be edited while the tests run)
    written = run.runbooks[runbook].splitlines()[int(line) - 1].strip()
    failure = page.locator("#failure")
    expect(failure).to_contain_text(str(record["message"]))
    expect(failure.locator("pre.yaml")).to_contain_text(written)
    assert written.startswith("- ") or ":" in written
