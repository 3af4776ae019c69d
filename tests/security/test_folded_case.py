"""Attack class: a server that folds the case of the typed password (or turns it round) before it
echoes it, encoded: `encodeURIComponent` of it upper- and lower-cased, JSON of it
lower-cased, base64 of it upper-cased and reversed, JSON of it upper-cased shown on the page. The
trace's network log, resources and DOM snapshots hold every one; every one is scrubbed."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest
from canaries import NFC
from security_helpers import Project, assert_no_secret

pytestmark = pytest.mark.browser

STEPS = """\
- goto: "{{ client.site_url }}/cases.html"
- fill: {Password: "{{ secret('pw') }}"}
- click: Echo
- wait_for: echoed
"""


def component(value: str) -> str:
    return quote(value, safe="!~*'()")  # encodeURIComponent


def echoed(value: str) -> dict[str, str]:
    """What the page sends and shows (worked out here, apart from the bot's list)."""
    upper, lower, reversed_ = value.upper(), value.lower(), value[::-1]
    return {
        "upper-cased, encodeURIComponent": component(upper),
        "lower-cased, encodeURIComponent": component(lower),
        "lower-cased, JSON": json.dumps(lower, ensure_ascii=False)[1:-1],
        "upper-cased, JSON": json.dumps(upper, ensure_ascii=False)[1:-1],
        "upper-cased, base64": base64.b64encode(upper.encode()).decode(),
        "reversed, base64": base64.b64encode(reversed_.encode()).decode(),
        "reversed, encodeURIComponent": component(reversed_),
    }


def test_a_password_echoed_case_folded_or_reversed_and_encoded_is_scrubbed(
    project: Project, browser: Any
) -> None:
    run = project.run(STEPS, browser)
    assert run.verdict == "passed", run
    copies = echoed(NFC)
    # control: the copies really went over the wire (the last one is shown on the page)
    wire = project.site.received().decode("utf-8", "replace")
    sent = {kind: copy for kind, copy in copies.items() if kind != "upper-cased, JSON"}  # shown
    assert [kind for kind, copy in sent.items() if copy not in wire] == []
    assert_no_secret(run, {f"the password {kind}": copy for kind, copy in copies.items()})


def test_a_button_named_after_the_password_turned_round_and_upper_cased_is_scrubbed(
    project: Project, browser: Any
) -> None:
    run = project.run(
        """\
        - goto: "{{ client.site_url }}/greeting.html"
        - fill: {Password: "{{ secret('pw') }}"}
        - click: Sign in
        - wait_for: done
        """,
        browser,
    )
    assert run.verdict == "passed", run
    folded = NFC[::-1].upper()
    assert 'matched button "Sign in as [secret]"' in run.output
    assert_no_secret(run, {"turned round and upper-cased": folded})
