"""`bot validate --client X` (and `--all-clients`) sees what only a run used to see: a misspelt
setting, a setting the runbook does not `require`, a param default of the wrong type, a param a
`use`d runbook does not take; each at the offending key's own line, exit 2, no browser."""

from __future__ import annotations

import pytest
from cli_helpers import Bot, Project

CASES = {
    "misspelt-setting": (
        """\
        name: misspelt-setting
        requires: [site_url, tenant]
        steps:
          - goto: "{{ client.site_url }}/form.html"
          - fill:
              label: Tenant ID
              value: "{{ client.tenat }}"
        """,
        "runbooks/misspelt-setting.yaml:7: steps[1].fill.value: the client has no setting "
        "'tenat' — did you mean 'tenant'?",
    ),
    "not-required": (
        """\
        name: not-required
        requires: [site_url]
        steps:
          - goto: "{{ client.site_url }}/form.html"
          - fill: {Tenant ID: "{{ client.tenant }}"}
        """,
        "runbooks/not-required.yaml:5: steps[1].fill.value: client.tenant is used but "
        "`requires:` does not list it: add it to `requires:`",
    ),
    "typed-default": (
        """\
        name: typed-default
        params:
          attempts:
            type: integer
            default: abc
        requires: [site_url]
        steps:
          - goto: "{{ client.site_url }}/form.html?n={{ params.attempts }}"
        """,
        "runbooks/typed-default.yaml:5: params.attempts.default: the default 'abc' is not an "
        "integer: give a default of the param's type",
    ),
    "bad-use-param": (
        """\
        name: bad-use-param
        steps:
          - use:
              runbook: sign-in
              with:
                user: someone
                remmeber: true
        """,
        "runbooks/bad-use-param.yaml:7: steps[0].use.with.remmeber: 'sign-in' has no param "
        "'remmeber' — did you mean 'remember'?",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_validate_for_a_client_exits_2_at_the_offending_line(
    bot: Bot, project: Project, case: str
) -> None:
    text, expected = CASES[case]
    project.runbook(case, text)

    result = bot("validate", case, "--client", "acme")

    assert result.code == 2, result.out + result.err
    assert f"FAIL  {case}" in result.out
    assert expected in result.err
    assert "Traceback" not in result.err


def test_all_clients_checks_each_client_and_names_it(bot: Bot, project: Project) -> None:
    project.config(
        project.root.joinpath("config.yaml").read_text(encoding="utf-8")
        + "  beta:\n    settings:\n      site_url: http://127.0.0.1:9\n"
    )
    project.runbook(
        "needs-tenant",
        """\
        name: needs-tenant
        requires: [site_url, tenant]
        steps:
          - goto: "{{ client.site_url }}/form.html"
          - fill: {Tenant ID: "{{ client.tenant }}"}
        """,
    )

    result = bot("validate", "needs-tenant", "--all-clients")

    assert result.code == 2
    assert result.out.splitlines() == [
        "ok    needs-tenant  for acme",
        "FAIL  needs-tenant  for beta",
    ]
    assert (
        "for client beta:\nrunbooks/needs-tenant.yaml:2: requires: the client lacks the setting "
        "'tenant'"
    ) in result.err


def test_all_clients_says_each_problem_of_a_client_once_with_its_runbooks(
    bot: Bot, project: Project
) -> None:
    project.config(
        project.root.joinpath("config.yaml").read_text(encoding="utf-8")
        + "  beta:\n    settings:\n      site_url: http://127.0.0.1:9\n"
        + '    secrets:\n      pw: {ref: "env:BETA_UNSET_PW", origins: [site_url]}\n'
    )
    for name in ("open", "look"):
        project.runbook(
            name,
            f"""\
            name: {name}
            requires: [site_url]
            steps:
              - goto: "{{{{ client.site_url }}}}/form.html"
            """,
        )

    result = bot("validate", "open", "look", "--all-clients")

    assert result.code == 2
    assert result.out.splitlines() == [
        "ok    open  for acme",
        "ok    look  for acme",
        "FAIL  open  for beta",
        "FAIL  look  for beta",
    ]
    assert result.err.count("environment variable BETA_UNSET_PW is not set") == 1, result.err
    assert "(for 2 runbooks: open, look)" in result.err
    assert "1 problem found; nothing was run." in result.err


def test_client_and_all_clients_together_is_a_usage_error(bot: Bot) -> None:
    result = bot("validate", "--client", "acme", "--all-clients")
    assert result.code == 2
    assert "give --client NAME or --all-clients, not both" in result.err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: x\nsteps:\n  - click: Save\n   - fill: {Tenant ID: x}\n",
            "x.yaml:4: YAML syntax error: line 4 is indented by 3 spaces, which lines up with "
            "nothing above it: YAML reads nesting from indentation — indent it by 2 spaces or 4 "
            "spaces (like line 3) (",
        ),
        (
            "name: x\nsteps:\n\t- click: Save\n",
            "x.yaml:3: YAML syntax error: a tab in the indentation: YAML indents with spaces only",
        ),
        (
            "name: x\nsteps\n  - click: Save\n",
            "x.yaml:2: YAML syntax error: line 2 has no colon after its key: write `key: value`",
        ),
        (
            "name: x\nsteps:\n  - expect: Status: Connected\n",
            "x.yaml:3: YAML syntax error: the value of `expect` holds ': ', which YAML reads as "
            'another key: put the value in quotes (`expect: "…"`)',
        ),
        (
            "name: x\nsteps:\n  - goto: {{ client.site_url }}\n",
            "x.yaml:3: YAML syntax error: a template must be in quotes, else YAML reads `{` as a "
            'mapping: write `goto: "{{ client.site_url }}"`',
        ),
        (
            "name: x\nsteps:\n  - goto: {{ client.site_url }}/\n",
            "x.yaml:3: YAML syntax error: a template must be in quotes, else YAML reads `{` as a "
            'mapping: write `goto: "{{ client.site_url }}/"`',
        ),
        (
            "name: x\nsteps:\n  - expect: *Required fields\n",
            "x.yaml:3: YAML syntax error: `*Required` reads as a YAML alias of an anchor "
            "`&Required` that is not defined above: a value starting with `*` must be in quotes",
        ),
    ],
    ids=[
        "indentation",
        "tab",
        "missing-colon",
        "colon-in-value",
        "unquoted-template",
        "unquoted-template-then-text",
        "star-read-as-an-alias",
    ],
)
def test_yaml_syntax_errors_say_the_likely_fix(
    bot: Bot, project: Project, text: str, expected: str
) -> None:
    path = project.root / "runbooks" / "x.yaml"
    path.write_text(text, encoding="utf-8")

    result = bot("validate", str(path))

    assert result.code == 2
    assert expected in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("given", ["nope.yaml", "runbooks/sign-inn.yaml", "elsewhere/nope"])
def test_a_runbook_file_that_is_not_there_is_said_to_be_missing(bot: Bot, given: str) -> None:
    """A path is a file the user meant: "no such file", not "unknown runbook", with the name of
    the runbook perhaps meant."""
    result = bot("validate", given)
    assert result.code == 2
    assert f"no such file: {given} — check the path" in result.err
    if "sign-inn" in given:
        assert "did you mean 'sign-in'?" in result.err


def test_all_clients_checks_a_part_used_with_params_without_them(bot: Bot) -> None:
    """`sign-in` needs `--param user=…` to run by itself; among every runbook it is checked for
    each client all the same (other runbooks `use` it with their params)."""
    named = bot("validate", "sign-in", "--client", "acme")
    assert named.code == 2
    assert "missing param 'user'" in named.err

    every = bot("validate", "--all-clients")
    assert "ok    sign-in  for acme" in every.out.splitlines()
    assert "FAIL  reauthorize  for acme" in every.out.splitlines()  # acme lacks its settings
    assert "the client lacks the settings: assignar_url" in every.err


def test_all_clients_fails_a_part_for_a_client_whose_secret_is_missing(bot: Bot) -> None:
    """A part is checked without its params, but not without the client's secrets: `bot run`
    refuses any runbook of a client whose secret does not resolve, so `validate` says so too."""
    every = bot("validate", "--all-clients", env={"ACME_TEST_PW": ""})

    assert every.code == 2
    assert "FAIL  sign-in  for acme" in every.out.splitlines()
    assert "ACME_TEST_PW" in every.err
    assert "sign-in" in every.err.split("ACME_TEST_PW", 1)[1]  # the part among its runbooks


MANY_MISTAKES = """\
    name: many-mistakes
    requires: [site_url]
    params:
      force: {type: boolen}
    steps:
      - goto: "{{ client.site_url }}/form.html"
        tiemout: 5s
      - fill: {Tenant ID: "{{ client.tenat }}"}
      - capture: {label: Tenant ID, get: value, as: tenant, nht: 1}
      - clik: Save
      - fill: {Tenant ID: "{{ vars.tenant }}"}
        when: "parms.force"
      - use: {runbook: sign-in, with: {user: someone, remmeber: true}}
    """


def test_every_mistake_of_a_file_is_reported_at_once(bot: Bot, project: Project) -> None:
    """Mistakes of the fields (a misspelt key, an unknown action) do not hide those found by the
    checks of the whole runbook (a misspelt setting, an undefined name, a `use` param): each is
    reported at its own line, in line order, by `bot validate` and by `bot run`, and nothing
    runs. A variable the broken step would have captured is not blamed on its later use."""
    project.runbook("many-mistakes", MANY_MISTAKES)
    expected = [
        "runbooks/many-mistakes.yaml:4: params.force.type: type must be one of string, integer, "
        "number, boolean, list — did you mean 'boolean'?",
        "runbooks/many-mistakes.yaml:7: steps[0].tiemout: unknown field 'tiemout' — did you "
        "mean 'timeout'?",
        "runbooks/many-mistakes.yaml:8: steps[1].fill.value: the client has no setting 'tenat' "
        "— did you mean 'tenant'?",
        "runbooks/many-mistakes.yaml:9: steps[2].capture.nht: unknown field 'nht' — did you "
        "mean 'nth'?",
        "runbooks/many-mistakes.yaml:10: steps[3]: unknown action 'clik' — did you mean 'click'?",
        "runbooks/many-mistakes.yaml:12: steps[4].when: undefined name 'parms'",
        "runbooks/many-mistakes.yaml:13: steps[5].use.with.remmeber: 'sign-in' has no param "
        "'remmeber' — did you mean 'remember'?",
    ]
    for command in (("validate", "many-mistakes"), ("run", "many-mistakes")):
        result = bot(*command, "--client", "acme")

        assert result.code == 2, result.out + result.err
        found = [line for line in result.err.splitlines() if line.startswith("runbooks/")]
        assert len(found) == len(expected), result.err
        for line, start in zip(found, expected, strict=True):
            assert line.startswith(start), (line, start)
        assert "used before any step captures it" not in result.err
        assert f"{len(expected)} problems found; nothing was run." in result.err
        assert "Traceback" not in result.err
    assert not (project.root / "runs").exists()  # no browser, no run folder


def test_a_broken_file_s_own_cycle_and_branches_are_reported_too(
    bot: Bot, project: Project
) -> None:
    project.runbook(
        "loops",
        """\
        name: loops
        steps:
          - click: {any: []}
          - choose:
              any: {consent: {text: Allow}}
              then:
                consnet: [click: Allow]
          - use: loops
        """,
    )

    result = bot("validate", "loops")

    assert result.code == 2, result.out + result.err
    assert "runbooks/loops.yaml:3: steps[0].click.any: `any:` needs at least one alternative" in (
        result.err
    )
    assert "runbooks/loops.yaml:7: steps[1].choose.then.consnet: no alternative is named" in (
        result.err
    )
    assert "runbooks/loops.yaml:8: steps[2].use.runbook: `use` cycle: loops → loops" in result.err
    assert "3 problems found; nothing was run." in result.err


def test_a_broken_runbook_it_uses_hides_none_of_the_caller_s_problems(
    bot: Bot, project: Project
) -> None:
    project.runbook(
        "broken-part",
        """\
        name: broken-part
        steps:
          - clik: Save
          - capture: {text: Tenant, as: found}
        """,
    )
    project.runbook(
        "caller",
        """\
        name: caller
        steps:
          - use: broken-part
          - expect: {text: "{{ vars.fonud }}"}
        """,
    )

    result = bot("validate", "caller")

    assert result.code == 2, result.out + result.err
    assert "runbooks/broken-part.yaml:3: steps[0]: unknown action 'clik'" in result.err
    assert (
        "runbooks/caller.yaml:4: steps[1].expect.text: variable 'fonud' is used before any step "
        "captures it (`as: fonud`) — did you mean 'found'?"
    ) in result.err
    assert "2 problems found; nothing was run." in result.err
