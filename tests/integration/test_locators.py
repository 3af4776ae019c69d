"""Every locator kind finds the element a person would point at; strictness and `any:` fallbacks."""

from __future__ import annotations

import pytest
from integration_helpers import RunYaml

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("locator", "element_id"),
    [
        ("role: switch, name: Enable", "enable"),
        ("role: button, name: Save, exact: true", "save"),
        ("role: button, name: save draft", "save-draft"),  # names match case-insensitively
        ("label: Tenant ID", "tenant"),
        ("label: Shortcut", "keys"),  # aria-label
        ("text: 'Authorized user:'", "who"),
        ("text: Acme Live, exact: true", "chip"),
        ("placeholder: Search integrations", "search"),
        ("title: Sliding Lifetime", "lifetime"),
        ("alt: Acumatica logo", "logo"),
        ("testid: tenant-chip", "chip"),
        ("css: 'section[role=dialog] button'", "wizard-next"),
        ("role: link, name: More, nth: 1", "more2"),
        ("role: link, name: More, first: true", "more1"),
        ("role: button, name: Next, nth: 0", "wizard-next"),
        ("text: '/^Step \\d of 3$/'", None),  # a regex: the paragraph has no id
    ],
)
def test_each_locator_kind_finds_its_element(
    run_yaml: RunYaml, locator: str, element_id: str | None
) -> None:
    outcome = run_yaml(f"""\
        - goto: "{{site}}/form.html"
        - capture: {{{locator}, get: "attribute:id", as: found}}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert outcome.vars["found"] == (element_id or "")


@pytest.mark.parametrize(
    ("locator", "described", "named"),
    [
        (
            "click: {role: link, name: More}",
            'link "More"',
            [
                '  1. link "More" under heading "Connection settings"',
                "       → {role: link, name: More, exact: true, nth: 0}",
                '  2. link "More" under heading "Connection settings"',
                "       → {role: link, name: More, exact: true, nth: 1}",
            ],
        ),
        (
            "click: Next",
            '"Next"',
            [
                '  1. button "Next" in dialog "Re-Authorize Acumatica"',
                "       → {role: button, name: Next} inside "
                "`within: {role: dialog, name: Re-Authorize Acumatica}`",
                '  2. button "Next" under heading "Connection settings"',
                "       → {role: button, name: Next, exact: true, nth: 1}",
            ],
        ),
        (
            "fill: {css: 'input[type=checkbox]', value: x}",
            'css "input[type=checkbox]"',
            [
                '  1. checkbox "Infinite" under heading "Connection settings"',
                "       → {label: Infinite}",
                '  2. checkbox "Remember My Decision" under heading "Connection settings"',
                "       → {label: Remember My Decision}",
            ],
        ),
    ],
)
def test_two_equally_good_matches_are_ambiguous_and_named(
    run_yaml: RunYaml, locator: str, described: str, named: list[str]
) -> None:
    outcome = run_yaml(f"""\
        - goto: "{{site}}/form.html"
        - {locator}
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "ambiguous")
    assert outcome.message.splitlines() == [
        f"2 elements match {described} equally well:",
        *named,
        "Use the locator of the one meant (`nth: N` or `first: true` take one by place).",
    ]


def test_the_exactly_named_element_wins_over_longer_names(run_yaml: RunYaml) -> None:
    # "Save" and "Save draft" both contain "Save": a person clicking "Save" means the first
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - capture: {role: button, name: Save, get: "attribute:id", as: found}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert outcome.vars["found"] == "save"


def test_any_uses_the_first_alternative_on_the_page_and_records_it(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - click:
            any:
              - {role: button, name: "Yes, Allow"}
              - {role: button, name: Save draft}
              - {role: button, name: Enable}
        - wait_for: {any: [{text: Consent granted}, {role: switch, name: Enable}], as: seen}
        """)
    assert outcome.verdict == "passed", outcome.message
    passed = outcome.steps("passed")
    assert passed[1].matched == 'any[1]: button "Save draft" (accessible name, exactly)'
    assert passed[2].matched == 'any[1]: switch "Enable" (accessible name, exactly)'
    assert outcome.vars["seen"] == "1"


def test_any_when_nothing_matches_lists_the_alternatives(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - click: {any: [{role: button, name: Approve}, {text: Renewed}]}
          timeout: 300ms
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "not_found")
    assert outcome.message.startswith(
        'no visible element matches button "Approve" or text "Renewed" (waited 0.3s). '
        "The closest on the page:\n"
    )


def test_hidden_elements_are_not_clicked(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - click: {text: Hidden note}
          timeout: 300ms
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "not_found")
    assert outcome.message.startswith(
        'no visible element matches text "Hidden note" (waited 0.3s). The closest on the page:'
    )
    assert "Hidden note" not in outcome.message.split("\n", 1)[1]  # not visible: not listed


def test_the_record_names_an_element_by_its_own_line_states_included(run_yaml: RunYaml) -> None:
    # a region, a list and a checked box: each named by its role, name and states, never by
    # what it contains (a dialog's content, a list's options, a field's value)
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - wait_for: {role: dialog, name: Re-Authorize Acumatica}
        - capture: {label: Mode, get: value, as: mode}
        - capture: {label: Remember My Decision, get: "attribute:id", as: box}
        - capture: {role: button, name: Delete, get: "attribute:id", as: locked}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert [step.matched for step in outcome.steps("passed")[1:]] == [
        'dialog "Re-Authorize Acumatica" (accessible name, exactly)',
        'combobox "Mode" (label, exactly)',
        'checkbox "Remember My Decision" [checked] (label, exactly)',
        'button "Delete" [disabled] (accessible name, exactly)',
    ]
