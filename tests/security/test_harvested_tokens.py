"""Attack class: tokens under names a scrubber may not know. A page on the allowed origin receives
a session as JSON (`jwt`, `apiKey`, `sessionId`, a nested `clientAssertion`) and an
`X-Acme-Api-Key` header, then sends them back in headers and a JSON body. None of them was
declared: the bot harvests them from the traffic by their names and scrubs them everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from attack_server import Origin
from security_helpers import Project, assert_no_secret, held

pytestmark = pytest.mark.browser


def test_tokens_named_jwt_key_session_or_assertion_are_harvested_and_scrubbed(
    project: Project, browser: Any, site: Origin
) -> None:
    run = project.run(
        """\
        - goto: "{{ client.site_url }}/tokens.html"
        - wait_for: ready
        """,
        browser,
    )
    assert run.verdict == "passed", run
    tokens = dict(site.tokens)
    # control: each token went to the browser and came back over the wire, into the raw trace
    wire = site.received()
    assert all(token.encode() in wire for token in tokens.values()), sorted(tokens)
    assert held(run.raw_trace, tokens) == sorted(tokens)
    assert_no_secret(run, tokens)
