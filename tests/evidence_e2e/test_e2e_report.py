"""A real run's `report.html`, opened from disk (file://) in Chromium: every step of the run is
there, each step's screenshot (and the final state's) is the file beside it in the run folder and
shows, nothing outside the run folder is fetched, and for a failed run the failing step's YAML is
shown as written in the runbook. The copy to share (`bot report ID --self-contained`) holds every
screenshot inline and fetches nothing."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from evidence_e2e_helpers import Run
from playwright.sync_api import Locator, Page, expect

from bot.evidence import write_shared_html

SHARED = "report-shared.html"

pytestmark = pytest.mark.browser


def shows(image: Locator) -> None:
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 100


def check_report(page: Page, run: Run, name: str = "report.html") -> dict[str, Any]:
    """Every step of report.json in the report, with its screenshot: the file beside it, or
    inline in the shared copy; returns the record."""
    record: dict[str, Any] = json.loads((run.folder / "report.json").read_text(encoding="utf-8"))
    steps = record["steps"]
    assert steps
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    report = (run.folder / name).as_uri()
    page.goto(report)
    expect(page.locator("tr.step")).to_have_count(len(steps))
    expect(page.locator("#verdict")).to_have_text(record["verdict"])
    shown: dict[str, bytes] = {}
    for step in steps:
        row = page.locator(f"#step-{step['seq']}")
        expect(row.locator(".description")).to_have_text(step["description"])
        expect(row.locator(".status")).to_have_text(step["status"])
        if step["screenshot"]:
            image = row.get_by_role("img", name=f"screenshot after step {step['seq']}")
            shown[step["screenshot"]] = source_bytes(run, image.get_attribute("src") or "")
            shows(image)
    final = page.get_by_role("img", name="screenshot of the final state")
    shown[record["final_screenshot"]] = source_bytes(run, final.get_attribute("src") or "")
    shows(final)
    files = {
        p.relative_to(run.folder).as_posix(): p.read_bytes()
        for p in (run.folder / "screenshots").glob("*.png")
    }
    assert shown == files  # each picture the run kept, shown as it is on disk
    assert len(files) >= 10
    folder = run.folder.as_uri() + "/"
    fetched = [url for url in requested if url != report]
    if name == SHARED:
        assert fetched == []  # self-contained: nothing else was fetched
    else:
        assert sorted(set(fetched)) == sorted(folder + path for path in files)
    return record


def source_bytes(run: Run, source: str) -> bytes:
    """The picture an `<img src>` of a report shows: a file of the run folder, or inline."""
    if source.startswith("data:"):
        assert source.startswith("data:image/png;base64,"), source[:40]
        return base64.b64decode(source.split(",", 1)[1])
    assert not source.startswith(("/", "file:", "http")), source
    return (run.folder / source).read_bytes()


def test_report_of_a_passed_run(page: Page, passed_run: Run) -> None:
    record = check_report(page, passed_run)
    assert record["verdict"] == "passed"
    expect(page.locator("#failure")).to_have_count(0)
    expect(page.locator("#trace-help")).to_contain_text(f"bot trace {passed_run.run_id}")


def test_the_shared_report_stands_alone(page: Page, passed_run: Run) -> None:
    write_shared_html(passed_run.folder)
    record = check_report(page, passed_run, SHARED)
    assert record["verdict"] == "passed"


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
