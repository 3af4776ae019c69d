"""Attack class: a frame of another origin takes the keyboard while a secret is typed. The sign-in
page is on the allowed origin and frames a widget of another origin (a chat, an ad). Playwright's
own `fill` focuses the field and then types, in two steps, into whatever has the keyboard by then:
the widget that takes it in between (or that the page hands it to, the moment the field gets the
focus) receives the password, though the field's frame is on the allowed origin. The bot inserts
the secret through the field's own document in one go while such a frame is on the page, and not
at all when the focus does not stay on the field: the widget gets nothing."""

from __future__ import annotations

from typing import Any

import pytest
from attack_server import Origin
from canaries import NFC
from security_helpers import Project, assert_no_secret
from test_origin_pinning import nothing_of_the_secrets_in, received_eventually

pytestmark = pytest.mark.browser

DECOY = "decoy-typed-by-a-plain-fill"


def page_with_widget(take: str, hand: bool, widget_origin: str = "{{ client.other_url }}") -> str:
    widget = f"{widget_origin}/widget.html?take={take}"
    return f"keyboard.html?hand={int(hand)}&frame={widget}"


def test_a_page_that_hands_the_keyboard_to_a_frame_of_another_origin_gets_nothing(
    project: Project, browser: Any, other: Origin
) -> None:
    run = project.run(
        f"""\
        - goto: "{{{{ client.site_url }}}}/{page_with_widget("once", hand=True)}"
        - within: {{css: iframe, frame: true, steps: [wait_for: {{label: Message}}]}}
        - fill: {{label: Password, value: "{{{{ secret('pw') }}}}"}}
        """,
        browser,
    )
    assert (run.verdict, run.kind) == ("failed", "origin_refused"), run
    assert "moved the keyboard away from the field for secret 'pw'" in run.message
    assert "nothing was typed" in run.message
    assert "/collect?widget=ready" in other.paths()
    nothing_of_the_secrets_in(other)
    assert_no_secret(run)
    # control: Playwright's own fill of that field types into the widget
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(project.site(page_with_widget("once", hand=True, widget_origin=other.url)))
        page.frame_locator("iframe").get_by_label("Message").wait_for()
        page.get_by_label("Password").fill(DECOY)
        assert received_eventually(other, b"stolen=" + DECOY.encode())
    finally:
        context.close()


def test_a_frame_of_another_origin_that_takes_the_keyboard_gets_nothing(
    project: Project, browser: Any, other: Origin
) -> None:
    # on another site (`localhost`, not `127.0.0.1`): the widget runs in a process of its own
    cross_site = other.url.replace("127.0.0.1", "localhost")
    run = project.run(
        f"""\
        - goto: "{{{{ client.site_url }}}}/{page_with_widget("always", False, cross_site)}"
        - within: {{css: iframe, frame: true, steps: [wait_for: {{label: Message}}]}}
        - fill: {{label: Password, value: "{{{{ secret('pw') }}}}"}}
        - wait_for: password entered
        """,
        browser,
    )
    # the secret still goes into the field, and only there, while such a frame is on the page
    assert run.verdict == "passed", run
    assert "/collect?widget=ready" in other.paths()
    nothing_of_the_secrets_in(other)
    assert NFC.encode() not in other.received()
    assert_no_secret(run)


def test_a_page_that_moves_the_focus_to_another_field_gets_the_step_refused(
    project: Project, browser: Any
) -> None:
    run = project.run(
        """\
        - goto: "{{ client.site_url }}/focus_move.html"
        - fill: {label: Password, value: "{{ secret('pw') }}"}
        """,
        browser,
    )
    assert (run.verdict, run.kind) == ("failed", "origin_refused"), run
    assert "moved the keyboard away from the field for secret 'pw'" in run.message
    assert_no_secret(run)
    # control: Playwright's own fill of that field types into the plain text field
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(project.site("focus_move.html"))
        page.get_by_label("Password").fill(DECOY)
        assert page.get_by_label("Hint").input_value() == DECOY
        assert page.get_by_label("Password").input_value() == ""
    finally:
        context.close()


@pytest.mark.parametrize("widget", [False, True], ids=["alone", "with-a-widget"])
def test_a_field_inside_a_shadow_root_still_gets_the_secret(
    project: Project, browser: Any, other: Origin, widget: bool
) -> None:
    frame = f"?frame={other.url}/widget.html?take=once" if widget else ""
    run = project.run(
        f"""\
        - goto: "{{{{ client.site_url }}}}/shadow_login.html{frame}"
        - fill: {{label: Password, value: "{{{{ secret('pw') }}}}"}}
        - wait_for: password entered
        """,
        browser,
    )
    assert run.verdict == "passed", run
    nothing_of_the_secrets_in(other)
    assert_no_secret(run)


def test_what_the_page_throws_as_the_secret_is_typed_is_not_said(
    project: Project, browser: Any, other: Origin
) -> None:
    run = project.run(
        f"""\
        - goto: "{{{{ client.site_url }}}}/{page_with_widget("once", hand=False)}&throw=1"
        - within: {{css: iframe, frame: true, steps: [wait_for: {{label: Message}}]}}
        - fill: {{label: Password, value: "{{{{ secret('pw') }}}}"}}
        """,
        browser,
    )
    assert (run.verdict, run.kind) == ("failed", "origin_refused"), run
    assert "the page's own scripts failed as secret 'pw' was typed" in run.message
    assert "got " not in run.output
    for piece in (NFC[:8], NFC[8:]):
        assert piece not in run.output
    nothing_of_the_secrets_in(other)
    assert_no_secret(run, {"its first 8 characters": NFC[:8], "the rest": NFC[8:]})
