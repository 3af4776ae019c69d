"""Attack class: a server on the allowed origin echoes the typed password in the escapes its own
encoders write: .NET's (Acumatica's) System.Text.Json (`'` as `\\u0027`, `"` as `\\u0022`, `ü` as
`\\u00FC`) and WebUtility.HtmlEncode (`ü` as `&#252;`), and encoders that escape every character
but letters and digits (`\\uXXXX`, `&#NN;`, `&#xHH;`). The page shows them and sends them home; the
trace's DOM snapshots and network log hold them. Every one is scrubbed."""

from __future__ import annotations

import html
from typing import Any

import pytest
from canaries import NFC
from security_helpers import Project, assert_no_secret

pytestmark = pytest.mark.browser

STEPS = """\
- goto: "{{ client.site_url }}/escapes.html"
- fill: {Password: "{{ secret('pw') }}"}
- click: Echo
- wait_for: echoed
"""
_NET = {'"': "\\u0022", "&": "\\u0026", "'": "\\u0027", "+": "\\u002B", "<": "\\u003C"}
_NET |= {">": "\\u003E", "`": "\\u0060", "\\": "\\\\"}


def _u(c: str) -> str:
    return f"\\u{ord(c):04x}"


def _all(value: str, escape: Any) -> str:
    return "".join(c if c.isascii() and c.isalnum() else escape(c) for c in value)


def echoed(value: str) -> dict[str, str]:
    """How those encoders write `value` (worked out here, apart from the bot's list)."""
    net_html = html.escape(value).replace("&#x27;", "&#39;")
    return {
        ".NET JSON": "".join(
            _NET.get(c) or (c if " " <= c <= "~" else _u(c).upper().replace("\\U", "\\u"))
            for c in value
        ),
        "JSON, all escaped": _all(value, _u),
        "JSON, all escaped, upper-case": _all(value, lambda c: _u(c).upper().replace("\\U", "\\u")),
        ".NET HTML": "".join(f"&#{ord(c)};" if 0xA0 <= ord(c) <= 0xFF else c for c in net_html),
        "HTML decimal": _all(value, lambda c: f"&#{ord(c)};"),
        "HTML hex": _all(value, lambda c: f"&#x{ord(c):x};"),
    }


def test_a_password_echoed_in_a_servers_own_escapes_is_scrubbed(
    project: Project, browser: Any
) -> None:
    run = project.run(STEPS, browser)
    assert run.verdict == "passed", run
    # control: every escaped copy really went over the wire
    wire = project.site.received().decode("utf-8", "replace")
    copies = echoed(NFC)
    assert [kind for kind, copy in copies.items() if copy not in wire] == []
    assert_no_secret(run, {f"the password as {kind}": copy for kind, copy in copies.items()})
