"""What keeps a run safe and steady in a real browser: `when`, `optional`, retries, `finally`,
timeouts that say what they waited for, and secrets typed only on their own origin."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import pytest
from integration_helpers import SECRET_VALUE, RunYaml, Site

pytestmark = pytest.mark.browser


def test_when_runs_or_skips_by_params_and_vars(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml(
        """\
        - goto: "{site}/form.html"
        - capture: {testid: tenant-chip, as: tenant}
        - check: Infinite
          when: params.infinite
        - toggle: {Enable: on}
          when: "vars.tenant == client.tenant"
        """,
        head="params: {infinite: {type: boolean, default: false}}\n",
    )
    assert outcome.verdict == "passed", outcome.message
    assert not page.locator("#infinite").is_checked()
    assert page.locator("#enable").get_attribute("aria-checked") == "true"
    skipped = outcome.steps("skipped")
    assert [(e.path, e.message) for e in skipped] == [
        ("steps[2]", "`when: params.infinite` is false")
    ]


def test_optional_absent_element_is_skipped_and_reported(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - click: Dismiss cookie banner
          optional: true
          timeout: 300ms
        - check: Infinite
        """)
    assert outcome.verdict == "passed", outcome.message
    (skipped,) = outcome.steps("skipped")
    assert skipped.path == "steps[1]"
    assert skipped.message == (
        'optional: no visible element matches "Dismiss cookie banner" (waited 0.3s)'
    )
    assert page.locator("#infinite").is_checked()


def test_a_late_element_fails_without_retry(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/delayed.html?ms=1500"
        - click: Approve
          timeout: 400ms
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "not_found")
    first, *closest = (outcome.message or "").splitlines()
    assert first == 'no visible element matches "Approve" (waited 0.4s). The closest on the page:'
    assert closest == ['  - heading "Please wait"', "Try: {role: heading, name: Please wait}"]
    failed = outcome.steps("failed")[0]
    assert failed.source is not None
    assert failed.source.endswith("t.yaml:4")


def test_retry_waits_out_a_late_element(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/delayed.html?ms=1000"
        - click: Approve
          timeout: 400ms
          retry: {count: 4, backoff: 200ms}
        - expect: Approved
        """)
    assert outcome.verdict == "passed", outcome.message
    retried = outcome.steps("retried")
    assert retried, "the button appears after the first attempt has timed out"
    assert all(e.failure_kind == "not_found" for e in retried)
    click_passed = [e for e in outcome.steps("passed") if e.path == "steps[1]"]
    assert click_passed[0].attempt == len(retried) + 1
    assert page.locator("#status").text_content() == "Approved"


def test_finally_runs_after_a_failure_in_the_browser(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml(
        """\
        - goto: "{site}/form.html"
        - click: Approve
          timeout: 300ms
        - check: Infinite
        """,
        final="""\
        - toggle: {Enable: on}
        - screenshot: at-the-end
        """,
    )
    assert (outcome.verdict, outcome.kind) == ("failed", "not_found")
    assert outcome.result.failed_step is not None
    assert outcome.result.failed_step.path == "steps[1]"
    assert not page.locator("#infinite").is_checked()  # the step after the failure did not run
    assert page.locator("#enable").get_attribute("aria-checked") == "true"
    assert (outcome.run_dir / "screenshots" / "001-at-the-end.png").is_file()


def test_wait_for_url_timeout_says_what_and_how_long(run_yaml: RunYaml, site: Site) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html?code=oauth-code"
        - wait_for: {url: "/integrations/acumatica$"}
          timeout: 500ms
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "timeout")
    assert outcome.message == (
        "the page URL did not match //integrations/acumatica$/ within 0.5s "
        f"(it is {site('form.html')})"
    )


def test_wait_for_element_timeout_says_what_and_how_long(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - wait_for: {role: dialog, name: Consent}
          timeout: 500ms
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "not_found")
    first = (outcome.message or "").splitlines()[0]
    assert (
        first
        == 'no visible element matches dialog "Consent" (waited 0.5s). The closest on the page:'
    )


def test_wait_for_hidden_timeout_says_what_and_how_long(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - wait_for: {text: Connection settings, state: hidden}
          timeout: 500ms
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "timeout")
    assert outcome.message == 'text "Connection settings" did not become hidden within 0.5s'


# -- secrets --------------------------------------------------------------------------------------


def test_a_secret_is_typed_on_its_own_origin_and_never_reported(
    run_yaml: RunYaml, page: Any
) -> None:
    outcome = run_yaml("""\
        - goto: "{{ client.site_url }}/login.html"
        - fill: {Username: integration@acme.test}
        - fill: {label: Password, value: "{{ secret('pw') }}"}
        - click: Sign In
        - expect: Signed in as integration@acme.test
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.get_by_label("Password").input_value() == SECRET_VALUE
    reported = json.dumps([asdict(e) for e in outcome.events], default=str)
    assert SECRET_VALUE not in reported


def test_a_secret_is_refused_after_a_redirect_to_another_origin(
    run_yaml: RunYaml, page: Any, other_site: Site
) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/redirect?to={other}/login.html"
        - fill: {Username: integration@acme.test}
        - fill: {label: Password, value: "{{ secret('pw') }}"}
        - click: Sign In
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "origin_refused")
    assert outcome.message.startswith(
        f"refused to type secret 'pw' into {other_site.url}: "
        "it is only allowed on http://127.0.0.1:"
    )
    assert page.url == other_site("login.html")
    assert page.get_by_label("Username").input_value() == "integration@acme.test"
    assert page.get_by_label("Password").input_value() == ""  # nothing was typed
    assert outcome.result.failed_step is not None
    assert outcome.result.failed_step.path == "steps[2]"
    assert SECRET_VALUE not in json.dumps([asdict(e) for e in outcome.events], default=str)


def test_a_secret_is_refused_inside_a_frame_from_another_origin(
    run_yaml: RunYaml, page: Any
) -> None:
    outcome = run_yaml("""\
        - goto: "{other}/login.html"
        - fill: {label: Password, value: "{{ secret('pw') }}"}
          retry: {count: 3, backoff: 0}
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "origin_refused")
    assert outcome.steps("retried") == []  # a refusal is final, not retried
    assert page.get_by_label("Password").input_value() == ""
