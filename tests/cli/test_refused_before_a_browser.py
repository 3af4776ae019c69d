"""What a new user gets wrong on the command line is refused before a browser starts: exit 2, the
runbook's file:line, what to type instead, and nothing written."""

from __future__ import annotations

import re
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest
from cli_helpers import Bot, Project, run_bot
from filelock import FileLock

from bot import History
from bot.app.catalog import Catalog, builtin_runbooks
from bot.steps import BUILTIN

UNDECLARED = """\
    name: undeclared
    steps:
      - goto: "https://example.com/"
      - fill: {Tenant ID: "{{ client.name }}"}
    """

NO_CLIENT = """\
    name: no-client
    steps:
      - goto: "https://example.com/{{ 'x' }}"
    """

BOUNDED = """\
    name: bounded
    params:
      lifetime: {type: integer, default: 15, minimum: 1, maximum: 60, description: days (1–60)}
    requires: [site_url]
    steps:
      - goto: "{{ client.site_url }}/form.html?days={{ params.lifetime }}"
    """
AT_LIFETIME = "runbooks/bounded.yaml:3: param lifetime:"


@pytest.mark.parametrize("command", ["run", "plan"])
def test_a_runbook_that_requires_settings_needs_a_client(
    bot: Bot, project: Project, command: str
) -> None:
    before = project.files()
    result = bot(command, "sign-in", "-p", "user=u")
    assert result.code == 2, result.out + result.err
    assert (
        "runbooks/sign-in.yaml:14: sign-in needs a client (it uses the setting site_url): "
        "add --client NAME (clients: acme)" in result.err
    )
    assert "Traceback" not in result.err
    assert project.files() == before  # no run folder, no history row


def test_step_through_without_a_terminal_is_refused(project: Project) -> None:
    """`--step` asks for Enter before each step: with no terminal to answer, each prompt read
    end-of-file at once and the run went on unasked, its prompts jumbled into the step lines."""
    before = project.files()
    result = run_bot(
        project.root, "run", "sign-in", "-c", "acme", "-p", "user=u", "--step",
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.code == 2, result.out + result.err
    assert "--step waits for Enter before each step and needs a terminal" in result.err
    assert "next:" not in result.out
    assert project.files() == before  # no run folder, no history row


def test_a_client_setting_used_without_requires_also_needs_a_client(
    bot: Bot, project: Project
) -> None:
    project.runbook("undeclared", UNDECLARED)
    before = project.files()
    result = bot("run", "undeclared")
    assert result.code == 2, result.out + result.err
    assert "runbooks/undeclared.yaml:4: undeclared needs a client (it uses the setting name)" in (
        result.err
    )
    assert project.files() == before


def test_validate_and_plan_without_a_client_still_work(bot: Bot, project: Project) -> None:
    project.runbook("no-client", NO_CLIENT)
    assert bot("validate", "sign-in").code == 0
    planned = bot("plan", "no-client")
    assert planned.code == 0, planned.out + planned.err


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "99",
            f"{AT_LIFETIME} 99 is out of range: give a value from 1 to 60",
        ),
        (
            "0",
            f"{AT_LIFETIME} 0 is out of range: give a value from 1 to 60",
        ),
        ("abc", f"{AT_LIFETIME} 'abc' is not a whole number"),
    ],
)
def test_a_param_outside_its_bounds_is_refused_at_its_line(
    bot: Bot, project: Project, value: str, message: str
) -> None:
    project.runbook("bounded", BOUNDED)
    before = project.files()
    result = bot("run", "bounded", "-c", "acme", "-p", f"lifetime={value}")
    assert result.code == 2, result.out + result.err
    assert message in result.err
    assert project.files() == before


def test_bot_list_shows_a_params_bounds(bot: Bot, project: Project) -> None:
    project.runbook("bounded", BOUNDED)
    result = bot("list")
    assert "--param lifetime=…  (integer 1–60, default 15) days (1–60)" in result.out


def test_bot_list_shows_defaults_as_they_are_typed(bot: Bot, project: Project) -> None:
    """`--param strict=false`, not `False`; a param without a default is optional, not `None`."""
    project.runbook(
        "flags",
        """\
        name: flags
        params:
          strict: {type: boolean, default: true}
          who: {type: string, default: null}
        steps:
          - goto: "https://example.com/"
        """,
    )
    lines = bot("list").out.splitlines()
    assert "    --param strict=…  (boolean, default true)" in lines  # no trailing space
    assert "    --param who=…  (string, optional)" in lines


def test_the_shipped_runbooks_declare_the_ranges_their_descriptions_state() -> None:
    catalog = Catalog([builtin_runbooks()], BUILTIN)
    stated = re.compile(r"\((\d+)\s*[–-]\s*(\d+)\)")
    for name in catalog.names():
        for param, spec in catalog.get(name).head.params.items():
            found = stated.search(spec.description or "")
            if found:
                low, high = (float(n) for n in found.groups())
                assert (spec.minimum, spec.maximum) == (low, high), f"{name}: {param}"


DEMO_ONLY = """\
    clients:
      demo:
        simulators: builtin
        settings: {assignar_url: http://127.0.0.1, acumatica_url: http://127.0.0.1}
    """


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("reauthorise",), "unknown runbook 'reauthorise' — did you mean 'reauthorize'?"),
        (("reauthorise", "--due"), "unknown runbook 'reauthorise' — did you mean 'reauthorize'?"),
        (
            ("sliding-expiration", "-p", "sliding_lifetime=99"),
            "sliding-expiration.yaml:9: param sliding_lifetime: 99 is out of range",
        ),
        (("status", "-p", "sliding_lifetim=9"), "unknown param 'sliding_lifetim'"),
        (
            ("reauthorize",),
            "config.yaml: no clients to run: demo runs on the built-in simulators, which `bot "
            "fleet run` leaves out: use `bot run reauthorize --client demo`",
        ),
    ],
)
def test_a_fleet_checks_the_runbook_and_params_before_choosing_clients(
    bot: Bot, project: Project, args: tuple[str, ...], message: str
) -> None:
    project.config(DEMO_ONLY)
    before = project.files()
    result = bot("fleet", "run", *args)
    assert result.code == 2, result.out + result.err
    assert message in result.err
    assert project.files() == before


def test_a_due_fleet_says_which_clients_it_skipped(bot: Bot, project: Project) -> None:
    project.config(DEMO_ONLY)
    result = bot("fleet", "run", "reauthorize", "--due")
    assert result.code == 0, result.out + result.err
    assert (
        "skipped demo: it runs on the built-in simulators, which the fleet leaves out "
        "(`bot run reauthorize --client demo` runs it)" in result.err
    )
    assert result.out.rstrip().endswith("no clients to run")


def test_a_run_refused_because_the_client_is_busy_exits_2(bot: Bot, project: Project) -> None:
    locks = project.root / ".bot" / "locks"
    locks.mkdir(parents=True)
    with FileLock(str(locks / "acme.lock")):  # another run of acme holds it
        result = bot("run", "sign-in", "-c", "acme", "-p", "user=u")
    assert result.code == 2, result.out + result.err
    assert "another run for client 'acme' is in progress; not starting a second one" in result.err
    assert not (project.root / "runs").exists()


def _recorded(project: Project, run_id: str) -> Path:
    """A finished run of acme in the history, with its report."""
    report = project.root / "runs" / "acme" / run_id / "report.html"
    report.parent.mkdir(parents=True)
    report.write_text("<html></html>", encoding="utf-8")
    with closing(History(project.root / ".bot" / "history.sqlite")) as history:
        history.insert(
            "runs",
            {
                "id": run_id,
                "client": "acme",
                "runbook": "sign-in",
                "started_at": time.time(),
                "verdict": "passed",
                "report_path": str(report),
            },
        )
    return report


@pytest.mark.parametrize("command", [("runs", "show"), ("report",), ("trace", "--no-open")])
@pytest.mark.parametrize(
    ("given", "hint"),
    [("deadbeef", " — did you mean '1eadbeef'?"), ("1ead", " — did you mean '1eadbeef'?")],
)
def test_an_unknown_run_id_exits_2_with_the_close_one(
    bot: Bot, project: Project, command: tuple[str, ...], given: str, hint: str
) -> None:
    _recorded(project, "1eadbeef")
    result = bot(*command, given)
    assert result.code == 2, result.out + result.err
    assert f"no run with id '{given}'{hint} (`bot runs` lists them)" in result.err


def test_a_run_id_without_any_history_exits_2(bot: Bot) -> None:
    result = bot("runs", "show", "deadbeef")
    assert result.code == 2, result.out + result.err
    assert "no run with id 'deadbeef': no runs recorded yet" in result.err


def test_report_open_without_a_display_says_so_and_prints_the_path(
    bot: Bot, project: Project
) -> None:
    report = _recorded(project, "1eadbeef")
    result = bot("report", "1eadbeef", "--open", env={"DISPLAY": "", "WAYLAND_DISPLAY": ""})
    assert result.code == 0, result.out + result.err
    assert result.out.strip() == str(report)
    assert result.err.strip() == (
        f"no browser window could be opened here: open {report} in a browser"
    )


@pytest.mark.parametrize(
    ("config", "args", "message"),
    [
        (
            "",
            ("run", "sign-in", "-c", "demo"),
            "config.yaml: unknown client 'demo': the file is empty",
        ),
        (
            "",
            ("fleet", "run", "sign-in", "-p", "user=u"),
            "config.yaml: no clients to run: the file is empty",
        ),
        (
            "clients:\n  acme:\n    secrets: {pw: Hunter2Hunter2xyz}\n",
            ("plan", "sign-in", "-c", "acme"),
            "config.yaml:3: clients.acme.secrets.pw: a secret is never written in the config",
        ),
        (
            "timout: 5s\nclients: {}\n",
            ("run", "sign-in", "-c", "acme"),
            "config.yaml:1: timout: unknown field 'timout' — did you mean 'timeout'?",
        ),
    ],
)
def test_config_mistakes_exit_2_saying_what_to_write(
    bot: Bot, project: Project, config: str, args: tuple[str, ...], message: str
) -> None:
    project.config(config)
    before = project.files()
    result = bot(*args)
    assert result.code == 2, result.out + result.err
    assert message in result.err
    assert "Hunter2Hunter2xyz" not in result.out + result.err
    assert "Traceback" not in result.err
    assert project.files() == before


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("99", "'bounded' param 'lifetime': 99 is out of range: give a value from 1 to 60"),
        ('"0"', "'bounded' param 'lifetime': 0 is out of range: give a value from 1 to 60"),
        ("many", "'bounded' param 'lifetime': 'many' is not an integer"),
    ],
)
def test_a_use_with_a_value_outside_the_params_bounds_is_found_by_validate(
    bot: Bot, project: Project, written: str, message: str
) -> None:
    project.runbook("bounded", BOUNDED)
    project.runbook(
        "caller",
        f"""\
        name: caller
        steps:
          - use:
              runbook: bounded
              with: {{lifetime: {written}}}
        """,
    )
    result = bot("validate", "caller")
    assert result.code == 2, result.out + result.err
    assert f"runbooks/caller.yaml:5: steps[0].use.with.lifetime: {message}" in result.err
