"""Locators read a page as a person does: any casing or punctuation, the role the page chose, a
label's required-field asterisk, a placeholder or an accessible name instead of a label, custom
drop-downs, a checkbox for a switch; the choice and why are recorded; overlays are named."""

from __future__ import annotations

from typing import Any

import pytest
from integration_helpers import RunYaml

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("step", "said", "matched"),
    [
        ("click: Re-Authorize", "reauthorize", 'link "RE-AUTHORIZE" (accessible name, ignoring'),
        ("click: Settings", "settings", 'button "Settings" (accessible name, exactly)'),
        ("click: Save", "Save", 'button "Save" (accessible name, exactly)'),
        (
            "click: Save & Close",
            "save and close",
            'button "Save & Close" (accessible name, exactly)',
        ),
    ],
)
def test_click_finds_the_one_clickable_thing_by_its_name(
    run_yaml: RunYaml, step: str, said: str, matched: str
) -> None:
    outcome = run_yaml(f"""\
        - goto: "{{site}}/people.html"
        - {step}
        - expect: {{text: "clicked {said}", exact: true}}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert (outcome.steps("passed")[1].matched or "").startswith(matched)


@pytest.mark.parametrize(
    ("step", "said", "matched"),
    [
        ("click: Save", "save", 'button "Save (Ctrl+S)" (accessible name, followed by a keyboard'),
        ("click: Save & Close", "save and close", 'button "Save & Close (Ctrl+Shift+S)"'),
        ("click: cancel", "cancel", 'button "Cancel (Esc)"'),
    ],
)
def test_a_toolbar_icon_named_with_its_shortcut_is_found_by_its_words(
    run_yaml: RunYaml, step: str, said: str, matched: str
) -> None:
    """Acumatica's toolbar icons are named by their tooltips ("Save (Ctrl+S)"): "Save" means that
    one, not "Save & Close (Ctrl+Shift+S)" beside it."""
    outcome = run_yaml(f"""\
        - goto: "{{site}}/toolbar.html"
        - {step}
        - expect: {{text: "clicked {said}", exact: true}}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert (outcome.steps("passed")[1].matched or "").startswith(matched)


def test_equally_good_matches_in_another_casing_are_ambiguous(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/people.html"
        - click: save
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "ambiguous")
    assert outcome.message.splitlines()[:5] == [
        '2 elements match "save" equally well:',
        '  1. button "Save" under heading "Acumatica"',
        "       → {role: button, name: Save}",
        '  2. button "SAVE" under heading "Acumatica"',
        "       → {role: button, name: SAVE}",
    ]


@pytest.mark.parametrize(
    ("field", "element_id", "why"),
    [
        ("Tenant ID", "tenant", "label, ignoring case, spaces and punctuation"),
        ("Instance URL", "url", "label, ignoring case, spaces and punctuation"),
        ("Email address", "email", "placeholder, exactly"),
        ("phone number", "phone", "label, ignoring case, spaces and punctuation"),
    ],
)
def test_fill_finds_a_field_by_label_then_placeholder_then_name(
    run_yaml: RunYaml, page: Any, field: str, element_id: str, why: str
) -> None:
    outcome = run_yaml(f"""\
        - goto: "{{site}}/people.html"
        - fill: {{{field}: typed}}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.locator(f"#{element_id}").input_value() == "typed"
    assert why in (outcome.steps("passed")[1].matched or "")


def test_toggle_drives_a_labelled_checkbox(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/people.html"
        - toggle: {Enable: on}
        - toggle: {Enable: on}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.locator("#enable").is_checked()
    assert (outcome.steps("passed")[1].matched or "").startswith('checkbox "Enable"')


def test_toggle_finds_a_switch_named_only_by_the_text_beside_it(
    run_yaml: RunYaml, page: Any
) -> None:
    """Not "Enable email notifications", which merely contains the word."""
    outcome = run_yaml("""\
        - goto: "{site}/unnamed-switch.html"
        - capture: {name: Enable, get: checked, as: before}
        - toggle: {Enable: on}
        - expect: {name: Enable, checked: true}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert outcome.vars["before"] == "false"
    assert page.locator("#enable").is_checked()
    assert not page.locator("#notify").is_checked()
    assert (outcome.steps("passed")[2].matched or "") == "switch (the text beside it, exactly)"


def test_toggle_waits_for_a_switch_that_saves_itself(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/saving-switch.html?status=200"
        - toggle: {Enable: on}
        - expect: {name: Enable, checked: true}
        """)
    assert outcome.verdict == "passed", outcome.message


def test_toggle_of_a_switch_whose_save_fails_says_so_in_the_page_words(
    run_yaml: RunYaml, page: Any
) -> None:
    """The server refuses the save, slowly; the switch flips back and the page says why. The
    step fails with those words (it used to pass: the switch was on when it looked)."""
    outcome = run_yaml("""\
        - goto: "{site}/saving-switch.html?status=500"
        - toggle: {Enable: on}
        - expect: {name: Enable, checked: true}
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "assertion"), outcome.message
    assert outcome.message == (
        'switch "Enable" did not stay on; the page says: '
        "“Could not save the Enable setting. Please try again.”"
    )
    assert len(outcome.steps("passed")) == 1  # the goto: it is the toggle that failed


def test_select_types_into_a_combobox_and_picks_the_option(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/people.html"
        - select: {Time zone: Australia/Sydney}
        - capture: {label: Time zone, get: value, as: zone}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert outcome.vars["zone"] == "Australia/Sydney"


def test_select_accepts_a_read_only_field_already_holding_the_value(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/people.html"
        - select: {Region: australia}
        """)
    assert outcome.verdict == "passed", outcome.message


def test_select_on_a_read_only_field_holding_another_value_says_so(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/people.html"
        - select: {Region: Europe}
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "assertion")
    assert outcome.message == "the field is read-only and holds 'Australia', not 'Europe'"


def test_fill_accepts_a_read_only_field_already_holding_the_text(run_yaml: RunYaml) -> None:
    """Assignar may show the Tenant ID read-only (changing tenants is not self-service)."""
    outcome = run_yaml("""\
        - goto: "{site}/people.html"
        - fill: {Region: Australia}
        """)
    assert outcome.verdict == "passed", outcome.message


def test_fill_on_a_read_only_field_holding_other_text_says_so(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/people.html"
        - fill: {Region: Europe}
          timeout: 60s  # not a wait that ends in Playwright's timeout: said at once
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "assertion"), outcome.message
    assert outcome.message == "the field is read-only and holds 'Australia', not 'Europe'"
    assert page.locator("#region").input_value() == "Australia"


@pytest.mark.parametrize(
    ("page_name", "steps"),
    [
        ("select-only.html", "- select: {Mode: Sliding Expiration}"),
        (
            "select-only-framed.html",
            "- within: {css: 'iframe[name=main]', frame: true, steps: "
            "[{select: {Mode: Sliding Expiration}}]}",
        ),
    ],
)
def test_select_opens_a_select_only_combobox_and_picks_the_option(
    run_yaml: RunYaml, page: Any, page_name: str, steps: str
) -> None:
    """A read-only input with role combobox opens a list: it is a drop-down, not a read-only
    field; inside a frame its options are looked for in that frame."""
    outcome = run_yaml(f"""\
        - goto: "{{site}}/{page_name}"
        {steps}
        """)
    assert outcome.verdict == "passed", outcome.message
    frame = page.frame(name="main") or page.main_frame
    assert frame.locator("#mode").input_value() == "Sliding Expiration"


def test_a_brief_spinner_is_waited_for(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/people.html"
        - click: Later
        - expect: {text: clicked later}
        """)
    assert outcome.verdict == "passed", outcome.message


def test_an_overlay_that_stays_fails_in_seconds_with_its_words(run_yaml: RunYaml) -> None:
    outcome = run_yaml(
        """\
        - goto: "{site}/people.html?cover=blocked"
        - click: Blocked
          timeout: 60s  # at its end the kind would be `timeout`: `overlay` is said well before
        """
    )
    assert (outcome.verdict, outcome.kind) == ("failed", "overlay"), outcome.message
    assert outcome.message == (
        'button "Blocked" stays covered by something else on the page, which says: '
        "“Scheduled maintenance: Assignar is read-only until 6 pm.”"
    )


def test_an_overlay_with_a_not_now_is_closed_with_it_and_the_click_done(
    run_yaml: RunYaml,
) -> None:
    """A dialog that only closes with "Not now" is closed so; its "Turn on" is never pressed."""
    outcome = run_yaml("""\
        - goto: "{site}/people.html?cover=tips"
        - click: Blocked
          timeout: 60s  # what stays over it 3 s is closed
        - expect: {text: clicked blocked}
        """)
    assert outcome.verdict == "passed", outcome.message
    (click,) = [step for step in outcome.steps("passed") if step.path == "steps[1]"]
    assert "closed “Turn on daily tips? Turn on Not now” with its “Not now”" in str(click.matched)
