"""Attack class: a page on the allowed origin puts the typed password into addresses: as is in a
query and in the fragment, and through `encodeURIComponent` (once and twice) and `encodeURI` in a
query. The browser writes those addresses itself, escaping by the URL standard's sets, not as any
encoder does: in a query it escapes the `'` that `encodeURIComponent` kept, and the raw password
keeps its `~*\\` but not its `'`, `"` or space. The trace's network log and the run's visited
addresses hold them; every one is scrubbed."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from canaries import NFC
from security_helpers import Project, assert_no_secret

pytestmark = pytest.mark.browser

STEPS = """\
- goto: "{{ client.site_url }}/urls.html"
- fill: {Password: "{{ secret('pw') }}"}
- click: Continue
- wait_for: continued
"""
_PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F))
QUERY_KEEPS = "".join(
    c for c in _PRINTABLE if c not in "\"#<>'"
)  # special-query percent-encode set
FRAGMENT_KEEPS = "".join(c for c in _PRINTABLE if c not in '"<>`')  # fragment percent-encode set


def addressed(value: str) -> dict[str, str]:
    """How the browser writes `value` in those addresses (worked out here, apart from the bot)."""
    component = quote(value, safe="!~*'()")
    return {
        "as is in a query": quote(value, safe=QUERY_KEEPS),
        "as is in the fragment": quote(value, safe=FRAGMENT_KEEPS),
        "encodeURIComponent in a query": quote(component, safe=QUERY_KEEPS),
        "encodeURIComponent twice in a query": quote(
            quote(component, safe="!~*'()"), safe=QUERY_KEEPS
        ),
        "encodeURI in a query": quote(
            quote(value, safe="!~*'();,/?:@&=+$#"), safe=QUERY_KEEPS + "#"
        ),
    }


def test_a_password_the_page_puts_into_addresses_is_scrubbed(
    project: Project, browser: Any
) -> None:
    run = project.run(STEPS, browser)
    assert run.verdict == "passed", run
    copies = addressed(NFC)
    # control: the browser sent the query copies as worked out here
    wire = project.site.received().decode("utf-8", "replace")
    sent = {kind: copy for kind, copy in copies.items() if "fragment" not in kind}
    assert [kind for kind, copy in sent.items() if copy not in wire] == []
    assert_no_secret(run, {f"the password {kind}": copy for kind, copy in copies.items()})
