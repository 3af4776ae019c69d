"""The scrubbed trace of a real `reauthorize` run still opens in Playwright's own trace viewer
(served on loopback as `bot trace` serves it) and lists every browser action of the run: each
fill (the passwords as the mask), click, select, check and navigation."""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from evidence_e2e_helpers import PLANTED, Run
from playwright.sync_api import Page, expect
from support.trace_viewer import expand_every_group

from bot import serve_trace

pytestmark = pytest.mark.browser

MASK = "[secret]"
SHOWN = {"fill", "click", "selectOption", "check", "goto"}


def recorded_actions(trace: Path) -> list[dict[str, object]]:
    """The `before` records of the user-visible actions in the trace, in order."""
    with zipfile.ZipFile(trace) as archive:
        lines = archive.read("trace.trace").decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [r for r in records if r.get("type") == "before" and r.get("method") in SHOWN]


def test_scrubbed_trace_shows_every_action_in_the_trace_viewer(passed_run: Run, page: Page) -> None:
    trace = passed_run.folder / "trace.zip"
    actions = recorded_actions(trace)
    kinds = Counter(str(action["method"]) for action in actions)
    fills = [
        str(action["params"]["value"])
        for action in actions  # type: ignore[index]
        if action["method"] == "fill"
    ]
    assert fills.count(MASK) == 2  # the Assignar and the Acumatica passwords
    assert kinds["click"] >= 8
    assert min(kinds["goto"], kinds["selectOption"], kinds["check"]) >= 1
    with serve_trace(trace) as url:
        page.goto(url)
        expand_every_group(page)
        expect(page.get_by_text(f'Fill "{MASK}"')).to_have_count(2, timeout=20_000)
        for value in set(fills) - {MASK}:
            expect(page.get_by_text(f'Fill "{value}"', exact=True)).to_have_count(
                fills.count(value)
            )
        expect(page.get_by_text(re.compile(r"^Fill "))).to_have_count(len(fills))
        expect(page.get_by_text("Click", exact=True)).to_have_count(kinds["click"])
        expect(page.get_by_text("Navigate", exact=True)).to_have_count(kinds["goto"])
        expect(page.get_by_text("Select option", exact=True)).to_have_count(kinds["selectOption"])
        expect(page.get_by_text("Check", exact=True)).to_have_count(kinds["check"])
        text = page.locator("body").inner_text()
        assert all(password not in text for password in PLANTED.values())
