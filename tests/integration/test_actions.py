"""Every action against real pages in Chromium, through the engine as `bot run` drives it."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from integration_helpers import RunYaml

pytestmark = pytest.mark.browser


def test_goto_click_fill_select_and_expect(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{{ client.site_url }}/form.html"
        - fill: {Tenant ID: "{{ client.tenant }}"}
        - select: {Mode: Sliding Expiration}
        - click: {role: button, name: Save, exact: true}
        - expect: {css: "#status", has_text: "Saved: Acme Live / sliding"}
        - expect: {label: Tenant ID, has_value: Acme Live}
        - expect: {url: "/form\\\\.html$"}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.locator("#status").text_content() == "Saved: Acme Live / sliding"


def test_fill_replaces_the_existing_text(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - fill: {Company: Beta Builders}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.get_by_label("Company").input_value() == "Beta Builders"


def test_select_by_value_when_no_label_matches(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - select: {label: Mode, option: sliding}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.locator("#mode").input_value() == "sliding"


def test_check_and_uncheck_and_their_no_ops(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - check: Infinite
        - check: Infinite
        - uncheck: {label: Remember My Decision}
        - uncheck: {label: Remember My Decision}
        - expect: {label: Infinite, checked: true}
        - expect: {label: Remember My Decision, checked: false}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.locator("#infinite").is_checked()
    assert not page.locator("#remember").is_checked()


def test_toggle_flips_a_switch_once(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - toggle: {Enable: on}
        - toggle: {Enable: on}
        - expect: {role: switch, name: Enable, checked: true}
        """)
    assert outcome.verdict == "passed", outcome.message
    enable = page.locator("#enable")
    assert enable.get_attribute("aria-checked") == "true"
    assert enable.get_attribute("data-clicks") == "1"


def test_toggle_already_there_does_not_click(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html?enabled=1"
        - toggle: {Enable: on}
        - toggle: {role: switch, name: Enable, state: off}
        """)
    assert outcome.verdict == "passed", outcome.message
    enable = page.locator("#enable")
    assert enable.get_attribute("aria-checked") == "false"
    assert enable.get_attribute("data-clicks") == "1"


def test_press_on_an_element_and_on_the_focus(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - fill: {label: Shortcut, value: first}
        - press: {label: Shortcut, key: Enter}
        - expect: {css: "#status", has_text: Submitted first}
        - fill: {label: Shortcut, value: second}
        - press: Enter
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.locator("#status").text_content() == "Submitted second"


@pytest.mark.parametrize(
    "check",
    [
        "{text: Connection settings, visible: true}",
        "Connection settings",
        "{text: Hidden note, hidden: true}",
        "{css: '#nowhere', hidden: true}",
        "{css: '#who', has_text: integration@acme.test}",
        "{css: '#who', has_text: '/user: \\S+@acme\\.test/'}",
        "{label: Company, has_value: Acme Pty Ltd}",
        "{label: Company, has_value: '/^Acme/'}",
        "{url: 'form\\.html$'}",
        "{label: Remember My Decision, checked: true}",
        "{label: Infinite, checked: false}",
        "{role: button, name: Save, exact: true, enabled: true}",
        "{role: button, name: Delete, enabled: false}",
        "{css: '#apps li', count: 3}",
        "{role: link, name: More, count: 2}",
        "{text: Nothing like this, count: 0}",
    ],
)
def test_expect_checks_that_hold(run_yaml: RunYaml, check: str) -> None:
    outcome = run_yaml(f"""\
        - goto: "{{site}}/form.html"
        - expect: {check}
        """)
    assert outcome.verdict == "passed", outcome.message


@pytest.mark.parametrize(
    ("check", "seen"),
    [
        ("{css: '#who', has_text: someone@else.test}", "integration@acme.test"),
        ("{label: Company, has_value: Beta}", "Acme Pty Ltd"),
        ("{label: Infinite, checked: true}", ""),
        ("{url: 'next\\.html'}", "form.html"),
        ("{role: button, name: Delete, enabled: true}", ""),
    ],
)
def test_expect_checks_that_fail_say_what_was_expected(
    run_yaml: RunYaml, check: str, seen: str
) -> None:
    outcome = _failed_expect(run_yaml, check)
    assert outcome.message.startswith("expectation not met for ")
    assert seen in outcome.message


@pytest.mark.parametrize(
    ("check", "said"),
    [
        ("{css: '#apps li', count: 2}", "but 3 are shown: “Assignar”, “Power BI”, “Mobile”"),
        ("{css: '#apps li', count: 0}", 'expected no css "#apps li", but 3 are shown'),
        ("{text: Connection settings, hidden: true}", "but 1 is shown: “Connection settings”"),
    ],
)
def test_expect_absence_or_count_that_fails_quotes_what_is_shown(
    run_yaml: RunYaml, check: str, said: str
) -> None:
    assert said in _failed_expect(run_yaml, check).message


def _failed_expect(run_yaml: RunYaml, check: str) -> Any:
    """The outcome of an `expect` on the form page that must fail as an assertion."""
    outcome = run_yaml(f"""\
        - goto: "{{site}}/form.html"
        - expect: {check}
          timeout: 300ms
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "assertion")
    return outcome


def test_expect_absence_never_quotes_a_secret_the_page_shows(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/login.html"
        - fill: {label: Username, value: "{{ secret('pw') }}"}
        - click: Sign In
        - expect: {css: "#status", count: 0}
          timeout: 300ms
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "assertion")
    assert outcome.message == (
        'expected no css "#status", but 1 is shown: (its text withheld: it holds a secret)'
    )


def test_wait_for_element_url_and_load_state(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/delayed.html?ms=300"
        - wait_for: {load_state: domcontentloaded}
        - wait_for: {role: button, name: Approve}
        - wait_for: {url: "done=1$"}
        - click: Approve
        - wait_for: Approved
        - wait_for: {text: Please wait, state: attached}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.url.endswith("/delayed.html?done=1")


def test_wait_for_hidden_element(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - wait_for: {text: Hidden note, state: hidden}
        - wait_for: {css: '#nowhere', state: detached}
        """)
    assert outcome.verdict == "passed", outcome.message


def test_capture_text_value_attribute_and_url(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html?tab=oauth"
        - capture: {text: "Authorized user:", regex: 'user:\\s*(\\S+)', as: user}
        - capture: {css: "#who", as: whole}
        - capture: {label: Company, get: value, as: company}
        - capture: {testid: tenant-chip, get: "attribute:id", as: chip_id}
        - capture: {get: url, regex: 'tab=(\\w+)', as: tab}
        - capture: {get: url, as: here}
        """)
    assert outcome.verdict == "passed", outcome.message
    vars_ = outcome.vars
    assert vars_["user"] == "integration@acme.test"
    assert vars_["whole"] == "Authorized user: integration@acme.test (since 2026-11-01)"
    assert (vars_["company"], vars_["chip_id"], vars_["tab"]) == ("Acme Pty Ltd", "chip", "oauth")
    assert vars_["here"].endswith("/form.html?tab=oauth")


def test_capture_regex_that_does_not_match_fails(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - capture: {css: "#who", regex: 'tenant=(\\w+)', as: tenant}
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "assertion")
    assert outcome.message == (
        "/tenant=(\\w+)/ does not match the text read: "
        '"Authorized user: integration@acme.test (since 2026-11-01)"'
    )


def test_a_capture_feeds_later_steps(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - capture: {testid: tenant-chip, as: tenant}
        - fill: {Tenant ID: "{{ vars.tenant }}"}
        - click: {role: button, name: Save, exact: true}
        - expect: {css: "#status", has_text: "Saved: {{ vars.tenant }} /"}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.get_by_label("Tenant ID").input_value() == "Acme Live"


def test_screenshot_is_saved_in_the_run_folder(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/login.html"
        - fill: {label: Password, value: "{{ secret('pw') }}"}
        - screenshot: signed-in
        - screenshot: {name: whole, full_page: true}
        """)
    assert outcome.verdict == "passed", outcome.message
    shots = sorted(p.name for p in (outcome.run_dir / "screenshots").iterdir())
    named = [name for name in shots if name.endswith(("-signed-in.png", "-whole.png"))]
    assert [name.split("-", 1)[1] for name in named] == ["signed-in.png", "whole.png"], shots
    assert (outcome.run_dir / "screenshots" / named[0]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_within_limits_locators_to_a_region(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - within:
            role: dialog
            name: Re-Authorize Acumatica
            steps:
              - expect: Step 1 of 3
              - click: Next
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.locator("#status").text_content() == "wizard next"
    assert [e.depth for e in outcome.steps("passed")] == [0, 1, 1, 0]


def test_within_an_iframe(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/frame.html"
        - within:
            css: "iframe[name=consent]"
            frame: true
            steps:
              - expect: {text: "offline_access"}
              - click: Allow
              - expect: {text: allowed inside}
        - expect: {text: allowed inside, count: 0}
        """)
    assert outcome.verdict == "passed", outcome.message
    assert page.locator("#status").text_content() == ""
    inner = page.frame_locator("iframe[name=consent]").locator("#status")
    assert inner.text_content() == "allowed inside"


def test_use_passes_params_and_brings_captures_back(run_yaml: RunYaml, page: Any) -> None:
    outcome = run_yaml(
        """\
        - use:
            runbook: sign-in
            with: {user: "{{ params.user }}", page: login.html}
        - expect: {css: "#status", has_text: "Signed in as {{ vars.signed_in_as }}"}
        """,
        head="params: {user: {required: true}}\n",
        params={"user": "integration@acme.test"},
        others={
            "sign-in": """\
            name: sign-in
            params:
              user: {required: true}
              page: {default: login.html}
            steps:
              - goto: "{{ client.site_url }}/{{ params.page }}"
              - fill: {Username: "{{ params.user }}"}
              - fill: {label: Password, value: "{{ secret('pw') }}"}
              - click: Sign In
              - capture: {css: "#status", regex: 'as (\\S+)', as: signed_in_as}
            requires: [site_url]
            """
        },
    )
    assert outcome.verdict == "passed", outcome.message
    assert outcome.vars["signed_in_as"] == "integration@acme.test"
    assert [e.depth for e in outcome.steps("passed")] == [1, 1, 1, 1, 1, 0, 0]


def test_fail_stops_with_its_message(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - capture: {testid: tenant-chip, as: tenant}
        - fail: "The tenant is {{ vars.tenant }}: changing tenants is done by Assignar Support."
          when: vars.tenant != 'Beta'
        - goto: "{site}/next.html"
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "stopped")
    assert outcome.message == (
        "The tenant is Acme Live: changing tenants is done by Assignar Support."
    )
    assert outcome.result.failed_step is not None
    assert outcome.result.failed_step.path == "steps[2]"


def test_pause_is_refused_when_headless(run_yaml: RunYaml) -> None:
    outcome = run_yaml("""\
        - goto: "{site}/form.html"
        - pause: Check the consent page
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "stopped")
    assert outcome.message == (
        "pause needs a visible browser: run with --headed (Check the consent page)"
    )


def test_goto_a_refused_connection_fails_as_navigation(run_yaml: RunYaml) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = run_yaml(f"""\
        - goto: "http://127.0.0.1:{port}/start?code=abc"
        """)
    assert (outcome.verdict, outcome.kind) == ("failed", "navigation")
    assert (
        outcome.message == f"could not load http://127.0.0.1:{port}/start (ERR_CONNECTION_REFUSED)"
    )
