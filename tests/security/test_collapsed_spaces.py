"""Attack class: a password holding a run of spaces or a tab, shown by the page as HTML text. A
browser shows such a run as one space, and so reads it out (`innerText`): the page's "the user …
is locked out" sentence, which the bot quotes in its verdict as the dead end's own words, holds
the password with its spaces collapsed. The bot withholds such a message, and no artifact and no
printed line holds the password so."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from canaries import NFC
from security_helpers import Project, assert_no_secret, held

pytestmark = pytest.mark.browser

SPACED = "Sp  aced\t~*'-pass  word"  # two spaces, a tab, two spaces
COLLAPSED = " ".join(SPACED.split())


def test_a_password_shown_with_its_spaces_collapsed_is_not_quoted(
    project: Project, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = yaml.safe_load((project.root / "config.yaml").read_text(encoding="utf-8"))
    pages = config["clients"]["pages"]
    spaced = {"ref": "env:SEC_SPACED", "origins": ["site_url"]}
    client = {**pages, "secrets": {**pages["secrets"], "spaced": spaced}}
    project.write_config({"spaced": client})
    monkeypatch.setenv("SEC_SPACED", SPACED)
    try:
        run = project.run(
            """\
            - goto: "{{ client.site_url }}/locked.html"
            - fill: {Password: "{{ secret('spaced') }}"}
            - click: Sign in
            - wait_for: Welcome
            """,
            browser,
            client="spaced",
        )
    finally:
        project.write_config()
    # the dead end is found, and its words, which hold the password, withheld
    assert (run.verdict, run.kind) == ("failed", "secret_refused"), run
    assert "the step failed (account_blocked), and its message held the secret 'spaced'" in (
        run.message
    )
    assert COLLAPSED not in run.output
    assert held(run.raw_trace, {"spaced": SPACED}) == ["spaced"]  # control: typed, in the trace
    assert_no_secret(run, {"spaced": SPACED, "spaced, its spaces collapsed": COLLAPSED})


INVISIBLE = dict.fromkeys(map(ord, "\u200b\u00ad\u200f\u2060\ufeff"))


def test_a_password_shown_with_invisible_characters_between_its_letters_is_not_quoted(
    project: Project, browser: Any
) -> None:
    run = project.run(
        """\
        - goto: "{{ client.site_url }}/locked.html?hide=1"
        - fill: {Password: "{{ secret('pw') }}"}
        - click: Sign in
        - wait_for: Welcome
        """,
        browser,
    )
    assert (run.verdict, run.kind) == ("failed", "secret_refused"), run
    assert "the step failed (account_blocked), and its message held the secret 'pw'" in (
        run.message
    )
    visible = run.output.translate(INVISIBLE).replace("\u00a0", " ")
    assert NFC not in visible
    assert_no_secret(run)
