"""Attack class: spellings the browser and the page produce. On the allowed origin, a page posts a
sign-in form (WHATWG form encoding: `~` as `%7E`, `*` kept), truncates a secret with `maxlength`,
turns a secret's newline into a space, and sends copies of a typed secret as hex,
`encodeURIComponent` (once and twice), `encodeURI`, base64, JSON (under the field's own name,
reversed) — all of it recorded in the trace's network log and resources. Every one of those bytes
is scrubbed."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from canaries import EIGHT, NEWLINE, NFC, NFD
from security_helpers import Project, assert_no_secret, held

pytestmark = pytest.mark.browser

TRUNCATED = NFD[:6]  # what `maxlength=6` leaves of the secret typed into "Short code"
STEPS = """\
- goto: "{{ client.site_url }}/encodings.html"
- fill: {Password: "{{ secret('pw') }}"}
- fill: {Short code: "{{ secret('pw_nfd') }}"}
- fill: {Note: "{{ secret('pw8') }}"}
- fill: {Username: "{{ secret('pw_nl') }}"}
- click: Send copies
- wait_for: copies sent
- click: Sign in
- wait_for: Form received
"""


def sent_by_the_page(value: str) -> dict[str, str]:
    """How the page and the browser spell `value` on the wire (see pages/encodings.html); in a
    URL's query the browser escapes `'` after `encodeURIComponent` has kept it."""
    component = quote(value, safe="!~*()")
    return {
        "form": quote_plus(value, safe="*").replace("~", "%7E"),
        "hex": value.encode().hex(),
        "HEX": value.encode().hex().upper(),
        "encodeURIComponent": component,
        "encodeURIComponent twice": quote(quote(value, safe="!~*'()"), safe="!~*()"),
        "base64": base64.b64encode(value.encode()).decode(),
        "JSON.stringify": json.dumps(value, ensure_ascii=False)[1:-1],
    }


def test_every_spelling_the_browser_and_the_page_send_is_scrubbed(
    project: Project, browser: Any
) -> None:
    run = project.run(STEPS, browser)
    assert run.verdict == "passed", run
    # control: every spelling really went over the wire, and into the unscrubbed trace
    wire = project.site.received().decode("utf-8", "replace")
    missing = [kind for kind, spelling in sent_by_the_page(NFC).items() if spelling not in wire]
    assert missing == [], missing
    assert f"short={quote_plus(TRUNCATED, safe='*').replace('~', '%7E')}&" in wire
    assert f"note={quote_plus(EIGHT, safe='*').replace('~', '%7E')}" in wire
    flattened = NEWLINE.replace("\n", " ")  # an <input> makes the newline a space
    assert f"user={quote_plus(flattened, safe='*').replace('~', '%7E')}&" in wire
    assert held(run.raw_trace, {"pw": NFC, "truncated": TRUNCATED, "pw8": EIGHT}) == [
        "pw",
        "pw8",
        "truncated",
    ]
    assert_no_secret(
        run, {"the secret truncated by maxlength": TRUNCATED, "its newline a space": flattened}
    )
