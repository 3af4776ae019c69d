"""The bad-input matrix, through the real entry point (`bot.cli.main`, as the `bot` script runs it).

Each case: exit 2, one clear message saying where (file:line where there is a file) and how to fix
it, no browser started (the run would have to pass `bot.app.run._run`, which is booby-trapped
here) and nothing written (the project folder is byte-for-byte what it was: no run folder, no
history database, no lock).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from support.cli import bot_without_browser
from support.project import Project, Result

from bot.evidence import History

PASSWORD = "Bad-Input-Secret-77"
SHIPPED = Path(__file__).resolve().parents[2] / "runbooks"

CONFIG = """\
runbooks: [runbooks]
timeout: 3s
runs: {root: runs, history: .bot/history.sqlite}
clients:
  acme:
    settings:
      site_url: http://127.0.0.1:9
      assignar_url: http://127.0.0.1:9
      assignar_user: admin@acme.example
      acumatica_url: 127.0.0.1:9/AcumaticaERP
      tenant: Acme Live
      integration_user: assignar.integration
      time_zone: Australia/Sydney
      notification_emails: [ops@acme.example]
    secrets:
      pw: {ref: "env:BAD_INPUT_PW", origins: [site_url]}
"""

GOOD_RUNBOOK = """\
name: sign-in
description: Sign in to the site.
params:
  user: {type: string, default: admin, description: who signs in}
requires: [site_url]
steps:
  - goto: "{{ client.site_url }}/login"
  - fill: {Username: "{{ params.user }}"}
  - fill: {label: Password, value: "{{ secret('pw') }}"}
  - click: Sign In
"""


Outcome = Result
Bot = Callable[..., Outcome]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    (tmp_path / "runbooks").mkdir()
    made = Project(tmp_path)
    made.config(CONFIG)
    made.runbook("sign-in", GOOD_RUNBOOK)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BAD_INPUT_PW", PASSWORD)
    monkeypatch.delenv("BOT_CONFIG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return made


@pytest.fixture
def bot(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Bot]:
    """`bot ARGS…` through `bot.cli.main`; asserts no browser started and nothing was written."""
    with bot_without_browser(monkeypatch, capsys) as main:

        def run(*args: str) -> Outcome:
            before = project.files()
            outcome = main(*args)
            assert project.files() == before, "bad input wrote something"
            assert not (project.root / "runs").exists()
            assert not (project.root / ".bot").exists()
            return outcome

        yield run


def assert_bad_input(outcome: Outcome, *fragments: str) -> None:
    """Exit 2, the message on stderr (no traceback), with every fragment in it."""
    assert outcome.code == 2, outcome
    assert "Traceback" not in outcome.err + outcome.out, outcome
    for fragment in fragments:
        assert fragment in outcome.err, f"{fragment!r} not in:\n{outcome.err}"
    assert PASSWORD not in outcome.err + outcome.out


# -- config ---------------------------------------------------------------------------------
def test_config_missing_file(bot: Bot) -> None:
    assert_bad_input(
        bot("--config", "nope.yaml", "run", "sign-in", "--client", "acme"),
        "config file nope.yaml does not exist",
        "run `bot init` to create config.yaml here",
    )


def test_config_yaml_error(bot: Bot, project: Project) -> None:
    project.config(CONFIG.replace("timeout: 3s", "timeout: [3s"))
    # PyYAML notices the unclosed list on the line after it
    assert_bad_input(
        bot("run", "sign-in", "--client", "acme"),
        "config.yaml:3",
        "YAML syntax error",
        "2 | timeout: [3s",
    )


def test_config_unknown_key(bot: Bot, project: Project) -> None:
    project.config(CONFIG.replace("timeout: 3s", "timeoutt: 3s"))
    assert_bad_input(bot("run", "sign-in", "--client", "acme"), "config.yaml:2", "timeout")


def test_config_wrong_type(bot: Bot, project: Project) -> None:
    project.config(CONFIG.replace("timeout: 3s", "timeout: [3, seconds]"))
    assert_bad_input(bot("run", "sign-in", "--client", "acme"), "config.yaml:2", "timeout")


def test_config_unknown_client(bot: Bot) -> None:
    assert_bad_input(
        bot("run", "sign-in", "--client", "acmee"), "unknown client 'acmee'", "did you mean 'acme'"
    )


def test_config_missing_setting(bot: Bot, project: Project) -> None:
    project.config(
        CONFIG.replace("      tenant: Acme Live\n", "").replace(
            "runbooks: [runbooks]", f"runbooks: [runbooks, {SHIPPED}]"
        )
    )
    outcome = bot("run", "reauthorize", "--client", "acme")
    assert_bad_input(
        outcome,
        "reauthorize.yaml:17: requires: the client lacks the setting 'tenant'",
        "add it under the client's `settings:`",
        # and, followed into the runbooks it uses: the secrets this client lacks for them
        "assignar-sign-in.yaml:28",  # the Password fill (after the email-first choice)
        "the client has no secret 'assignar_password'",
        "3 problems found",
    )


def test_config_secret_reference_that_does_not_resolve(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BAD_INPUT_PW")
    assert_bad_input(
        bot("run", "sign-in", "--client", "acme"),
        "config.yaml:16: clients.acme.secrets.pw: client 'acme'",
        "environment variable BAD_INPUT_PW is not set",
        "add it to .env or export it",
    )


def test_config_malformed_instance_url(bot: Bot, project: Project) -> None:
    project.config(
        CONFIG.replace(
            "acumatica_url: 127.0.0.1:9/AcumaticaERP",
            "acumatica_url: acme acumatica com/AcumaticaERP",
        )
    )
    assert_bad_input(
        bot("run", "sign-in", "--client", "acme"),
        "config.yaml:10",
        "acumatica_url",
        "no valid host name (e.g. acme.acumatica.com)",
    )


def test_config_invalid_email(bot: Bot, project: Project) -> None:
    project.config(CONFIG.replace("[ops@acme.example]", "[ops-at-acme.example]"))
    assert_bad_input(
        bot("run", "sign-in", "--client", "acme"),
        "config.yaml:14",
        "notification_emails",
        "not an email address: ops-at-acme.example",
    )


def test_config_unknown_time_zone(bot: Bot, project: Project) -> None:
    project.config(CONFIG.replace("Australia/Sydney", "Australia/Sydnee"))
    assert_bad_input(
        bot("run", "sign-in", "--client", "acme"),
        "config.yaml:13",
        "time_zone",
        "unknown time zone 'Australia/Sydnee'",
        "IANA",
    )


# -- runbooks -------------------------------------------------------------------------------
BROKEN_RUNBOOKS = {
    "yaml-syntax-error": (
        """\
        name: broken
        description: d
        steps:
          - goto: "{{ client.site_url }}/login
          - click: Sign In
        """,
        ["broken.yaml:"],
    ),
    "unknown-action": (
        """\
        name: broken
        description: d
        steps:
          - goto: "{{ client.site_url }}/login"
          - clik: Sign In
        """,
        ["broken.yaml:5", "did you mean 'click'"],
    ),
    "bad-locator": (
        """\
        name: broken
        description: d
        steps:
          - goto: "{{ client.site_url }}/login"
          - click: {role: buton, name: Sign In}
        """,
        ["broken.yaml:5", "buton"],
    ),
    "missing-param": (
        """\
        name: broken
        description: d
        params:
          user: {type: string, required: true, description: who}
        requires: [site_url]
        steps:
          - goto: "{{ client.site_url }}/login"
        """,
        ["broken.yaml:4", "missing param 'user'", "--param user="],
    ),
    "undefined-variable": (
        """\
        name: broken
        description: d
        steps:
          - goto: "{{ client.site_url }}/login"
          - fill: {Username: "{{ vars.who_signs_in }}"}
        """,
        ["broken.yaml:5", "who_signs_in"],
    ),
    "literal-secret": (
        """\
        name: broken
        description: d
        steps:
          - goto: "{{ client.site_url }}/login"
          - fill: {Password: Hunter2-literal}
        """,
        ["broken.yaml:5", "secret("],
    ),
    "secret-in-a-url": (
        """\
        name: broken
        description: d
        steps:
          - goto: "{{ client.site_url }}/login?pw={{ secret('pw') }}"
        """,
        ["broken.yaml:4", "secret"],
    ),
    "secret-in-an-expect": (
        """\
        name: broken
        description: d
        steps:
          - goto: "{{ client.site_url }}/login"
          - expect: "{{ secret('pw') }}"
        """,
        ["broken.yaml:5", "secret"],
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_RUNBOOKS))
def test_runbook_errors(bot: Bot, project: Project, case: str) -> None:
    text, fragments = BROKEN_RUNBOOKS[case]
    project.runbook("broken", text)
    assert_bad_input(bot("run", "broken", "--client", "acme"), *fragments)


# -- CLI ------------------------------------------------------------------------------------
def test_cli_unknown_runbook(bot: Bot) -> None:
    assert_bad_input(bot("run", "sign_in", "--client", "acme"), "sign_in", "sign-in")


def test_cli_unknown_option(bot: Bot) -> None:
    assert_bad_input(bot("run", "sign-in", "--clinet", "acme"), "--clinet", "--client")


def test_cli_bad_param(bot: Bot) -> None:
    assert_bad_input(
        bot("run", "sign-in", "--client", "acme", "--param", "user"), "'user' is not KEY=VALUE"
    )


def test_cli_unknown_param(bot: Bot) -> None:
    assert_bad_input(bot("run", "sign-in", "--client", "acme", "--param", "usr=x"), "usr", "user")


# -- where the run writes: checked before anything starts ----------------------------------
def test_runs_root_that_cannot_be_written(bot: Bot, project: Project) -> None:
    """Before: a traceback (OSError from mkdir), exit 1; with the folder made later, the run
    would have acted on the client without keeping any evidence."""
    project.config(CONFIG.replace("root: runs", "root: config.yaml/runs"))
    assert_bad_input(
        bot("run", "sign-in", "--client", "acme"),
        "runs.root: cannot write run folders in",
        "config.yaml is not a folder",
        "set `runs.root` to another folder",
    )


def test_runs_root_on_a_read_only_file_system(bot: Bot, project: Project) -> None:
    frozen = project.root / "frozen"
    frozen.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(frozen)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        if os.geteuid() == 0:
            pytest.skip("cannot mount a read-only file system here (and root writes anywhere)")
        frozen.chmod(0o500)
    try:
        project.config(CONFIG.replace("root: runs", "root: frozen/runs"))
        outcome = bot("run", "sign-in", "--client", "acme")
    finally:
        if mounted.returncode == 0:
            subprocess.run(["umount", str(frozen)], check=False)
        frozen.chmod(0o700)
    assert_bad_input(outcome, "runs.root: cannot write run folders in", "frozen/runs")


def test_damaged_history(bot: Bot, project: Project) -> None:
    """Before: `sqlite3.DatabaseError: file is not a database`, a traceback, for `bot run` and
    `bot runs` alike."""
    (project.root / "history.sqlite").write_bytes(b"not a database, a damaged copy\n" * 200)
    project.config(CONFIG.replace("history: .bot/history.sqlite", "history: history.sqlite"))
    for args in (("run", "sign-in", "--client", "acme"), ("runs",)):
        assert_bad_input(
            bot(*args),
            "history.sqlite cannot be used (file is not a database)",
            "move it aside (mv ",
        )


def test_history_locked_by_another_program(bot: Bot, project: Project) -> None:
    """Before: the run went ahead, each history write waited 30 s and failed (the listener's
    error swallowed), and the run was lost: no row, while its verdict said `bot runs show ID`."""
    project.config(CONFIG.replace("history: .bot/history.sqlite", "history: history.sqlite"))
    History(project.root / "history.sqlite").close()
    holder = sqlite3.connect(project.root / "history.sqlite", isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        outcome = bot("run", "sign-in", "--client", "acme")
    finally:
        holder.close()
    assert_bad_input(
        outcome,
        "history.sqlite cannot be used (database is locked)",
        "another program holds it",
    )
