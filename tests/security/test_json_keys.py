"""Attack class: a page that sends the typed password as a key of its JSON (`{"errors":
{password: "invalid"}}`). The scrubber masked string values only, so the trace still held the
password after scrubbing and the run deleted the whole trace: a page could wipe the evidence of
any run. The key is scrubbed like a value, and the trace is kept, clean."""

from __future__ import annotations

import json
from typing import Any

import pytest
from canaries import NFC
from security_helpers import Project, assert_no_secret, held

pytestmark = pytest.mark.browser

STEPS = """\
- goto: "{{ client.site_url }}/json_keys.html"
- fill: {Password: "{{ secret('pw') }}"}
- click: Check
- wait_for: checked
"""


def test_a_password_sent_as_a_json_key_is_scrubbed_and_the_trace_kept(
    project: Project, browser: Any
) -> None:
    run = project.run(STEPS, browser)
    assert run.verdict == "passed", run
    assert held(run.raw_trace, {"pw": NFC}) == ["pw"]  # control: the key really was recorded
    assert json.dumps(NFC, ensure_ascii=False)[1:-1].encode() in project.site.received()
    assert (run.folder / "trace.zip").exists(), run.output
    assert "deleted" not in run.output
    report = json.loads((run.folder / "report.json").read_text(encoding="utf-8"))
    assert not [note for note in report["notes"] if "deleted" in note]
    assert_no_secret(run)
