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


def test_an_error_page_is_read_once_it_has_said_its_words(run_yaml: RunYaml) -> None:
    """The authorization server's error page arrives slowly: its status first, its explanation
    later. The failure waits for the explanation instead of naming a half-loaded page."""
    outcome = run_yaml("""\
        - goto: "{site}/slow-authorize.html"
        - click: Sign in to Acumatica
        - wait_for: Authentication successfully renewed
          timeout: 60s
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "oauth_error"), outcome.message
    assert outcome.message.endswith("HTTP 400 — “The client application is not known.”")
