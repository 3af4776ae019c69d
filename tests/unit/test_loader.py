"""Loading runbooks: every problem located as `path:line`, shorthands equal to full forms."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot import Runbook, ValidationFailed
from bot.language import load_runbook
from bot.steps import BUILTIN

Load = Callable[[str], Runbook]


def headlines(error: ValidationFailed) -> list[str]:
    return [d.headline() for d in error.diagnostics]


def test_yaml_syntax_error_names_its_line(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - click: Save
               - fill: {Tenant ID: acme}
            """)
    (headline,) = headlines(info.value)
    assert headline.startswith("runbooks/t.yaml:4: YAML syntax error:")
    assert ">" + " 4 |    - fill: {Tenant ID: acme}" in info.value.message
    assert info.value.message.endswith("1 problem found; nothing was run.")
    assert info.value.exit_code == 2


def test_unknown_action_suggests_the_closest(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - goto: http://127.0.0.1/
              - clik: Save
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:4: steps[1]: unknown action 'clik' — did you mean 'click'?"
    ]


def test_a_step_with_two_actions_lists_the_actions(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - click: Save
                fill: {Tenant ID: acme}
            """)
    (headline,) = headlines(info.value)
    assert headline.startswith(
        "runbooks/t.yaml:3: steps[0]: a step needs exactly one action "
        "(found: click, fill); actions are: capture, check, choose, click,"
    )


@pytest.mark.parametrize(
    ("locator", "message"),
    [
        (
            "{role: button, label: Save}",
            "a locator needs exactly one of role, label, text, placeholder,"
            " title, alt, testid, css, any or name (found: role, label)",
        ),
        ("{text: Save, css: button}", "(found: text, css)"),
        ("{exact: true}", "(found: none)"),
        ("{label: Save, name: Save}", "(found: label, name)"),
        ("{text: Save, nth: 1, first: true}", "use `nth` or `first`, not both"),
    ],
)
def test_bad_locators(load_yaml: Load, locator: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml(f"""\
            name: x
            steps:
              - goto: http://127.0.0.1/
              - click: {locator}
            """)
    (headline,) = headlines(info.value)
    assert headline.startswith("runbooks/t.yaml:4: steps[1].click:")
    assert message in headline


def test_unknown_and_missing_fields_point_at_their_lines(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - fill:
                  label: Tenant ID
                  valeu: acme
              - capture:
                  text: Tenant
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:4: steps[0].fill.value: field required",
        "runbooks/t.yaml:5: steps[0].fill.valeu: unknown field 'valeu' — did you mean 'value'?",
        "runbooks/t.yaml:7: steps[1].capture.as: field required",
    ]


def test_what_capture_reads_is_checked_before_the_run(load_yaml: Load) -> None:
    """`get:` is a closed set: a misspelling is found by `bot validate`, at its line, not when a
    run reaches the step after signing in."""
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - capture: {label: Tenant ID, get: valeu, as: tenant}
              - capture:
                  css: a
                  get: "attribute:"
                  as: link
              - capture: {text: Tenant, get: Text, as: other}
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:3: steps[0].capture.get: get must be text, value, checked, url or "
        "attribute:NAME — did you mean 'value'?",
        "runbooks/t.yaml:6: steps[1].capture.get: `get: attribute:NAME` needs the attribute's "
        "name, e.g. attribute:href",
        "runbooks/t.yaml:8: steps[2].capture.get: get must be text, value, checked, url or "
        "attribute:NAME — did you mean 'text'?",
    ]


def test_every_way_capture_reads_is_accepted(load_yaml: Load) -> None:
    runbook = load_yaml("""\
        name: x
        params:
          what: {default: text}
        steps:
          - capture: {label: Tenant ID, get: value, as: a}
          - capture: {text: Tenant, as: b}
          - capture: {role: switch, name: Enable, get: checked, as: c}
          - capture: {css: a, get: "attribute:href", as: d}
          - capture: {get: url, as: e}
          - capture: {text: Tenant, get: "{{ params.what }}", as: f}
        """)
    assert [getattr(step.args, "get", None) for step in runbook.steps] == [
        "value",
        "text",
        "checked",
        "attribute:href",
        "url",
        "{{ params.what }}",
    ]


def test_every_problem_of_a_file_is_reported_at_once(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: Not A Name
            step: []
            steps:
              - clik: Save
              - click: {name: Save, text: Save}
              - click: Save
                timeout: soon
            finally:
              - wait_fr: Done
            """)
    found = headlines(info.value)
    assert found == [
        "runbooks/t.yaml:2: step: unknown key 'step' — did you mean 'steps'?",
        "runbooks/t.yaml:1: name: 'Not A Name' is not a runbook name: use lower-case letters, "
        "digits, `-` and `_`, starting with a letter or a digit (e.g. `name: not-a-name`, in the "
        "file not-a-name.yaml)",
        "runbooks/t.yaml:4: steps[0]: unknown action 'clik' — did you mean 'click'?",
        "runbooks/t.yaml:5: steps[1].click: a locator needs exactly one of role, label, text, "
        "placeholder, title, alt, testid, css, any or name (found: text, name)",
        "runbooks/t.yaml:7: steps[2].timeout: 'soon' is not a duration: write e.g. '5s', "
        "'500ms' or '2m'",
        "runbooks/t.yaml:9: finally[0]: unknown action 'wait_fr' — did you mean 'wait_for'?",
    ]
    assert info.value.message.endswith("6 problems found; nothing was run.")


def test_problems_inside_nested_steps_have_their_own_lines(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - within:
                  role: dialog
                  steps:
                    - click: Next
                    - hover: Infinite
            """)
    actions = ", ".join(sorted(BUILTIN))
    assert headlines(info.value) == [
        f"runbooks/t.yaml:7: steps[0].within.steps[1]: unknown action 'hover' (actions are: "
        f"{actions})"
    ]
    assert "click, expect, fail, fill, goto" in actions


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- click: Save\n", "a runbook is a mapping with `name` and `steps`"),
        ("name: x\n", "steps: field required: the list of steps to run"),
        (
            "name: x\nsteps: {click: Save}\n",
            "steps: must be a list of steps (each starts with `- `)",
        ),
        (
            "name: x\nsteps:\n  - Save\n",
            "steps[0]: a step is a mapping like `- click: Save`, not 'Save'",
        ),
    ],
)
def test_document_shape_errors(load_yaml: Load, text: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml(text)
    assert message in headlines(info.value)[0]


# -- shorthand and full forms -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("click: Save", "click: {name: Save}"),
        ("fill: {Tenant ID: acme}", "fill: {label: Tenant ID, value: acme}"),
        ("select: {Mode: Sliding Expiration}", "select: {label: Mode, option: Sliding Expiration}"),
        ("toggle: {Enable: on}", "toggle: {name: Enable, state: 'on'}"),
        ("toggle: {Enable: off}", "toggle: {name: Enable, state: 'off'}"),
        ("check: Infinite", "check: {label: Infinite}"),
        ("uncheck: Remember", "uncheck: {label: Remember}"),
        ("expect: Renewed", "expect: {text: Renewed, visible: true}"),
        ("wait_for: Integrations", "wait_for: {text: Integrations}"),
        ("goto: http://127.0.0.1/", "goto: {url: http://127.0.0.1/}"),
        ("press: Enter", "press: {key: Enter}"),
        ("screenshot: consent", "screenshot: {name: consent}"),
        ("fail: Stop here", "fail: {message: Stop here}"),
        ("pause: Look", "pause: {message: Look}"),
    ],
)
def test_shorthand_parses_to_the_same_model_as_the_full_form(
    load_yaml: Load, short: str, full: str
) -> None:
    runbook = load_yaml(f"name: x\nsteps:\n  - {short}\n  - {full}\n")
    first, second = runbook.steps
    assert first.action == second.action
    assert first.args == second.args
    assert type(first.args) is type(second.args)


def test_envelope_fields_sit_beside_the_action(load_yaml: Load) -> None:
    runbook = load_yaml("""\
        name: x
        params: {force: {type: boolean, default: false}}
        steps:
          - click: Save
            id: save
            label: Save the settings
            when: params.force
            optional: true
            timeout: 1.5m
            retry: {count: 3, backoff: 250ms, on: [not_found]}
        """)
    (node,) = runbook.steps
    env = node.envelope
    assert (env.id, env.label, env.when, env.optional) == (
        "save",
        "Save the settings",
        "params.force",
        True,
    )
    assert env.timeout == 90.0
    assert env.retry is not None
    assert (env.retry.count, env.retry.backoff, [str(k) for k in env.retry.on]) == (
        3,
        0.25,
        ["not_found"],
    )
    assert node.describe() == "Save the settings"
    assert node.where == "runbooks/t.yaml:4"


def test_describe_without_label_names_the_action_and_target(load_yaml: Load) -> None:
    runbook = load_yaml("""\
        name: x
        steps:
          - click: Save
          - fill: {Tenant ID: acme}
          - click: {text: More, nth: 2}
          - press: Enter
          - capture: {get: url, as: here}
          - expect: {url: "/done$"}
          - wait_for: {load_state: networkidle}
        """)
    assert [n.describe() for n in runbook.steps] == [
        'click "Save"',
        'fill label "Tenant ID"',
        'click text "More" #2',
        "press Enter",
        "capture url",
        "expect /done$",
        "wait_for networkidle",
    ]


def test_describe_of_a_long_message_cuts_at_a_word_outside_templates(load_yaml: Load) -> None:
    runbook = load_yaml("""\
        name: x
        steps:
          - fail: >
              Assignar now shows tenant '{{ vars.tenant_after }}', not the client's
              '{{ client.tenant }}': the Enable switch was left as it was.
          - fail: >
              Short, on
              two lines
        """)
    assert [n.describe() for n in runbook.steps] == [
        "fail Assignar now shows tenant '{{ vars.tenant_after }}', not the client's …",
        "fail Short, on two lines",
    ]


def test_step_keeps_its_own_yaml_lines(load_yaml: Load) -> None:
    runbook = load_yaml("""\
        name: x
        steps:
          - fill:
              label: Tenant ID
              value: acme
          - click: Save
            label: Save the settings

            timeout: 5s
        finally:
          - click: Close
        """)
    assert runbook.steps[0].yaml == "  - fill:\n      label: Tenant ID\n      value: acme"
    # the last step of a list keeps all its lines too, and nothing of what follows
    assert runbook.steps[1].yaml == (
        "  - click: Save\n    label: Save the settings\n\n    timeout: 5s"
    )
    assert runbook.finally_[0].yaml == "  - click: Close"


def test_captures_are_collected_including_nested_ones(load_yaml: Load) -> None:
    runbook = load_yaml("""\
        name: x
        steps:
          - capture: {text: Tenant, as: tenant}
          - within:
              role: dialog
              steps:
                - capture: {get: url, as: here}
          - wait_for: {any: [{text: A}, {text: B}], as: which}
        """)
    assert runbook.captures == frozenset({"tenant", "here", "which"})


# -- durations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("5s", 5.0),
        ("500ms", 0.5),
        ("2m", 120.0),
        ("1h", 3600.0),
        ("1.5s", 1.5),
        ("3", 3.0),
        ("0.25", 0.25),
        ("' 2 s '", 2.0),
    ],
)
def test_durations(load_yaml: Load, written: str, seconds: float) -> None:
    runbook = load_yaml(f"name: x\nsteps:\n  - click: Save\n    timeout: {written}\n")
    assert runbook.steps[0].envelope.timeout == seconds


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("5 minutes", "'5 minutes' is not a duration: write e.g. '5s', '500ms' or '2m'"),
        ("-1", "a duration cannot be negative"),
        ("true", "a duration is a number of seconds or text like '5s' or '500ms'"),
    ],
)
def test_bad_durations(load_yaml: Load, written: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml(f"name: x\nsteps:\n  - click: Save\n    timeout: {written}\n")
    assert headlines(info.value) == [f"runbooks/t.yaml:4: steps[0].timeout: {message}"]


def test_retry_count_is_bounded(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("name: x\nsteps:\n  - click: Save\n    retry: {count: 50}\n")
    assert headlines(info.value) == [
        "runbooks/t.yaml:4: steps[0].retry.count: count must be at most 10"
    ]


@pytest.mark.parametrize(
    ("step", "key", "first", "second"),
    [
        ("  - fill: {Other: first}\n    fill: {Other: second}\n", "fill", 3, 4),
        ("  - click: Save\n    label: one\n    label: two\n", "label", 4, 5),
        ("  - click: {name: Save, name: Send}\n", "name", 3, 3),
    ],
)
def test_a_key_written_twice_is_refused_at_its_second_line(
    load_yaml: Load, step: str, key: str, first: int, second: int
) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml(f"name: x\nsteps:\n{step}")
    assert headlines(info.value) == [
        f"runbooks/t.yaml:{second}: the key '{key}' is written twice in one mapping (first on "
        f"line {first}): YAML would silently keep only the last one. Remove one of them, or, if "
        "it starts another list item (another step), begin that item with `- `"
    ]
    assert info.value.exit_code == 2


def test_every_key_written_twice_is_reported_with_the_other_problems(load_yaml: Load) -> None:
    """A key written twice is not a syntax error: the parse goes on, so the author reads every
    duplicate and every other mistake of the file at once, each at its own line."""
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            description: one
            description: two
            steps:
              - click: Save
                label: one
                label: two
              - expect: {text: Done, visble: true}
            """)
    found = headlines(info.value)
    assert [h.split(": ", 1)[0] for h in found] == [
        "runbooks/t.yaml:3",
        "runbooks/t.yaml:7",
        "runbooks/t.yaml:8",
    ]
    assert "the key 'description' is written twice in one mapping (first on line 2)" in found[0]
    assert "the key 'label' is written twice in one mapping (first on line 6)" in found[1]
    assert found[2].endswith("unknown field 'visble' — did you mean 'visible'?")
    assert info.value.message.endswith("3 problems found; nothing was run.")


def test_a_key_may_override_one_a_merge_brings(load_yaml: Load) -> None:
    runbook = load_yaml("""\
        name: x
        steps:
          - fill: &tenant {label: Tenant, value: one}
          - fill: {<<: *tenant, value: two}
        """)
    assert [getattr(step.args, "value", None) for step in runbook.steps] == ["one", "two"]


def test_a_runbook_named_other_than_its_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d03_namemismatch.yaml"
    path.write_text("name: something-else\nsteps:\n  - click: Save\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        load_runbook(path, BUILTIN)
    assert headlines(info.value) == [
        f"{path}:1: name: the name 'something-else' does not match the file name "
        "d03_namemismatch.yaml (runbooks are found by their file's name): rename the file to "
        "something-else.yaml, or write `name: d03_namemismatch`"
    ]
    assert info.value.exit_code == 2


def test_misspelt_fields_inside_a_step_suggest_the_closest(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - click: {name: Send, tiemout: 5s}
              - click: Send
                lable: Send it
              - use: {runbook: sign-in, wiht: {user: x}}
              - click: Save
                retry: {cuont: 2, on: [timout]}
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:3: steps[0].click.tiemout: unknown field 'tiemout' — did you mean "
        "'timeout'? (timeout is a field of the step: write it beside `click:`, not inside it)",
        "runbooks/t.yaml:5: steps[1].lable: unknown field 'lable' — did you mean 'label'? "
        "(besides its one action, a step may have the fields id, label, optional, retry, "
        "timeout, when)",
        "runbooks/t.yaml:6: steps[2].use.wiht: unknown field 'wiht' — did you mean 'with'?",
        "runbooks/t.yaml:8: steps[3].retry.on[0]: each item of on must be one of not_found, "
        "ambiguous, assertion, navigation, server_error, oauth_error, account_blocked, "
        "app_inactive, overlay, timeout, origin_refused, secret_refused, browser_closed, "
        "signed_out, stopped, error — did you mean 'timeout'?",
        "runbooks/t.yaml:8: steps[3].retry.cuont: unknown field 'cuont' — did you mean 'count'?",
    ]


def test_values_of_the_wrong_kind_are_said_in_plain_words(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            requires: site_url
            params: {n: {type: integr}}
            steps:
              - fill: [a, b]
              - click: Save
                retry: {count: "many"}
                optional: maybe
              - group: {label: Inner, steps: [{click: Save}]}
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:3: params.n.type: type must be one of string, integer, number, "
        "boolean, list — did you mean 'integer'?",
        "runbooks/t.yaml:2: requires: requires takes a list (`requires: [a, b]`, or one `- ` "
        "line per item), not text",
        "runbooks/t.yaml:5: steps[0].fill: fill cannot take a list: write it like "
        '`fill: {Tenant ID: "{{ client.tenant }}"}` or '
        "`fill: {label: Password, value: \"{{ secret('acumatica_password') }}\"}`",
        "runbooks/t.yaml:8: steps[1].optional: optional must be true or false, not text",
        "runbooks/t.yaml:7: steps[1].retry.count: count must be a whole number (e.g. "
        "`count: 2`), not text",
        "runbooks/t.yaml:9: steps[2].group.label: unknown field 'label' here (label is a field "
        "of the step: write it beside `group:`, not inside it)",
    ]
    assert "Input should" not in info.value.message


@pytest.mark.parametrize(
    ("step", "fix"),
    [
        ("  - goto: {{ client.site_url }}/\n", '`goto: "{{ client.site_url }}/"`'),
        ("  - goto: {{ client.site_url }}\n", '`goto: "{{ client.site_url }}"`'),
        (
            "  - fill:\n      label: X\n      value: {{ client.site_url }}/x\n",
            '`value: "{{ client.site_url }}/x"`',
        ),
        (
            "  - fill: {Other: {{ client.site_url }}/x, Name: y}\n",
            '`Other: "{{ client.site_url }}/x"`',
        ),
        ('  - expect: {{ vars.x }} is "on"\n', "`expect: '{{ vars.x }} is \"on\"'`"),
    ],
    ids=["then-text", "whole", "block-value", "in-flow-mapping", "holding-quotes"],
)
def test_an_unquoted_template_is_told_to_be_quoted(load_yaml: Load, step: str, fix: str) -> None:
    text = f"name: x\nsteps:\n{step}"
    with pytest.raises(ValidationFailed) as info:
        load_yaml(text)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.line == len(text.splitlines())
    assert diagnostic.message.startswith(
        "YAML syntax error: a template must be in quotes, else YAML reads `{` as a mapping: "
        f"write {fix} (the YAML parser:"
    )


def test_a_quoted_template_near_a_syntax_error_is_not_blamed(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml(
            'name: x\nsteps:\n  - goto: "{{ client.site_url }}/"  # {{ not this }}\n   - click: x\n'
        )
    (diagnostic,) = info.value.diagnostics
    assert "line 4 is indented by 3 spaces" in diagnostic.message


def test_a_page_wait_is_checked_before_the_run(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("name: x\nsteps:\n  - wait_for: {load_state: networkidel}\n")
    assert headlines(info.value) == [
        "runbooks/t.yaml:3: steps[0].wait_for.load_state: load_state must be one of load, "
        "domcontentloaded, networkidle — did you mean 'networkidle'?"
    ]
    runbook = load_yaml(
        "name: x\nsteps:\n  - wait_for: {url: /done}\n  - wait_for: {load_state: load}\n"
    )
    assert [step.describe() for step in runbook.steps] == ["wait_for /done", "wait_for load"]


@pytest.mark.parametrize(
    ("name", "example"),
    [
        ("my-user", "my_user"),
        ("2fa code", "_2fa_code"),
    ],
)
def test_a_param_name_that_a_template_cannot_read_is_refused(
    load_yaml: Load, name: str, example: str
) -> None:
    """`{{ params.my-user }}` reads as `params.my - user`: such a param could never be used."""
    with pytest.raises(ValidationFailed) as info:
        load_yaml(f"""\
            name: x
            params:
              ok: {{type: string}}
              {name}: {{type: string}}
            steps:
              - click: Save
            """)
    assert headlines(info.value) == [
        f"runbooks/t.yaml:4: params.{name}: '{name}' is not a param name: use letters, digits "
        f"and `_`, not starting with a digit (e.g. `{example}:`, read as "
        f"`{{{{ params.{example} }}}}`)"
    ]


def test_a_value_of_the_wrong_form_is_said_in_words(load_yaml: Load) -> None:
    """No regular expression or "Dictionary should have…" reaches the author: what to write."""
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - capture: {text: Tenant, as: tenant-id}
              - screenshot: before save
              - choose:
                  any: {}
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:3: steps[0].capture.as: as must be a name of letters, digits and `_`, "
        "not starting with a digit (e.g. `tenant_id`)",
        "runbooks/t.yaml:4: steps[1].screenshot.name: name must be a file name of letters, "
        "digits, `.`, `-` and `_` (e.g. `before-save`)",
        "runbooks/t.yaml:6: steps[2].choose.any: any needs at least 1 item, not none",
    ]


@pytest.mark.parametrize(
    ("step", "action", "beside"),
    [
        ("  - fill:\n    label: Tenant ID\n    value: acme\n", "fill", "label, value are"),
        ("  - capture:\n    text: Tenant\n    as: tenant\n", "capture", "text, as are"),
        (
            "  - click:\n    role: button\n    name: Save\n    timeout: 5s\n",
            "click",
            "role, name are",
        ),
        ("  - within:\n    role: dialog\n    steps: [click: Next]\n", "within", "role, steps are"),
    ],
)
def test_arguments_written_beside_their_action_say_to_indent_them(
    load_yaml: Load, step: str, action: str, beside: str
) -> None:
    """The arguments at the action's own indentation: YAML reads an empty action with its
    arguments beside it; the author reads "indent them", not "exactly one action"."""
    with pytest.raises(ValidationFailed) as info:
        load_yaml(f"name: x\nsteps:\n{step}")
    assert headlines(info.value) == [
        f"runbooks/t.yaml:3: steps[0].{action}: `{action}:` has nothing under it, and {beside} "
        f"beside it instead: indent them under `{action}:`, two spaces further than `{action}`"
    ]


def test_a_field_beside_its_action_s_arguments_says_to_indent_it(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - wait_for:
                  any: {consent: {text: Allow}, granted: {text: Granted}}
                as: page
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:5: steps[0].as: as is a field of `wait_for`, written beside it: indent "
        "it under `wait_for:`, with its other fields"
    ]


def test_a_branch_that_is_not_a_list_is_said_once(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - choose:
                  any: {consent: {text: Allow}, granted: {text: Granted}}
                  then:
                    consent: {click: Allow}
                    granted:
                      - clik: Done
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:6: steps[0].choose.then.consent: consent takes a list (`consent: [a, "
        "b]`, or one `- ` line per item), not a mapping",
        "runbooks/t.yaml:8: steps[0].choose.then.granted[0]: unknown action 'clik' — did you "
        "mean 'click'?",
    ]


def test_choose_alternatives_written_without_any_say_to_put_them_under_it(
    load_yaml: Load,
) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - choose:
                  consent: {text: Allow}
                  granted: {text: Access granted}
                  then:
                    consent: [click: Allow]
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:3: steps[0].choose: the alternatives consent, granted go under `any:` "
        "(`any: {consent: {…}, …}`), beside `then:`"
    ]


def test_a_runbook_not_saved_as_utf8_is_said_at_its_line(tmp_path: Path) -> None:
    """A file saved as "ANSI"/Latin-1 is a problem to fix, at the line of the first such byte,
    not a traceback."""
    path = tmp_path / "latin.yaml"
    path.write_bytes("name: latin\nsteps:\n  - click: Spécial\n".encode("latin-1"))
    with pytest.raises(ValidationFailed) as info:
        load_runbook(path, BUILTIN)
    assert headlines(info.value) == [
        f"{path}:3: the file is not UTF-8 text (byte 0xe9 on line 3): save it as UTF-8 in your "
        "editor (or convert it: `iconv -f latin1 -t utf-8`)"
    ]
    assert info.value.exit_code == 2


def test_a_second_yaml_document_says_a_file_holds_one_runbook(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("name: x\nsteps: []\n---\nname: y\n")
    (headline,) = headlines(info.value)
    assert headline.startswith(
        "runbooks/t.yaml:3: YAML syntax error: a second YAML document starts on line 3 (`---`): "
        "a file holds one runbook"
    )


def test_a_param_written_as_its_type_says_how_a_param_is_written(load_yaml: Load) -> None:
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            params:
              user: string
              attempts: 3
            steps:
              - click: Save
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:3: params.user: a param is written as a mapping, e.g. `{type: string}`",
        "runbooks/t.yaml:4: params.attempts: a param is written as a mapping, e.g. "
        "`{type: string, default: …}`",
    ]


def test_list_items_are_written_with_brackets_everywhere(load_yaml: Load) -> None:
    """`summary[0].on`, as the checks of a whole runbook write `summary[0].message`, not
    `summary.0.on`."""
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            requires: [site_url, 5]
            steps:
              - click: Save
            summary:
              - message: Saved
                on: pass
            """)
    assert [d.where for d in info.value.diagnostics] == ["requires[1]", "summary[0].on"]


@pytest.mark.parametrize(
    ("args", "fix"),
    [
        ('{url: "/done", text: Done}', "remove text"),
        ("{load_state: load, text: Done}", "remove text"),
        ('{url: "/done", as: page}', "remove as"),
        (
            '{url: "/done", timeout: 5s}',
            "remove timeout (timeout: beside `wait_for:`, as a field of the step)",
        ),
    ],
)
def test_wait_for_url_refuses_what_it_would_ignore(load_yaml: Load, args: str, fix: str) -> None:
    """A locator, `as:` or a step's `timeout:` written beside `url`/`load_state` was dropped
    without a word (the timeout never applied, `vars.page` never set)."""
    with pytest.raises(ValidationFailed) as info:
        load_yaml(f"name: x\nsteps:\n  - wait_for: {args}\n")
    assert headlines(info.value) == [
        f"runbooks/t.yaml:3: steps[0].wait_for: `url`/`load_state` stand alone; {fix}"
    ]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            "fill: {Email: me@example.com, Password: x}",
            "one fill step acts on one element (Email, Password are written here): write a step "
            "for each, `- fill: {Email: …}` then `- fill: {Password: …}`",
        ),
        (
            "select: {Time zone: Australia/Sydney, timeout: 5s}",
            "timeout is a field of the step, not of the short form {Time zone: …}: write "
            "`- select: {Time zone: …}`, and `timeout: …` beside `select:` on the next line",
        ),
        (
            "toggle: {Enable: on, exact: true}",
            "the short form {Enable: …} stands alone: with exact, write the full form "
            "(`toggle: {name: Enable, …}`; `bot schema` lists its fields)",
        ),
    ],
)
def test_a_short_form_with_more_than_its_one_key_says_what_to_write(
    load_yaml: Load, step: str, message: str
) -> None:
    """`{Label: value}` holds one key: a second field, or a step's field, written in it got
    "value: field required" and "unknown field 'Email'" instead."""
    with pytest.raises(ValidationFailed) as info:
        load_yaml(f"name: x\nsteps:\n  - {step}\n")
    action = step.split(":", 1)[0]
    assert headlines(info.value) == [f"runbooks/t.yaml:3: steps[0].{action}: {message}"]


def test_a_step_field_written_without_a_value_is_refused(load_yaml: Load) -> None:
    """`when:` with nothing after it read as no condition: the step always ran."""
    with pytest.raises(ValidationFailed) as info:
        load_yaml("""\
            name: x
            steps:
              - click: Save
                when:
              - click: Next
                timeout:
            """)
    assert headlines(info.value) == [
        "runbooks/t.yaml:4: steps[0].when: `when:` has no value: write one after the colon, or "
        "remove the line",
        "runbooks/t.yaml:6: steps[1].timeout: `timeout:` has no value: write one after the "
        "colon, or remove the line",
    ]


def test_a_runbook_or_a_group_without_steps_is_refused(load_yaml: Load) -> None:
    """`steps: []` validated and passed having done nothing; so did an empty `group` or `within`
    (an empty `then:` branch stays allowed: "nothing to do when this one shows")."""
    with pytest.raises(ValidationFailed) as empty_runbook:
        load_yaml("name: x\nsteps:\n")
    assert headlines(empty_runbook.value) == [
        "runbooks/t.yaml:2: steps: a runbook needs at least one step: add one under it"
    ]
    with pytest.raises(ValidationFailed) as empty_groups:
        load_yaml("""\
            name: x
            steps:
              - group: []
              - within: {role: dialog, steps: []}
            """)
    assert headlines(empty_groups.value) == [
        "runbooks/t.yaml:3: steps[0].group.steps: steps needs at least 1 item, not none",
        "runbooks/t.yaml:4: steps[1].within.steps: steps needs at least 1 item, not none",
    ]
