"""Dead ends are named at once, in the page's own words, by the step that met them: an error page
a form post led to, an OAuth error redirect, a page saying the account is locked."""

from __future__ import annotations

import pytest
from integration_helpers import RunYaml

pytestmark = pytest.mark.browser


def test_an_error_page_after_a_click_fails_that_click_as_a_server_error(run_yaml: RunYaml) -> None:
    # the static page server answers POST with 501 "Unsupported method"
    outcome = run_yaml("""\
        - goto: "{site}/dead-ends.html"
        - click: Send
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "server_error"), outcome.message
    assert outcome.message.startswith("the server answered HTTP 501 for POST ")
    assert "/post-target — " in outcome.message
    assert outcome.message.endswith("says: “Error response”")
    assert outcome.steps("failed")[0].path == "steps[1]"


def test_an_oauth_error_redirect_is_named_with_its_description(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/dead-ends.html"
        - click: Authorize
        - wait_for: Authentication successfully renewed
          timeout: 60s
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "oauth_error"), outcome.message
    assert outcome.message.endswith(
        "refused the authorization: error=access_denied (the consent was denied) — "
        "“The user said no”"
    )


def test_a_locked_account_is_named_while_a_step_waits(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/dead-ends.html"
        - click: Sign in
        - wait_for: Welcome back
          timeout: 60s  # at its end the kind would be `not_found`
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "account_blocked"), outcome.message
    assert outcome.message.endswith("says: “Your account is locked out.”")


def test_a_link_to_a_page_that_does_not_exist_fails_that_click(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/dead-ends.html"
        - click: Old settings page
        - wait_for: Settings
          timeout: 60s  # at its end the message would list the closest elements
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "not_found"), outcome.message
    assert outcome.message.startswith("the server answered HTTP 404 for GET ")
    assert "/moved-away.html (“Error response”): there is no page at this address" in (
        outcome.message
    )
    assert "check the client's setting `site_url`" in outcome.message
    assert outcome.steps("failed")[0].path == "steps[1]"  # the click that led there


def test_opening_an_address_with_no_page_fails_the_goto(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/AcumaticaERP/Main"
        - click: Save
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "not_found"), outcome.message
    assert "HTTP 404 for GET " in outcome.message
    assert "/AcumaticaERP/Main (“Error response”): there is no page at this address" in (
        outcome.message
    )
    assert outcome.steps("failed")[0].path == "steps[0]"


def test_an_optional_probe_of_a_missing_page_fails_no_later_step(run_yaml: RunYaml) -> None:
    """acumatica-version probes `<base>/entity`, which some versions do not have: the probe is
    skipped, and the steps after it act on the page they open, or fail for their own reasons."""
    outcome = run_yaml("""\
        - goto: "{site}/entity"
          optional: true
        - capture: {text: "/acumaticaBuildVersion/", as: build}
          optional: true
          timeout: 1s
        - goto: "{site}/dead-ends.html"
        - click: Sign in
        """)
    assert outcome.verdict == "passed", outcome.message
    skipped = outcome.steps("skipped")
    assert [step.path for step in skipped] == ["steps[0]", "steps[1]"]
    assert "HTTP 404 for GET" in str(skipped[0].message)


def test_a_step_on_a_missing_page_a_probe_left_fails_for_its_own_reason(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/entity"
          optional: true
        - click: Save
          timeout: 2s
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "not_found"), outcome.message
    assert outcome.message.startswith("no visible element matches"), outcome.message
    assert outcome.steps("failed")[0].path == "steps[1]"


def test_an_error_page_is_read_once_it_has_said_its_words(run_yaml: RunYaml) -> None:
    """The authorization server's error page arrives slowly: its status first, its explanation
    later. The failure waits for the explanation instead of naming a half-loaded page."""
    outcome = run_yaml("""\
        - goto: "{site}/slow-pages.html"
        - click: Sign in to Acumatica
        - wait_for: Authentication successfully renewed
          timeout: 60s
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "oauth_error"), outcome.message
    assert outcome.message.endswith("HTTP 400 — “The client application is not known.”")
    assert outcome.steps("failed")[0].path == "steps[1]"  # the click that led there


def test_an_error_page_still_loading_fails_the_click_that_led_there_and_its_retry_applies(
    run_yaml: RunYaml,
) -> None:
    """A gateway's 502 page arrives slowly (as any page does on a busy machine): the Save that
    posted the form met it, so the Save's own `retry:` applies, not the next step's verdict."""
    outcome = run_yaml("""        - goto: "{site}/slow-pages.html"
        - click: Save
          retry: {count: 1, backoff: 0s, on: [server_error]}
        - wait_for: Saved
          timeout: 60s
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "server_error"), outcome.message
    assert outcome.message.startswith("the server answered HTTP 502 for POST ")
    assert outcome.message.endswith("says: “502 Bad Gateway”")
    assert [(e.status, e.attempt) for e in outcome.steps() if e.path == "steps[1]"] == [
        ("started", 1),
        ("retried", 1),
        ("failed", 2),
    ]


def test_a_locked_account_page_still_loading_fails_the_click_that_led_there(
    run_yaml: RunYaml,
) -> None:
    outcome = run_yaml("""        - goto: "{site}/slow-pages.html"
        - click: Sign in
        - wait_for: Welcome back
          timeout: 60s
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "account_blocked"), outcome.message
    assert outcome.message.endswith("says: “Your account is locked out.”")
    assert outcome.steps("failed")[0].path == "steps[1]"
