"""The evidence of a run speaks the runbook's language: its trace groups the browser calls of each
step under the step's label and `path:line`, nested like the runbook (`within`, `group`, `use`);
its report opens each screenshot full size, and a failed run's report says what to try next."""

from __future__ import annotations

import json
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Bot, Project
from playwright.sync_api import Page

from bot.errors import FailureKind

pytestmark = pytest.mark.browser

NESTED = """\
    name: nested
    requires: [site_url]
    steps:
      - label: Open the consent page
        goto: "{{ client.site_url }}/consent.html"
      - label: In the billing section
        within:
          role: region
          name: Billing
          steps:
            - fill: {Plan: Pro}
            - label: Save billing
              click: Save
      - label: Answer the consent
        group:
          - use: answer
    """
ANSWER = """\
    name: answer
    steps:
      - label: Allow it
        click: Allow
    """
Tree = list[tuple[str, "Tree"]]


def run_folder(project: Project, output: str) -> Path:
    found = re.search(r"^\s+report: (\S+)", output, re.MULTILINE)
    assert found, output
    return (project.root / found.group(1)).parent


def trace_events(trace: Path) -> list[dict[str, Any]]:
    with zipfile.ZipFile(trace) as archive:
        text = archive.read("trace.trace").decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def groups(events: list[dict[str, Any]], parent: str | None = None) -> Tree:
    """The trace's groups (`tracing.group`) as a tree of titles, in the order they began."""
    return [
        (event["title"], groups(events, event["callId"]))
        for event in events
        if event.get("type") == "before"
        and event.get("method") == "tracingGroup"
        and event.get("parentId") == parent
    ]


def test_the_trace_shows_the_runbooks_steps_as_nested_groups(
    bot: Bot, project: Project, page: Page
) -> None:
    project.runbook("nested", NESTED)
    project.runbook("answer", ANSWER)

    done = bot("run", "nested", "--client", "acme")

    assert done.code == 0, done.out + done.err
    events = trace_events(run_folder(project, done.out) / "trace.zip")
    assert groups(events) == [
        ("Open the consent page  runbooks/nested.yaml:4", []),
        (
            "In the billing section  runbooks/nested.yaml:6",
            [
                ('fill label "Plan"  runbooks/nested.yaml:11', []),
                ("Save billing  runbooks/nested.yaml:12", []),
            ],
        ),
        (
            "Answer the consent  runbooks/nested.yaml:14",
            [("use answer  runbooks/nested.yaml:16", [("Allow it  runbooks/answer.yaml:3", [])])],
        ),
    ]
    # every browser action a step took is inside that step's group
    group_ids = {e["callId"] for e in events if e.get("method") == "tracingGroup"}
    actions = [
        e for e in events if e.get("type") == "before" and e.get("method") in {"goto", "fill"}
    ]
    assert len(actions) == 2
    assert all(e.get("parentId") in group_ids for e in actions)
    page.goto((run_folder(project, done.out) / "report.html").as_uri())
    assert page.locator("#next-step").count() == 0  # a passed run needs no advice


def png_width(path: Path) -> int:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int(struct.unpack(">I", header[16:20])[0])


def test_a_failed_report_says_what_to_try_next_and_opens_screenshots_full_size(
    bot: Bot, project: Project, page: Page
) -> None:
    project.runbook(
        "misses",
        """\
        name: misses
        requires: [site_url]
        steps:
          - goto: "{{ client.site_url }}/consent.html"
          - click: Yes, Allow
            timeout: 1s
        """,
    )

    done = bot("run", "misses", "--client", "acme", "--screenshots", "every-step")

    assert done.code == 1
    # on the console, the candidates stay under their step
    assert re.search(r'^ {11,}- button "Allow" in form "Consent"$', done.out, re.MULTILINE)
    folder = run_folder(project, done.out)
    page.goto((folder / "report.html").as_uri())
    advice = page.locator("#next-step").inner_text()
    assert advice == f"What to try next: {FailureKind.NOT_FOUND.next_step}".replace(
        "RUN_ID", folder.name.rsplit("-", 1)[-1]
    )
    links = page.locator("a.shot")
    assert links.count() == 2  # after the goto (every step), and at the failure
    for index in range(links.count()):
        href = links.nth(index).get_attribute("href")
        assert href is not None
        full = folder / href
        shown = links.nth(index).locator("img").evaluate("img => img.getBoundingClientRect().width")
        assert png_width(full) > shown  # the thumbnail is smaller than the picture it opens
    with page.expect_popup() as opened:
        links.first.click()
    assert opened.value.url == (folder / str(links.first.get_attribute("href"))).as_uri()

    # the report to share holds the pictures: a click shows one full size in place
    run_id = folder.name.rsplit("-", 1)[-1]
    assert bot("report", run_id, "--self-contained").code == 0
    page.goto((folder / "report-shared.html").as_uri())
    thumbnail = page.locator("label.zoom img").first
    small = thumbnail.evaluate("img => img.getBoundingClientRect().width")
    thumbnail.click()
    large = thumbnail.evaluate("img => img.getBoundingClientRect().width")
    assert large > small


def test_the_trace_holds_the_runbooks_actions_and_not_the_bots_own_questions(
    bot: Bot, project: Project
) -> None:
    """The bot asks the page many questions per step (how many elements match, what the chosen
    one is called, which frame it is in, whether the page is a dead end); the trace records what
    the runbook did, each action with its DOM snapshots, and none of those questions."""
    project.runbook("nested", NESTED)
    project.runbook("answer", ANSWER)

    done = bot("run", "nested", "--client", "acme")

    assert done.code == 0, done.out + done.err
    events = trace_events(run_folder(project, done.out) / "trace.zip")
    calls = [
        e["method"]
        for e in events
        if e.get("type") == "before" and e.get("method") != "tracingGroup"
    ]
    actions = [method for method in calls if method in {"goto", "fill", "click"}]
    assert actions == ["goto", "fill", "click", "click"]
    questions = {"queryCount", "ariaSnapshot", "evaluateExpression", "getAttribute", "isChecked"}
    assert not questions & set(calls), calls
    snapshotted = {e["snapshot"]["callId"] for e in events if e.get("type") == "frame-snapshot"}
    acted = {e["callId"] for e in events if e.get("type") == "before" and e["method"] == "click"}
    assert acted <= snapshotted  # each click keeps its DOM snapshots
