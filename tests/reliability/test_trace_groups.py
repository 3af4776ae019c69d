"""A step's group in the trace is opened and closed without waiting for the browser's answer:
each action still lands in its own step's group, and a step whose group cannot be closed (its
window closed) runs all the same, with nothing reported on the way."""

from __future__ import annotations

import gc
import json
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from bot.steps import PlaywrightServices


def trace_events(trace: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(trace) as archive:
        text = archive.read("trace.trace").decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_each_action_lands_in_its_own_steps_group(page: Page, tmp_path: Path) -> None:
    page.set_content("<input aria-label='Plan'><button onclick='this.textContent=1'>Go</button>")
    services = PlaywrightServices(page)
    page.context.tracing.start(snapshots=True)
    with services.step_group("Fill the plan", "rb.yaml", 3):
        page.get_by_label("Plan").fill("Gold")
    with services.step_group("Go on", "rb.yaml", 4):
        page.get_by_role("button", name="Go").click()
    page.context.tracing.stop(path=tmp_path / "trace.zip")

    events = trace_events(tmp_path / "trace.zip")
    began = [e for e in events if e.get("type") == "before"]
    group_of = {e["callId"]: e["title"] for e in began if e.get("method") == "tracingGroup"}
    assert list(group_of.values()) == ["Fill the plan", "Go on"]
    placed = {
        e["method"]: group_of.get(e.get("parentId", ""))
        for e in began
        if e["method"] in {"fill", "click"}
    }
    assert placed == {"fill": "Fill the plan", "click": "Go on"}
    assert all(not e.get("parentId") for e in began if e.get("method") == "tracingGroup")


def test_a_step_whose_window_closes_runs_to_its_end_quietly(
    browser: Browser, caplog: pytest.LogCaptureFixture
) -> None:
    context = browser.new_context()
    page = context.new_page()
    services = PlaywrightServices(page)
    context.tracing.start()
    ran = []
    with caplog.at_level(logging.DEBUG, logger="asyncio"):
        with services.step_group("Close it", "rb.yaml", 4):
            context.close()  # the group's end cannot be made any more
            ran.append("the step's end")
        browser.new_context().close()  # the next call to the browser: the end is sent, and fails
        gc.collect()
    assert ran == ["the step's end"]
    assert [record.getMessage() for record in caplog.records] == []
