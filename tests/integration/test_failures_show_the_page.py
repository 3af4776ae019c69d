"""A locator that matches nothing lists what the page has instead (closest first) and a locator
for the best; one that matches several names each, where it is, and the locator that picks it
alone. Following a suggested locator passes; report.html shows the same lines."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from integration_helpers import Outcome, RunYaml

from bot.evidence import RunRecorder, write_html

pytestmark = pytest.mark.browser

GOTO = '- goto: "{site}/consent.html"\n'


def suggestions(message: str) -> list[str]:
    """The locators a failure message suggests, in order (`Try: …` and `→ …` lines)."""
    return re.findall(r"(?:Try:|→) (\{.*)$", message, re.MULTILINE)


def test_no_match_lists_the_closest_elements_and_a_locator_that_then_passes(
    run_yaml: RunYaml,
) -> None:
    outcome = run_yaml(GOTO + '- click: "Yes, Allow"\n')

    assert (outcome.verdict, outcome.kind) == ("failed", "not_found")
    assert outcome.message == textwrap.dedent("""\
        no visible element matches "Yes, Allow" (waited 2s). The closest on the page:
          - button "Allow" in form "Consent"
          - checkbox "Remember my decision" in form "Consent"
          - checkbox "Read your notes" in form "Consent"
          - placeholder "Why you allow it"
          - button "Approve access"
          - button "Deny" in form "Consent"
        Try: {role: button, name: Allow}""")

    (tip,) = suggestions(outcome.message)
    followed = run_yaml(GOTO + f"- click: {tip}\n- expect: {{role: status, has_text: allowed}}\n")
    assert followed.verdict == "passed", followed.message


def test_a_field_not_found_lists_fields_first_and_never_their_values(run_yaml: RunYaml) -> None:
    outcome = run_yaml(GOTO + "- fill: {Email: someone@example.com}\n")

    lines = outcome.message.splitlines()
    assert lines[1:4] == [
        '  - textbox "Plan" in region "Billing"',
        '  - placeholder "Why you allow it"',
        '  - textbox "Note to the owner" in form "Consent"',
    ]
    assert "Team" not in outcome.message  # the Plan field's value
    (tip,) = suggestions(outcome.message)
    assert tip == "{label: Plan}"
    followed = run_yaml(GOTO + f"- fill: {{{tip[1:-1]}, value: Pro}}\n")
    assert followed.verdict == "passed", followed.message


def test_two_matches_are_named_with_where_they_are_and_the_locator_for_each(
    run_yaml: RunYaml,
) -> None:
    outcome = run_yaml(GOTO + "- expect: Approve access\n")

    assert (outcome.verdict, outcome.kind) == ("failed", "ambiguous")
    assert outcome.message == textwrap.dedent("""\
        2 elements match text "Approve access" equally well:
          1. heading "Approve access" under heading "Example Notes is requesting your permission"
               → {role: heading, name: Approve access}
          2. button "Approve access" under heading "Approve access"
               → {role: button, name: Approve access}
        Use the locator of the one meant (`nth: N` or `first: true` take one by place).""")

    heading, button = suggestions(outcome.message)
    followed = run_yaml(
        GOTO
        + f"- expect: {heading}\n- click: {button}\n"
        + "- expect: {role: status, has_text: approved}\n"
    )
    assert followed.verdict == "passed", followed.message
    matched = [step.matched or "" for step in followed.steps("passed")]
    assert matched[1].startswith('heading "Approve access"')
    assert matched[2].startswith('button "Approve access"')


def test_matches_told_apart_only_by_their_region_get_a_within(run_yaml: RunYaml) -> None:
    outcome = run_yaml(GOTO + "- click: {role: button, name: Save}\n")

    assert outcome.kind == "ambiguous"
    assert outcome.message.splitlines()[1:5] == [
        '  1. button "Save" in region "Billing"',
        "       → {role: button, name: Save} inside `within: {role: region, name: Billing}`",
        '  2. button "Save" in region "Profile"',
        "       → {role: button, name: Save} inside `within: {role: region, name: Profile}`",
    ]
    locator, region = re.findall(r"(\{[^`]*?\}) inside `within: (\{.*\})`", outcome.message)[1]
    followed = run_yaml(
        GOTO
        + f"- within: {{{region[1:-1]}, steps: [{{click: {locator}}}]}}\n"
        + "- expect: {role: status, has_text: profile saved}\n"
    )
    assert followed.verdict == "passed", followed.message


def test_inside_a_within_region_the_candidates_are_the_regions_own(run_yaml: RunYaml) -> None:
    outcome = run_yaml(GOTO + "- within: {role: region, name: Billing, steps: [click: Submit]}\n")

    assert outcome.message == textwrap.dedent("""\
        no visible element matches "Submit" (waited 2s). The closest in the `within` region:
          - button "Save"
          - heading "Billing"
          - textbox "Plan"
        Try: {role: button, name: Save}""")


def test_an_optional_step_that_misses_is_skipped_without_a_look_around(
    run_yaml: RunYaml,
) -> None:
    outcome = run_yaml(GOTO + '- click: "Yes, Allow"\n  optional: true\n  timeout: 1s\n')

    assert outcome.verdict == "passed"
    (skipped,) = outcome.steps("skipped")
    assert skipped.message == 'optional: no visible element matches "Yes, Allow" (waited 1s)'


def test_report_html_shows_the_candidates_line_by_line(
    run_yaml: RunYaml, page: Any, tmp_path: Path
) -> None:
    outcome: Outcome = run_yaml(GOTO + '- click: "Yes, Allow"\n')
    recorder = RunRecorder()
    for event in outcome.events:
        recorder(event)
    assert recorder.record is not None
    report = write_html(recorder.record, tmp_path / "report")

    page.goto(report.as_uri())
    failure = page.locator("#failure").inner_text()
    assert '  - button "Allow" in form "Consent"\n' in failure
    assert "Try: {role: button, name: Allow}" in failure
    assert (
        page.locator("#step-2 .message").inner_text().endswith("Try: {role: button, name: Allow}")
    )


def test_a_missing_role_alone_lists_what_the_page_says_it_shows_and_suggests_nothing_else(
    run_yaml: RunYaml,
) -> None:
    """`within: {role: dialog}` on a page without one (a pop-up not marked up as a dialog): the
    page's headings come first, and no unrelated element is offered as "Try:"."""
    outcome = run_yaml(GOTO + "- within: {role: dialog, steps: [click: Allow]}\n")

    assert (outcome.verdict, outcome.kind) == ("failed", "not_found")
    first, second, *_ = outcome.message.splitlines()
    assert first.startswith("no visible element matches dialog")
    assert second == '  - heading "Example Notes is requesting your permission"'
    assert suggestions(outcome.message) == []


def test_a_window_the_page_opens_is_where_the_run_goes_on(
    run_yaml: RunYaml, site: Any, page: Any
) -> None:
    """A sign-in that opens in a pop-up: the next step acts in the pop-up, as a person's eyes
    follow it (it used to look for Sign In in the window left behind)."""
    outcome = run_yaml("""\
        - goto: "{site}/opens-window.html"
        - click: Sign in to Acumatica
        - expect: {text: You came from the form.}
        - click: {role: button, name: Sign In}
          timeout: 1s
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "not_found")
    assert [step.path for step in outcome.steps("passed")] == ["steps[0]", "steps[1]", "steps[2]"]
    assert outcome.steps("failed")[0].path == "steps[3]"
    for window in page.context.pages:  # the context is shared with other tests
        if window.opener() == page:
            window.close()
