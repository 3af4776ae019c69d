"""Attack class: a page that fools the origin check. One page on another origin says, through the
DOM, that it is the allowed origin (`ownerDocument.location` rewritten); another, on the allowed
origin, swaps itself for a look-alike on another origin the moment a script looks at its field,
so a check followed by a fill that finds the field afresh would type there. The bot takes the
origin from the browser's own record of the field's frame and types into the very element it
checked: neither page gets the secret."""

from __future__ import annotations

import time
from typing import Any

import pytest
from attack_server import Origin
from canaries import CANARIES, NFC, spellings_table
from security_helpers import Project, assert_no_secret, held
from support.artifacts import found_in

pytestmark = pytest.mark.browser

DECOY = "decoy-typed-by-a-naive-fill"


def received_eventually(origin: Origin, fragment: bytes, seconds: float = 20) -> bool:
    """Whether `origin` gets a request holding `fragment` (pages send beacons after the fact)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if fragment in origin.received():
            return True
        time.sleep(0.05)
    return False


def nothing_of_the_secrets_in(origin: Origin) -> None:
    hits = found_in([("requests", origin.received())], spellings_table(CANARIES))
    assert hits == [], hits


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ("proxy", "refused to type secret 'pw' into {other}"),  # the browser knows the origin
        ("fake", "cannot tell which page the field for secret 'pw' belongs to"),  # nor any page
    ],
)
def test_a_page_that_lies_about_its_origin_gets_nothing(
    project: Project, browser: Any, other: Origin, mode: str, said: str
) -> None:
    run = project.run(
        f"""\
        - goto: "{{{{ client.other_url }}}}/spoof.html?mode={mode}&claim={{{{ client.site_url }}}}"
        - fill: {{label: Password, value: "{{{{ secret('pw') }}}}"}}
        """,
        browser,
    )
    assert (run.verdict, run.kind) == ("failed", "origin_refused"), run
    assert said.format(other=other.url) in run.message
    nothing_of_the_secrets_in(other)
    assert held(run.raw_trace, {"pw": NFC}) == []  # never typed, not even into the trace
    # control: the lie is in place: the page's own JavaScript answers with the allowed origin
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(other(f"spoof.html?mode={mode}&claim={project.site.url}"))
        said = page.get_by_label("Password").evaluate("e => e.ownerDocument.location.origin")
        assert said == project.site.url
    finally:
        context.close()
    assert_no_secret(run)


def test_a_page_that_navigates_between_the_check_and_the_fill_gets_nothing(
    project: Project, browser: Any, other: Origin
) -> None:
    trap = "trap.html?to={{ client.other_url }}/phish.html"
    run = project.run(
        f"""\
        - goto: "{{{{ client.site_url }}}}/{trap}"
        - fill: {{label: Password, value: "{{{{ secret('pw') }}}}"}}
        - wait_for: {{url: "/phish.html"}}
        """,
        browser,
    )
    assert run.verdict == "failed", run  # the field went away, or the page did, or both
    assert run.kind in ("origin_refused", "timeout", "not_found"), run
    assert "/phish.html" in " ".join(other.paths()) or received_eventually(other, b"loaded=1")
    nothing_of_the_secrets_in(other)
    assert_no_secret(run)
    # control: the trap works on a check made through the page's DOM followed by a fill that
    # finds the field again (the bot's old way): the look-alike receives what is typed
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(project.site(f"trap.html?to={other.url}/phish.html"))
        field = page.get_by_label("Password")
        field.evaluate("e => e.ownerDocument.location.origin")
        field.fill(DECOY)
        assert received_eventually(other, b"stolen=" + DECOY.encode())
    finally:
        context.close()
