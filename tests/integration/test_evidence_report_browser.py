"""The HTML report, opened from disk in a real Chromium, shows every step and its screenshot (the
file beside it); the copy to share shows them from inside itself."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bot import RunFinished, RunStarted, Scrubber, StepEvent, StepStatus
from bot.evidence import (
    RunFolder,
    RunRecord,
    RunRecorder,
    write_html,
    write_json,
    write_shared_html,
)

pytestmark = pytest.mark.browser

PASSWORD = "report-canary-Pw!9"
STEPS = [
    "open the Integrations page",
    "click the Acumatica card",
    "press Re-Authorize",
    "type the integration user's password",
    "press Finish",
]
RUNBOOK = textwrap.dedent("""\
    steps:
      - goto: /integrations
      - click: Acumatica
      - click: {role: button, name: Re-Authorize}
      - fill: {label: Password, value: "${secrets.password}"}
      - click: Finish
""")


def run_with_screenshots(page: Page, folder: RunFolder, runbook: Path) -> RunRecord:
    """Five steps, each with a real screenshot; the last one fails."""
    recorder = RunRecorder(
        Scrubber([PASSWORD]),
        browser_name="chromium",
        browser_version=page.context.browser.version if page.context.browser else None,
    )
    recorder(RunStarted("run-html", "reauthorize", "acme", {"password": PASSWORD}, 1000.0))
    for index, description in enumerate(STEPS):
        page.set_content(f"<h1 style='font-size:64px'>Step {index + 1}: {description}</h1>")
        shot = page.screenshot(path=folder.screenshot(index + 1, description))
        assert shot
        failed = index == len(STEPS) - 1
        recorder(
            StepEvent(
                "run-html",
                f"steps[{index}]",
                description,
                StepStatus.FAILED if failed else StepStatus.PASSED,
                1000.0 + index + 0.5,
                duration=0.5,
                screenshot=folder.relative(folder.screenshot(index + 1, description)),
                failure_kind="not_found" if failed else None,
                message=f"no button named 'Finish' after typing {PASSWORD}" if failed else None,
                source=f"{runbook}:{index + 2}",
            )
        )
    recorder(RunFinished("run-html", "failed", 1005.0))
    assert recorder.record is not None
    return recorder.record


@pytest.mark.parametrize("shared", [False, True], ids=["report.html", "report-shared.html"])
def test_the_report_shows_every_step_and_its_screenshot(
    page: Page, tmp_path: Path, shared: bool
) -> None:
    runbook = tmp_path / "reauthorize.yaml"
    runbook.write_text(RUNBOOK)
    folder = RunFolder.create(tmp_path / "runs", "acme", "reauthorize", "run-html")
    record = run_with_screenshots(page, folder, runbook)
    scrubber = Scrubber([PASSWORD])
    report = write_html(record, folder.path, scrubber=scrubber)
    if shared:
        write_json(record, folder.path, scrubber=scrubber)
        report = write_shared_html(folder.path)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(report.as_uri())
    for index, description in enumerate(STEPS, start=1):
        row = page.locator(f"#step-{index}")
        expect(row).to_contain_text(description)
        image = row.get_by_role("img", name=f"screenshot after step {index}")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth") > 100
        source = image.get_attribute("src") or ""
        expected = "data:image/png;base64," if shared else f"screenshots/{index:03d}-"
        assert source.startswith(expected), source[:40]
    expect(page.locator("#step-5")).to_contain_text("failed")
    failure = page.locator("#failure")
    expect(failure).to_contain_text("not_found")
    expect(failure).to_contain_text("- click: Finish")
    expect(failure).to_contain_text("[secret]")
    expect(page.locator("#trace-help")).to_contain_text("bot trace run-html")
    assert PASSWORD not in page.content()
    pictures = sorted(path.as_uri() for path in folder.screenshots.iterdir())
    # the shared copy stands alone; report.html fetches only the pictures beside it
    assert sorted(requested) == sorted([report.as_uri(), *([] if shared else pictures)])
