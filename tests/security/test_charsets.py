"""Attack class: a page on the allowed origin sends the typed password in other character sets
than UTF-8: UTF-16 (little- and big-endian) and Latin-1 (`ü` as the one byte 0xFC). The trace's
resources keep those request bodies byte for byte. None of them may stay in any artifact."""

from __future__ import annotations

from typing import Any

import pytest
from canaries import NFC
from security_helpers import Project, assert_no_secret, sources_of

pytestmark = pytest.mark.browser

STEPS = """\
- goto: "{{ client.site_url }}/charsets.html"
- fill: {Password: "{{ secret('pw') }}"}
- click: Send
- wait_for: sent
"""
CHARSETS = ("utf-16-le", "utf-16-be", "latin-1")


def test_a_password_sent_in_other_character_sets_is_not_kept(
    project: Project, browser: Any
) -> None:
    run = project.run(STEPS, browser)
    assert run.verdict == "passed", run
    copies = {charset: NFC.encode(charset) for charset in CHARSETS}
    # control: each copy really went over the wire
    wire = project.site.received()
    assert [charset for charset, copy in copies.items() if copy not in wire] == []
    hits = [
        f"{where}: {charset}"
        for where, data in sources_of(run)
        for charset, copy in copies.items()
        if copy in data
    ]
    assert hits == []
    assert_no_secret(run)
