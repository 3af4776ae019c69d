"""The `bot` command as a person uses it: help with examples, list, plan, validate, run, exits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import SECRET_VALUE, Bot, Project

EXAMPLE_CONFIG = Path(__file__).parents[2] / "config.example.yaml"  # its `demo` client
COMMANDS = ("run", "plan", "validate", "list", "schema", "doctor")


def test_top_level_help_has_examples(bot: Bot) -> None:
    result = bot("--help")
    assert result.code == 0
    assert "Examples:" in result.out
    assert "bot run reauthorize --client" in result.out
    for command in COMMANDS:
        assert f"\n  {command} " in result.out


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_has_an_example(bot: Bot, command: str) -> None:
    result = bot(command, "--help")
    assert result.code == 0
    assert "Example" in result.out
    assert f"bot {command}" in result.out.split("Example", 1)[1]


def test_list_shows_runbooks_descriptions_and_params(bot: Bot) -> None:
    result = bot("list")
    assert result.code == 0
    assert "sign-in  Sign in to the site as the integration user." in result.out
    assert "--param user=…  (string, required) who signs in" in result.out
    assert "--param remember=…  (boolean, default false)" in result.out


def test_plan_shows_steps_settings_and_masks_secrets(bot: Bot, project: Project) -> None:
    result = bot("plan", "sign-in", "--client", "acme", "-p", "user=integration@acme.test")
    assert result.code == 0, result.err
    assert SECRET_VALUE not in result.out + result.err
    assert "secret pw: •••••• (from env:ACME_TEST_PW)" in result.out
    assert "tenant: Acme Live" in result.out
    assert "param    user = 'integration@acme.test'" in result.out
    assert '- fill label "Password"   (runbooks/sign-in.yaml:9)' in result.out
    assert (
        '- check label "Remember"   [when params.remember]   (runbooks/sign-in.yaml:12)'
        in result.out
    )


SECRET_LINE = '      pw: {ref: "env:ACME_TEST_PW", origins: [site_url]}'


@pytest.mark.parametrize(
    ("secret_line", "message"),
    [
        (
            '      pw: {ref: "env:ACME_NEVER_SET_PW", origins: [site_url]}',
            "secret pw: environment variable ACME_NEVER_SET_PW is not set (add it to .env or "
            "export it)",
        ),
        (
            '      pw: {ref: "env:ACME_TEST_PW", origins: [site_ur]}',
            "secret pw: origin 'site_ur' is neither a setting holding a URL — did you mean "
            "'site_url'? nor a URL",
        ),
    ],
    ids=["unset", "origin-typo"],
)
def test_plan_reports_a_secret_that_does_not_resolve_as_run_does(
    bot: Bot, project: Project, secret_line: str, message: str
) -> None:
    config = project.root / "config.yaml"
    config.write_text(config.read_text().replace(SECRET_LINE, secret_line), encoding="utf-8")
    for command in ("plan", "run", "validate"):
        result = bot(command, "sign-in", "-c", "acme", "-p", "user=u")
        assert result.code == 2, (command, result)
        assert f"config.yaml:8: clients.acme.secrets.pw: client 'acme': {message}" in result.err
        assert "••••••" not in result.out, result.out  # no secret shown as if it were fine
    assert not (project.root / "runs").exists()


def test_plan_says_the_simulators_supply_the_demo_clients_secrets(bot: Bot) -> None:
    result = bot("--config", str(EXAMPLE_CONFIG), "plan", "reauthorize", "-c", "demo")
    assert result.code == 0, result.err
    assert (
        "secret assignar_password: •••••• (from the built-in simulators, when they start)"
        in result.out
    )
    assert "env:DEMO_" not in result.out


def test_validate_ok(bot: Bot) -> None:
    """The project's runbook and the built-in ones (the project's folder is searched first)."""
    result = bot("validate")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "ok    acumatica-sign-in",
        "ok    acumatica-version",
        "ok    assignar-sign-in",
        "ok    connected-application-refresh-tokens",
        "ok    reauthorize",
        "ok    sign-in",
        "ok    sliding-expiration",
        "ok    status",
    ]


def test_validate_reports_every_broken_file(bot: Bot, project: Project) -> None:
    project.runbook(
        "broken",
        """\
        name: broken
        steps:
          - clik: Save
          - fill: {Password: hunter2}
        """,
    )
    result = bot("validate")
    assert result.code == 2
    assert "FAIL  broken" in result.out
    assert "ok    sign-in" in result.out
    assert (
        "runbooks/broken.yaml:3: steps[0]: unknown action 'clik' — did you mean 'click'?"
        in result.err
    )
    assert "Traceback" not in result.err


# -- broken runbooks: `bot validate FILE` and `bot run` both exit 2, saying where and what -------

BROKEN = {
    "yaml-syntax": (
        """\
        name: broken
        steps:
          - click: Save
           - fill: {Tenant ID: x}
        """,
        "broken.yaml:4: YAML syntax error:",
    ),
    "unknown-action": (
        """\
        name: broken
        steps:
          - clik: Save
        """,
        "broken.yaml:3: steps[0]: unknown action 'clik' — did you mean 'click'?",
    ),
    "two-kinds": (
        """\
        name: broken
        steps:
          - click: {role: button, text: Save}
        """,
        "broken.yaml:3: steps[0].click: a locator needs exactly one of",
    ),
    "name-and-label": (
        """\
        name: broken
        steps:
          - click: {name: Save, label: Save}
        """,
        "broken.yaml:3: steps[0].click: a locator needs exactly one of role, label, text, "
        "placeholder, title, alt, testid, css, any or name (found: label, name)",
    ),
    "undefined-var": (
        """\
        name: broken
        steps:
          - fill: {Tenant ID: "{{ vars.tenant }}"}
        """,
        "broken.yaml:3: steps[0].fill.value: variable 'tenant' is used before any step captures it",
    ),
    "undeclared-param": (
        """\
        name: broken
        steps:
          - fill: {Tenant ID: "{{ params.tenant }}"}
        """,
        "broken.yaml:3: steps[0].fill.value: undefined param 'tenant'",
    ),
    "unknown-name": (
        """\
        name: broken
        steps:
          - fill: {Tenant ID: "{{ tenant }}"}
        """,
        "broken.yaml:3: steps[0].fill.value: undefined name 'tenant'",
    ),
    "literal-secret": (
        """\
        name: broken
        steps:
          - fill: {Password: hunter2}
        """,
        "broken.yaml:3: steps[0].fill.value: literal secret",
    ),
    "secret-in-url": (
        """\
        name: broken
        steps:
          - goto: "http://127.0.0.1/?pw={{ secret('pw') }}"
        """,
        "broken.yaml:3: steps[0].goto.url: a secret may only be the value of a `fill` step",
    ),
    "secret-in-expect": (
        """\
        name: broken
        steps:
          - expect: {text: "{{ secret('pw') }}"}
        """,
        "broken.yaml:3: steps[0].expect.text: a secret may only be the value of a `fill`",
    ),
    "when-syntax": (
        """\
        name: broken
        steps:
          - click: Save
            when: "client.tenant =="
        """,
        "broken.yaml:4: steps[0].when: template error:",
    ),
    "duplicate-key": (
        """\
        name: broken
        steps:
          - fill: {Other: first}
            fill: {Other: second}
        """,
        "broken.yaml:4: the key 'fill' is written twice in one mapping (first on line 3)",
    ),
    "unknown-filter": (
        """\
        name: broken
        steps:
          - fill: {Other: "{{ client.site_url | nosuchfilter }}"}
        requires: [site_url]
        """,
        "broken.yaml:3: steps[0].fill.value: unknown filter 'nosuchfilter'",
    ),
    "filter-argument": (
        """\
        name: broken
        steps:
          - fill: {Other: "{{ client.site_url | version_at_least }}"}
        requires: [site_url]
        """,
        "broken.yaml:3: steps[0].fill.value: the filter 'version_at_least' cannot be called like "
        "this (missing a required argument: 'minimum')",
    ),
    "step-field-inside-the-action": (
        """\
        name: broken
        steps:
          - click: {name: Send, tiemout: 5s}
        """,
        "broken.yaml:3: steps[0].click.tiemout: unknown field 'tiemout' — did you mean "
        "'timeout'? (timeout is a field of the step: write it beside `click:`, not inside it)",
    ),
    "misspelt-step-field": (
        """\
        name: broken
        steps:
          - click: Send
            lable: Send it
        """,
        "broken.yaml:4: steps[0].lable: unknown field 'lable' — did you mean 'label'?",
    ),
    "when-in-braces": (
        """\
        name: broken
        steps:
          - click: Send
            when: "{{ client.tenant == 'x' }}"
        requires: [tenant]
        """,
        "broken.yaml:4: steps[0].when: template error: expected token ':', got '}' — a `when:` "
        "is an expression already: remove the `{{ }}` (`when: client.tenant == 'x'`)",
    ),
    "arguments-of-the-wrong-kind": (
        """\
        name: broken
        steps:
          - fill: [a, b]
          - click: Send
            retry: {count: many}
        """,
        "broken.yaml:3: steps[0].fill: fill cannot take a list: write it like `fill: {Tenant ID:",
    ),
}


def test_validate_reports_each_broken_file_and_exits_2(bot: Bot, project: Project) -> None:
    for case, (text, _) in BROKEN.items():
        project.runbook(case, text.replace("name: broken", f"name: {case}"))
    result = bot("validate")
    assert result.code == 2
    assert "ok    sign-in" in result.out
    for case, (_, expected) in BROKEN.items():
        assert f"FAIL  {case}" in result.out
        assert f"runbooks/{expected.replace('broken.yaml', f'{case}.yaml')}" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("case", BROKEN)
def test_broken_runbook_exits_2_from_validate_file_and_run(
    bot: Bot, project: Project, case: str
) -> None:
    text, expected = BROKEN[case]
    path = project.runbook("broken", text)
    validated = bot("validate", str(path))
    assert validated.code == 2
    assert expected in validated.err
    ran = bot("run", "broken", "--client", "acme")
    assert ran.code == 2
    assert expected in ran.err
    assert "nothing was run." in ran.err
    assert "Traceback" not in ran.err
    assert not (project.root / "runs").exists()  # no browser, no run folder


def test_a_runbook_named_other_than_its_file_exits_2(bot: Bot, project: Project) -> None:
    project.runbook("d03_namemismatch", "name: something-else\nsteps:\n  - click: Save\n")
    expected = (
        "runbooks/d03_namemismatch.yaml:1: name: the name 'something-else' does not match the "
        "file name d03_namemismatch.yaml"
    )
    for result in (bot("validate"), bot("run", "d03_namemismatch", "--client", "acme")):
        assert result.code == 2
        assert expected in result.err
        assert "rename the file to something-else.yaml, or write `name: d03_namemismatch`" in (
            result.err
        )
    assert not (project.root / "runs").exists()


# -- bot run --------------------------------------------------------------------------------------


def test_run_passes_with_exit_0(bot: Bot) -> None:
    result = bot("run", "sign-in", "--client", "acme", "-p", "user=integration@acme.test")
    assert result.code == 0, result.out + result.err
    assert "Running sign-in for acme" in result.out
    assert "PASSED  sign-in" in result.out
    assert 'fill label "Password"' in result.out
    assert SECRET_VALUE not in result.out + result.err


def test_a_run_leaves_its_evidence_and_history_for_the_owner_only(
    bot: Bot, project: Project
) -> None:
    """Evidence holds client data: what Playwright writes too (screenshots, the trace)."""
    args = ("run", "sign-in", "-c", "acme", "-p", "user=u", "--screenshots", "every-step")
    result = bot(*args)
    assert result.code == 0, result.out + result.err
    folder = next((project.root / "runs" / "acme").iterdir())
    written = [folder, *folder.rglob("*"), *(project.root / ".bot").glob("history.sqlite*")]
    assert {"run.log", "trace.zip", "report.html", "history.sqlite"} <= {p.name for p in written}
    assert any(p.suffix == ".png" for p in written)
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in written}
    assert modes == {p.name: oct(0o700 if p.is_dir() else 0o600) for p in written}


def test_run_failure_exits_1_and_shows_the_step(bot: Bot, project: Project) -> None:
    project.runbook(
        "fails",
        """\
        name: fails
        steps:
          - goto: "{{ client.site_url }}/form.html"
          - click: Approve
            timeout: 300ms
        requires: [site_url]
        """,
    )
    result = bot("run", "fails", "--client", "acme")
    assert result.code == 1, result.out + result.err
    assert (
        'FAILED at runbooks/fails.yaml:4 (click "Approve"): no visible element '
        'matches "Approve" (waited 0.3s)'
    ) in result.out
    assert "  the step:\n      - click: Approve\n        timeout: 300ms\n" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "sign-inn", "-c", "acme"), "unknown runbook 'sign-inn' — did you mean 'sign-in'?"),
        (
            ("run", "sign-in", "-c", "acme", "-p", "user"),
            "Invalid value for --param: 'user' is not KEY=VALUE",
        ),
        (
            ("run", "sign-in", "-c", "acm", "-p", "user=u"),
            "unknown client 'acm' — did you mean 'acme'?",
        ),
        (
            ("run", "sign-in", "-c", "acme"),
            "missing param 'user' (who signs in): pass --param user=…",
        ),
        (
            ("run", "sign-in", "-c", "acme", "-p", "user=u", "-p", "remember=perhaps"),
            "param remember: 'perhaps' is not true/false",
        ),
        (
            ("plan", "sign-in", "-c", "acme", "-p", "usr=u"),
            "unknown param 'usr' — did you mean 'user'?",
        ),
    ],
)
def test_bad_input_exits_2_and_says_what_to_type(
    bot: Bot, project: Project, args: tuple[str, ...], message: str
) -> None:
    result = bot(*args)
    assert result.code == 2, result.out + result.err
    assert message in result.err
    assert "Traceback" not in result.err
    assert not (project.root / "runs").exists()


@pytest.mark.parametrize("command", ["run", "plan", "validate"])
def test_a_secret_exported_empty_is_said_to_be_empty(bot: Bot, command: str) -> None:
    result = bot(command, "sign-in", "-c", "acme", "-p", "user=u", env={"ACME_TEST_PW": ""})
    assert result.code == 2, result
    assert (
        "secret pw: environment variable ACME_TEST_PW is exported but empty (an exported "
        "variable wins over .env): export it with the secret's value, or unset it "
        "(`unset ACME_TEST_PW`) to use .env"
    ) in result.err
    assert "is not set" not in result.err


def test_a_secret_empty_in_dotenv_names_its_line(bot: Bot, project: Project) -> None:
    """What copying .env.example gives: the name is there, with no value."""
    config = project.root / "config.yaml"
    config.write_text(config.read_text().replace("ACME_TEST_PW", "ACME_DOTENV_PW"), "utf-8")
    (project.root / ".env").write_text("# passwords\nOTHER=1\n\nACME_DOTENV_PW=\n", "utf-8")
    result = bot("run", "sign-in", "-c", "acme", "-p", "user=u")
    assert result.code == 2, result
    assert (
        "secret pw: environment variable ACME_DOTENV_PW is set but empty in .env:4: write the "
        "secret's value after `ACME_DOTENV_PW=` there"
    ) in result.err


def test_run_json_emits_one_json_object_per_line(bot: Bot) -> None:
    result = bot("run", "sign-in", "-c", "acme", "-p", "user=integration@acme.test", "--json")
    assert result.code == 0, result.err
    records = [json.loads(line) for line in result.out.splitlines()]
    kinds = [record["event"] for record in records]
    assert kinds[0] == "RunStarted"
    assert kinds[-1] == "RunFinished"
    assert set(kinds[1:-1]) == {"StepEvent"}
    statuses = [(r["path"], r["status"]) for r in records if r["event"] == "StepEvent"]
    assert statuses[:2] == [("steps[0]", "started"), ("steps[0]", "passed")]
    assert ("steps[5]", "skipped") in statuses
    assert records[-1]["verdict"] == "passed"
    assert records[0]["params"] == {"user": "integration@acme.test", "remember": False}
    assert SECRET_VALUE not in result.out


def test_run_json_failure_still_exits_1(bot: Bot, project: Project) -> None:
    project.runbook("stops", "name: stops\nsteps:\n  - fail: stop here\n")
    result = bot("run", "stops", "-c", "acme", "--json")
    assert result.code == 1
    finished = json.loads(result.out.splitlines()[-1])
    assert (finished["event"], finished["verdict"], finished["message"]) == (
        "RunFinished",
        "failed",
        "stop here",
    )


def test_a_runbook_saved_as_yml_is_named_not_skipped(bot: Bot, project: Project) -> None:
    """`runbooks/check.yml` is never found by `bot run check` or `use: check`: `bot validate`
    says so (not "ok", not silence) and `bot run` says which file to rename."""
    (project.root / "runbooks" / "check.yml").write_text(
        "name: check\nsteps:\n  - click: Save\n", encoding="utf-8"
    )
    fix = "rename it to check.yaml"

    everything = bot("validate")
    assert everything.code == 2, everything.out + everything.err
    assert "FAIL  runbooks/check.yml" in everything.out
    assert "runbooks/check.yml:1: the file is named check.yml, but runbooks are found as " in (
        everything.err
    )
    assert fix in everything.err

    one = bot("validate", "runbooks/check.yml")
    assert one.code == 2
    assert fix in one.err

    ran = bot("run", "check", "--client", "acme")
    assert ran.code == 2
    assert "unknown runbook 'check': runbooks/check.yml is not read" in ran.err
    assert "rename it to runbooks/check.yaml" in ran.err
    assert not (project.root / "runs").exists()
