"""Checks before any browser starts: variables, params, names, secrets, `when` expressions."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot import InputError, Runbook, ValidationFailed
from bot.language import CheckContext, bind_params, check_runbook
from bot.language.loader import RunbookInvalid

Broken = Callable[[str], ValidationFailed]


def headlines(error: ValidationFailed) -> list[str]:
    return [d.headline() for d in error.diagnostics]


def test_variable_used_before_it_is_captured(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - fill: {Tenant ID: "{{ vars.tenant }}"}
          - capture: {label: Tenant ID, get: value, as: tenant}
          - fill: {Tenant ID: "{{ vars.tenant }}"}
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:3: steps[0].fill.value: variable 'tenant' is used before any step "
        "captures it (`as: tenant`)"
    ]


def test_variable_misspelt_after_capture_suggests_the_captured_one(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - capture: {label: Tenant ID, get: value, as: tenant}
          - expect: {text: "{{ vars.tennant }}"}
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:4: steps[1].expect.text: variable 'tennant' is used before any step "
        "captures it (`as: tennant`) — did you mean 'tenant'?"
    ]


def test_finally_may_use_any_captured_variable(
    broken: Broken,
    load_yaml: Callable[[str], Runbook],
) -> None:
    error = broken("""\
        name: x
        steps:
          - capture: {get: url, as: here}
        finally:
          - expect: {text: "{{ vars.here }}"}
          - expect: {text: "{{ vars.nowhere }}"}
        """)
    assert [d.where for d in error.diagnostics] == ["finally[1].expect.text"]


def test_undeclared_param(broken: Broken) -> None:
    error = broken("""\
        name: x
        params:
          tenant: {required: true}
        steps:
          - fill: {Tenant ID: "{{ params.tenantt }}"}
          - fill: {Company: "{{ params.company }}"}
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:5: steps[0].fill.value: undefined param 'tenantt' — did you mean "
        "'tenant'? — declare it under `params:`",
        "runbooks/t.yaml:6: steps[1].fill.value: undefined param 'company' (valid: tenant) — "
        "declare it under `params:`",
    ]


def test_unknown_top_level_name(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - fill: {Tenant ID: "{{ tenant }}"}
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:3: steps[0].fill.value: undefined name 'tenant': use params.tenant, "
        "client.tenant or vars.tenant"
    ]


def test_template_syntax_error_is_located(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - click: "{{ params.tenant"
        """)
    (headline,) = headlines(error)
    assert headline.startswith(
        "runbooks/t.yaml:3: steps[0].click.name: template error: unexpected end of template"
    )


def test_when_syntax_error_points_at_the_when_line(broken: Broken) -> None:
    error = broken("""\
        name: x
        params: {force: {type: boolean, default: false}}
        steps:
          - click: Save
            label: Save it
            when: "params.force =="
        """)
    (headline,) = headlines(error)
    assert headline.startswith("runbooks/t.yaml:6: steps[0].when: template error:")
    assert ">" + ' 6 |     when: "params.force =="' in error.message


def test_when_with_undeclared_param(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - click: Save
            when: params.force
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:4: steps[0].when: undefined param 'force' — declare it under `params:`"
    ]


@pytest.mark.parametrize(
    "fill",
    [
        "{Password: hunter2}",
        "{label: Password, value: hunter2}",
        "{placeholder: Your password, value: hunter2}",
        "{role: textbox, name: API key, value: abc123}",
        "{css: 'input[name=client_secret]', value: abc123}",
    ],
)
def test_literal_secret_is_refused(broken: Broken, fill: str) -> None:
    error = broken(f"""\
        name: x
        steps:
          - fill: {fill}
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:3: steps[0].fill.value: literal secret: a password is never written in "
        "a runbook; use \"{{ secret('name') }}\" and declare the name under the client's "
        "`secrets:`"
    ]


def test_a_short_literal_password_is_masked_where_it_stands_only(broken: Broken) -> None:
    """A one-letter password is masked where it is written as a value (wherever the excerpt
    shows it whole: the same value elsewhere could be it too), not at every `s` of the message."""
    error = broken("""\
        name: e04
        description: the password is s
        steps:
          - fill: {Username: s}
          - fill: {Pass: "s"}
          - fill: {label: Password, value: s}
        """)
    assert error.message.splitlines()[:6] == [
        "runbooks/t.yaml:5: steps[1].fill.value: literal secret: a password is never written in "
        "a runbook; use \"{{ secret('name') }}\" and declare the name under the client's "
        "`secrets:`",
        "  3 | steps:",
        "  4 |   - fill: {Username: ••••••}",
        '> 5 |   - fill: {Pass: "••••••"}',
        "  6 |   - fill: {label: Password, value: ••••••}",
        "",
    ]
    assert error.message.endswith("\n2 problems found; nothing was run.")


def test_a_template_in_a_password_field_is_not_called_a_literal(broken: Broken) -> None:
    error = broken("""\
        name: x
        params:
          pw: {default: x}
        steps:
          - fill: {Token: "{{ params.pw }}"}
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:5: steps[0].fill.value: this field looks like a password field, and "
        "its value is a template that gives no secret: a password-looking field is filled from "
        "\"{{ secret('name') }}\" (or `{{ secret(params.x) }}`, a param naming one), where the "
        "name is one of the client's `secrets:` references; a password is never a param or a "
        "setting"
    ]
    assert "literal" not in error.message
    assert '> 5 |   - fill: {Token: "{{ params.pw }}"}' in error.message


def test_a_template_holding_a_string_in_a_password_field_is_masked(broken: Broken) -> None:
    """A quoted constant in the template could be the password itself: it is never echoed."""
    error = broken("""\
        name: x
        steps:
          - fill: {label: Password, value: "{{ 'hunter22' | trim }}"}
        """)
    assert "gives no secret" in error.message
    assert "hunter22" not in error.message
    assert '> 3 |   - fill: {label: Password, value: "••••••"}' in error.message


def test_a_secret_reference_in_a_password_field_passes_the_checks(
    load_yaml: Callable[[str], Runbook],
) -> None:
    runbook = load_yaml("""\
        name: x
        steps:
          - fill: {label: Password, value: "{{ secret('pw') }}"}
          - fill: {Tenant ID: acme}
        """)
    assert check_runbook(runbook, CheckContext()) == []


@pytest.mark.parametrize(
    ("step", "where"),
    [
        ("goto: \"http://127.0.0.1/login?password={{ secret('pw') }}\"", "steps[0].goto.url"),
        ("expect: {text: Welcome, has_text: \"{{ secret('pw') }}\"}", "steps[0].expect.has_text"),
        ("expect: {url: \"{{ secret('pw') }}\"}", "steps[0].expect.url"),
        ("fail: \"the password was {{ secret('pw') }}\"", "steps[0].fail.message"),
        ("click: Save\n    label: \"{{ secret('pw') }}\"", "steps[0].label"),
    ],
)
def test_secret_outside_a_fill_value_is_refused(broken: Broken, step: str, where: str) -> None:
    error = broken(f"name: x\nsteps:\n  - {step}\n")
    assert headlines(error)[0].startswith("runbooks/t.yaml:")
    assert [d.where for d in error.diagnostics] == [where]
    assert error.diagnostics[0].message == (
        "a secret may only be the value of a `fill` step; here it would leak into a URL, "
        "a message, a log or a report"
    )


def test_secret_mixed_into_a_fill_value_is_refused(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - fill: {label: Password, value: "x{{ secret('pw') }}"}
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:3: steps[0].fill.value: a secret must be the whole value: "
        "`value: \"{{ secret('name') }}\"`"
    ]


def test_all_check_problems_come_together(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - fill: {Tenant ID: "{{ vars.a }}"}
          - goto: "{{ secret('pw') }}"
          - fill: {Password: hunter2}
        """)
    assert [d.line for d in error.diagnostics] == [3, 4, 5]
    assert error.message.endswith("3 problems found; nothing was run.")


# -- params -------------------------------------------------------------------------------------

PARAMS_RUNBOOK = """\
    name: x
    params:
      tenant: {required: true, description: the Acumatica tenant}
      lifetime: {type: integer, default: 15, minimum: 1, maximum: 60}
      infinite: {type: boolean, default: true}
      ratio: {type: number, default: 1, minimum: 0}
      scopes: {type: list, default: [api]}
    steps:
      - fill: {Tenant: "{{ params.tenant }}"}
    """


def test_missing_required_param(load_yaml: Callable[[str], Runbook]) -> None:
    runbook = load_yaml(PARAMS_RUNBOOK)
    with pytest.raises(InputError) as info:
        bind_params(runbook, {"lifetme": "3"})
    assert info.value.message == (
        "runbooks/t.yaml:2: unknown param 'lifetme' — did you mean 'lifetime'?\n"
        "runbooks/t.yaml:3: missing param 'tenant' (the Acumatica tenant): pass --param tenant=…"
    )
    assert info.value.exit_code == 2


def test_params_are_typed_from_text(load_yaml: Callable[[str], Runbook]) -> None:
    runbook = load_yaml(PARAMS_RUNBOOK)
    bound = bind_params(
        runbook,
        {"tenant": "Acme", "lifetime": "30", "infinite": "no", "scopes": "api, offline_access"},
    )
    assert bound == {
        "tenant": "Acme",
        "lifetime": 30,
        "infinite": False,
        "ratio": 1,
        "scopes": ["api", "offline_access"],
    }
    assert bind_params(runbook, {"tenant": "Acme"})["lifetime"] == 15


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            {"lifetime": "fifteen"},
            "runbooks/t.yaml:4: param lifetime: 'fifteen' is not a whole number$",
        ),
        ({"infinite": "maybe"}, "runbooks/t.yaml:5: param infinite: 'maybe' is not true/false"),
        ({"ratio": "half"}, "runbooks/t.yaml:6: param ratio: 'half' is not a number$"),
        (
            {"lifetime": "61"},
            "runbooks/t.yaml:4: param lifetime: 61 is out of range: give a value from 1 to 60",
        ),
        (
            {"lifetime": "0"},
            "runbooks/t.yaml:4: param lifetime: 0 is out of range: give a value from 1 to 60",
        ),
        (
            {"ratio": "-0.5"},
            "runbooks/t.yaml:6: param ratio: -0.5 is out of range: give a value 0 or more",
        ),
    ],
)
def test_badly_typed_params(
    load_yaml: Callable[[str], Runbook], given: dict[str, str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        bind_params(load_yaml(PARAMS_RUNBOOK), {"tenant": "Acme", **given})


@pytest.mark.parametrize(
    "read",
    [
        "capture: {label: Password, get: value, as: x}",
        "expect: {placeholder: Your password, has_value: /^C/}",
        "capture: {css: 'input[type=password]', as: x}",
        "capture: {label: Secret field, get: value, as: x}",  # the field the fill typed into
    ],
)
def test_reading_a_password_or_typed_into_field_is_refused(broken: Broken, read: str) -> None:
    error = broken(f"""\
        name: x
        steps:
          - fill: {{label: Secret field, value: "{{{{ secret('pw') }}}}"}}
          - {read}
        """)
    assert [d.where for d in error.diagnostics] == ["steps[1]"]
    assert "would read" in error.diagnostics[0].message


def test_a_secret_named_by_a_param_must_be_one_of_the_client_s(
    load_yaml: Callable[[str], Runbook],
) -> None:
    runbook = load_yaml("""\
        name: x
        params: {which: {type: string, default: pw}}
        steps:
          - fill: {label: Password, value: "{{ secret(params.which) }}"}
        """)
    assert check_runbook(runbook, CheckContext(secret_names={"pw"}, params={"which": "pw"})) == []
    found = check_runbook(runbook, CheckContext(secret_names={"pw"}, params={"which": "tenant"}))
    assert [d.message for d in found] == [
        "params.which is 'tenant', which is not one of the client's secrets (valid: pw): "
        "pass a secret's name"
    ]


def test_a_constant_template_is_evaluated_before_the_run(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - fill: {label: Note, value: "{{ 'x' * 100000 }}"}
          - goto: "http://a.test/{{ 1 / 0 }}"
        """)
    assert [(d.line, d.where) for d in error.diagnostics] == [
        (3, "steps[0].fill.value"),
        (4, "steps[1].goto.url"),
    ]
    assert "repeating would exceed 10000 characters" in error.diagnostics[0].message


def test_unknown_filters_and_tests_are_found_before_the_run(broken: Broken) -> None:
    error = broken("""\
        name: x
        params: {url: {default: "https://a.test"}, version: {default: "24.1"}}
        steps:
          - goto: "{{ params.url | without_schem }}"
          - fill: {Other: "{{ params.url | nosuchfilter }}"}
          - click: Save
            when: params.version is nosuchtest
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:4: steps[0].goto.url: unknown filter 'without_schem' — did you mean "
        "'without_scheme'?",
        "runbooks/t.yaml:5: steps[1].fill.value: unknown filter 'nosuchfilter' (the filters are "
        "days_after, days_from_now, version_at_least, without_scheme and Jinja's built-in "
        "ones: "
        "https://jinja.palletsprojects.com/en/stable/templates/#builtin-filters)",
        "runbooks/t.yaml:7: steps[2].when: unknown test 'nosuchtest' (the tests are Jinja's "
        "built-in ones: https://jinja.palletsprojects.com/en/stable/templates/#builtin-tests)",
    ]
    assert error.exit_code == 2


def test_filters_called_with_the_wrong_arguments_are_found_before_the_run(broken: Broken) -> None:
    error = broken("""\
        name: x
        params: {version: {default: "24.1"}}
        steps:
          - click: Save
            when: params.version | version_at_least
          - fill: {Other: "{{ params.version | replace('.') }}"}
          - fill: {Other: "{{ 'constant' | upper(1) }}"}
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:5: steps[0].when: the filter 'version_at_least' cannot be called like "
        "this (missing a required argument: 'minimum'): it is written "
        "`| version_at_least(minimum)`",
        "runbooks/t.yaml:6: steps[1].fill.value: the filter 'replace' cannot be called like this "
        "(missing a required argument: 'new'): it is written `| replace(old, new, count=None)`",
        "runbooks/t.yaml:7: steps[2].fill.value: the filter 'upper' cannot be called like this "
        "(too many positional arguments): it takes no arguments: `| upper`",
    ]


def test_filters_and_tests_called_rightly_pass(load_yaml: Callable[[str], Runbook]) -> None:
    runbook = load_yaml("""\
        name: x
        params: {version: {default: "24.1"}, names: {type: list, default: [a]}}
        steps:
          - click: Save
            when: params.version | version_at_least('24.1') and 4 is divisibleby 2
          - fill: {Other: "{{ params.names | map('upper') | join(', ') | replace('A', 'B') }}"}
          - fill: {Other: "{{ params.version | default('1', true) | truncate(length=3) }}"}
          - fill: {Other: "{{ 30 | days_from_now }} {{ params.version is sameas none }}"}
        """)
    assert check_runbook(runbook, CheckContext()) == []


def test_braces_around_a_when_say_to_remove_them(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - set: {x: 1}
          - click: Send
            when: "{{ vars.x == 1 }}"
        """)
    (headline,) = headlines(error)
    assert headline == (
        "runbooks/t.yaml:5: steps[1].when: template error: expected token ':', got '}' — a "
        "`when:` is an expression already: remove the `{{ }}` (`when: vars.x == 1`)"
    )


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "{type: string, minimum: 1}",
            "runbooks/t.yaml:3: params.n: minimum/maximum bound numbers: give the param "
            "`type: integer` or `type: number` (it is string)",
        ),
        (
            "{type: integer, minimum: 9, maximum: 1}",
            "runbooks/t.yaml:3: params.n: minimum 9 is above maximum 1",
        ),
        (
            "{type: integer, default: 0, minimum: 1, maximum: 60}",
            "runbooks/t.yaml:3: params.n: the default 0 is out of range: give a value from 1 to 60",
        ),
    ],
)
def test_param_bounds_that_cannot_hold_are_refused_at_the_param(
    broken: Broken, spec: str, message: str
) -> None:
    error = broken(f"""\
        name: x
        params:
          n: {spec}
        steps:
          - goto: "https://example.com/?n={{{{ params.n }}}}"
        """)
    assert message in error.message


def test_a_misspelt_remember_is_refused_at_its_line(broken: Broken) -> None:
    """`remember:` a variable no step stores would keep "not found" after every passing run,
    and never the fact meant."""
    error = broken("""\
        name: x
        steps:
          - capture: {label: Tenant ID, get: value, as: tenant}
        remember:
          - tenat
        """)
    assert headlines(error) == [
        "runbooks/t.yaml:5: remember[0]: no step captures a variable 'tenat' — did you mean "
        "'tenant'?: `remember:` keeps variables a step stores (`capture … as:`, `set:`, "
        "`wait_for … as:`)"
    ]


def test_remember_takes_what_any_step_or_used_runbook_stores(
    load_yaml: Callable[[str], Runbook],
) -> None:
    part = load_yaml("""\
        name: part
        steps:
          - capture: {get: url, as: origin}
        """)
    runbook = load_yaml("""\
        name: x
        steps:
          - capture: {label: Tenant ID, get: value, as: tenant}
          - set: {due: "soon"}
          - wait_for: {any: {consent: {text: Allow}, granted: {text: Granted}}, as: page}
          - group:
              - capture: {text: User, as: user}
        finally:
          - use: part
        remember: [tenant, due, page, user, origin]
        """)
    ctx = CheckContext(lookup=lambda name: part if name == "part" else None)
    assert check_runbook(runbook, ctx) == []


@pytest.mark.parametrize(
    ("when", "fix"),
    [
        ("vars.page == 'consent' and", "it ends with `and`: add what comes after it, or remove it"),
        ("vars.page = 'consent'", "compare with `==`"),
        ("vars.page === 'consent'", "compare with `==`"),
        ("params.force && vars.page", "write `and` for `&&`"),
        ("params.force AND vars.page", "write `and` (in lower case)"),
        ("parms.force", "undefined name 'parms' — did you mean 'params'?"),
        ("var.page == 'consent'", "undefined name 'var' — did you mean 'vars'?"),
        ("vars.page == consent", "to compare with the text, quote it ('consent')"),
    ],
)
def test_a_mistyped_when_says_what_to_write(broken: Broken, when: str, fix: str) -> None:
    error = broken(f"""\
        name: x
        params: {{force: {{type: boolean, default: false}}}}
        steps:
          - capture: {{text: Page, as: page}}
          - click: Save
            when: "{when}"
        """)
    (headline,) = headlines(error)
    assert headline.startswith("runbooks/t.yaml:6: steps[1].when: ")
    assert fix in headline


def test_an_unclosed_template_says_to_close_it(broken: Broken) -> None:
    error = broken("""\
        name: x
        steps:
          - click: "{{ params.tenant }"
        """)
    (headline,) = headlines(error)
    assert headline.startswith("runbooks/t.yaml:3: steps[0].click.name: template error:")
    assert headline.endswith(" — close each `{{` with `}}`")


def test_what_a_runbook_used_two_deep_captures_is_known_after_the_use(
    load_yaml: Callable[[str], Runbook],
) -> None:
    """Runbooks used inside each other share the run's variables: a variable the innermost one
    captures is there after the outer `use`, and the checks say so too."""
    runbooks = {
        "press": load_yaml("""\
            name: press
            steps:
              - click: Sign in
              - capture: {get: url, as: after_sign_in}
            """),
        "sign-in": load_yaml("""\
            name: sign-in
            steps:
              - fill: {Email: me@example.com}
              - use: press
            """),
    }
    runbook = load_yaml("""\
        name: x
        steps:
          - use: sign-in
          - expect: {url: "{{ vars.after_sign_in }}"}
          - expect: {text: "{{ vars.after_sgin_in }}"}
        remember: [after_sign_in]
        """)
    ctx = CheckContext(lookup=runbooks.get)
    assert [d.headline() for d in check_runbook(runbook, ctx)] == [
        "runbooks/t.yaml:5: steps[2].expect.text: variable 'after_sgin_in' is used before any "
        "step captures it (`as: after_sgin_in`) — did you mean 'after_sign_in'?"
    ]


def test_what_a_broken_use_step_would_capture_is_not_blamed_later(
    load_yaml: Callable[[str], Runbook],
) -> None:
    """A runbook with a mistake is checked as far as it parsed: a variable a step that did not
    parse would have stored (itself, or through the runbook it uses) is not reported as used
    before it is captured; a real misspelling still is."""
    part = load_yaml("""\
        name: part
        steps:
          - capture: {text: Tenant, as: found}
        """)
    with pytest.raises(RunbookInvalid) as info:
        load_yaml("""\
            name: x
            steps:
              - use: {runbook: part, wiht: {x: 1}}
              - capture: {text: User, as: user, nht: 1}
              - expect: {text: "{{ vars.found }} {{ vars.user }} {{ vars.usr }}"}
            """)
    partial = info.value.partial
    assert partial is not None
    ctx = CheckContext(lookup=lambda name: part if name == "part" else None)
    assert [d.headline() for d in check_runbook(partial, ctx)] == [
        "runbooks/t.yaml:5: steps[2].expect.text: variable 'usr' is used before any step "
        "captures it (`as: usr`) — did you mean 'user'?"
    ]
