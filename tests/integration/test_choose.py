"""`choose:` waits for whichever named alternative the page shows and runs that branch only;
`wait_for … as:` and `choose … as:` store the alternative's name, for a reader to compare with."""

from __future__ import annotations

import pytest
from integration_helpers import RunYaml

pytestmark = pytest.mark.browser

CHOOSE = """\
- goto: "{site}/consent.html"
- label: Consent, or already back?
  choose:
    as: found
    any:
      renewed: {text: "/successfully renewed/i"}
      consent:
        any:
          - {role: heading, name: "/is requesting your permission/i"}
          - {text: "/is requesting your permission/i", first: true}
    then:
      renewed:
        - fail: the consent page was expected
      consent:
        - click: Allow
        - expect: {role: status, has_text: allowed}
- click: Deny
  when: "vars.found == 'renewed'"
"""


def test_choose_runs_the_branch_of_what_the_page_shows(run_yaml: RunYaml) -> None:
    outcome = run_yaml(CHOOSE)

    assert outcome.verdict == "passed", outcome.message
    assert outcome.vars["found"] == "consent"
    passed = {step.path: step for step in outcome.steps("passed")}
    assert list(passed) == [
        "steps[0]",
        "steps[1].choose.then.consent[0]",
        "steps[1].choose.then.consent[1]",
        "steps[1]",
    ]
    assert (passed["steps[1]"].matched or "").startswith(
        'any.consent: heading "Example Notes is requesting'
    )
    assert [step.path for step in outcome.steps("skipped")] == ["steps[2]"]  # its `when`


def test_choose_without_a_branch_for_what_was_found_goes_on(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/consent.html"
        - choose:
            any:
              billing: {role: region, name: Billing}
            then: {}
        - click: Deny
        - expect: {role: status, has_text: denied}
        """)
    assert outcome.verdict == "passed", outcome.message


def test_wait_for_stores_the_name_of_the_alternative_found(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/consent.html"
        - wait_for:
            any:
              renewed: {text: "/successfully renewed/i"}
              consent: {role: button, name: Allow}
            as: page
        """)
    assert outcome.verdict == "passed", outcome.message
    assert outcome.vars["page"] == "consent"
