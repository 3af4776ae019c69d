"""The pytest plugin as a user meets it: options, skips with reasons, failures like `bot run`."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SMOKE = textwrap.dedent("""
    def test_status(bot_run):
        assert bot_run("status").result.vars["status"]
""")


def test_help_lists_the_plugin_options(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(
        ["*--bot-target*", "*--bot-config*", "*--bot-client*", "*--bot-runbooks*"]
    )


def test_sandbox_without_config_skips_naming_what_is_missing(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BOT_SANDBOX_CONFIG", raising=False)
    pytester.makepyfile(SMOKE)
    result = pytester.runpytest_subprocess("--bot-target", "sandbox", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no sandbox config: pass --bot-config PATH*"])


def test_a_test_of_the_target_alone_is_skipped_too(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bot_target` skips when the sandbox is unusable, as its docs say: a test that reads the
    target's config does not fail on a `None` config."""
    monkeypatch.delenv("BOT_SANDBOX_CONFIG", raising=False)
    pytester.makepyfile("def test_target(bot_target):\n    assert bot_target.config.clients\n")
    result = pytester.runpytest_subprocess("--bot-target", "sandbox", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*no sandbox config: pass --bot-config PATH*"])


def test_sandbox_config_missing_a_secret_skips_naming_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SB_MISSING_PASSWORD", raising=False)
    config = pytester.makefile(
        ".yaml",
        config=textwrap.dedent("""
        clients:
          sandbox:
            settings: {assignar_url: https://a.example.com, assignar_user: me@a.example.com,
                       acumatica_url: https://b.example.com, tenant: T, integration_user: u,
                       acumatica_admin_user: admin}
            secrets:
              integration_password: {ref: "env:SB_MISSING_PASSWORD", origins: [acumatica_url]}
    """),
    )
    pytester.makepyfile(SMOKE)
    result = pytester.runpytest_subprocess(
        "--bot-target", "sandbox", "--bot-config", str(config), "-rs"
    )
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*lacks: secret integration_password (env:SB_MISSING_PASSWORD*"])


@pytest.mark.parametrize(
    ("text", "client", "said"),
    [
        ("clients: [\n", "sandbox", "*config.yaml:*: YAML syntax error*"),
        ("clients:\n  sandbox:\n    settings: {assignar_url: x}\n", "sandbox", "*no valid host*"),
        ("clients:\n  sandbox: {}\n", "sandbx", "*unknown client 'sandbx'*"),
    ],
    ids=["does not parse", "invalid setting", "no such client"],
)
def test_a_wrong_sandbox_config_is_an_error_not_a_quiet_skip(
    pytester: pytest.Pytester, text: str, client: str, said: str
) -> None:
    """Absent or incomplete skips (a fork without the secrets); a config that is there but wrong
    is a mistake, and a nightly job that skipped it would stay green."""
    config = pytester.makefile(".yaml", config=text)
    pytester.makepyfile(SMOKE)
    result = pytester.runpytest_subprocess(
        "--bot-target", "sandbox", "--bot-config", str(config), "--bot-client", client
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*sandbox config is wrong: " + said])
    assert "Traceback" not in result.stdout.str()


def test_the_simulator_target_without_the_sim_extra_names_the_extra(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest("import sys\nsys.modules['flask'] = None  # as without [sim]\n")
    pytester.makepyfile(SMOKE)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*--bot-target sim needs the bundled simulators*"])
    assert "(missing module: flask): pip install 'runbook-bot[sim]'" in result.stdout.str()
    assert "Traceback" not in result.stdout.str()


@pytest.mark.browser
def test_a_broken_runbook_fails_with_its_yaml_step_error_and_run_folder(
    pytester: pytest.Pytester,
) -> None:
    runbooks = pytester.mkdir("myrunbooks")
    (runbooks / "broken.yaml").write_text(
        textwrap.dedent("""
        name: broken
        steps:
          - goto: "{{ client.assignar_url }}/"
          - label: Press a button that is not there
            click: Reauthorise now
            timeout: 1s
        requires: [assignar_url]
    """),
        encoding="utf-8",
    )
    pytester.makepyfile(
        textwrap.dedent("""
        def test_broken(bot_run):
            bot_run("broken")
    """)
    )
    junit = Path(pytester.path) / "junit.xml"
    result = pytester.runpytest_subprocess("--bot-runbooks", str(runbooks), f"--junitxml={junit}")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*FAILED at *broken.yaml:5 (Press a button that is not there): no visible element "
            'matches "Reauthorise now" (waited 1s)*',
            "*click: Reauthorise now*",
            "*report: *-broken-*report.html",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    properties = {p.get("name"): p.get("value") for p in ET.parse(junit).iter("property")}
    assert Path(str(properties["bot_run_folder"])).is_dir()
    # the hints name commands that work as typed from the test project (whose own folder has
    # no config of the session's runs): `bot runs show ID` there would find no such run
    hint = re.search(r"\((bot [^()]*runs show \w+)\)", result.stdout.str())
    assert hint is not None, result.stdout.str()
    words = shlex.split(hint.group(1))
    shown = subprocess.run(
        [str(Path(sys.executable).with_name("bot")), *words[1:]],
        cwd=pytester.path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "broken for sandbox" in shown.stdout


@pytest.mark.browser
def test_passing_run_records_its_folder_in_junit(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(SMOKE)
    junit = Path(pytester.path) / "junit.xml"
    result = pytester.runpytest_subprocess(f"--junitxml={junit}")
    result.assert_outcomes(passed=1)
    properties = {p.get("name"): p.get("value") for p in ET.parse(junit).iter("property")}
    assert "-status-" in str(properties["bot_run_folder"])


@pytest.mark.browser
def test_a_sandbox_config_s_demo_client_runs_on_its_simulators(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bot init`'s config names `demo` (`simulators: builtin`): its passwords come from the
    simulators, as for `bot run status --client demo`, so nothing is missing and it runs."""
    from bot import create_working_folder

    for name in ("ASSIGNAR", "INTEGRATION", "ACUMATICA_ADMIN"):
        monkeypatch.delenv(f"DEMO_{name}_PASSWORD", raising=False)
    create_working_folder(Path(pytester.path))
    pytester.makepyfile(SMOKE)
    result = pytester.runpytest_subprocess(
        "--bot-target", "sandbox", "--bot-config", "config.yaml", "--bot-client", "demo", "-rs"
    )
    result.assert_outcomes(passed=1)


@pytest.mark.browser
def test_a_run_that_cannot_start_fails_with_the_bot_s_message_not_a_traceback(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        textwrap.dedent("""
        def test_unknown_runbook(bot_run):
            bot_run("no-such-runbook")

        def test_unknown_param(bot_run):
            bot_run("status", colour="blue")

        def test_broken_yaml(bot_run):
            bot_run("broken")
    """)
    )
    runbooks = pytester.mkdir("myrunbooks")
    (runbooks / "broken.yaml").write_text("name: broken\nsteps:\n  - click: [\n", "utf-8")
    result = pytester.runpytest_subprocess("--bot-runbooks", str(runbooks))
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "*bot_run('no-such-runbook') did not start: *no-such-runbook*",
            "*bot_run('status') did not start: *status.yaml:*unknown param 'colour'*",
        ]
    )
    result.stdout.fnmatch_lines(["*bot_run('broken') did not start: *broken.yaml:4: YAML syntax*"])
    assert "Traceback" not in result.stdout.str()
    assert "During handling" not in result.stdout.str()  # the message once, no chain
    assert "bot/" not in result.stdout.str().replace("bot/runbooks/", "")  # no bot internals


def test_a_runbook_folder_that_does_not_exist_is_a_usage_error(pytester: pytest.Pytester) -> None:
    """A typo in --bot-runbooks would quietly test the built-in runbooks instead of yours."""
    pytester.makepyfile(SMOKE)
    result = pytester.runpytest_subprocess("--bot-runbooks", "runbok")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--bot-runbooks runbok: no such folder*"])


@pytest.mark.browser
def test_the_plugin_s_own_example_runs_as_written(pytester: pytest.Pytester) -> None:
    """The example a user reads in the plugin's docstring (`help(bot.pytest_plugin)`), pasted."""
    import bot.pytest_plugin

    doc = str(bot.pytest_plugin.__doc__)
    example = doc.split("\n\n")[1]
    assert "def test_" in example
    pytester.makepyfile(textwrap.dedent(example))
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


@pytest.mark.browser
def test_expect_says_what_was_expected_and_refuses_a_typo(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        textwrap.dedent("""
        def test_expected_to_fail(bot_run):
            bot_run("status", expect="failed")

        def test_typo(bot_run):
            bot_run("status", expect="pass")
    """)
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*bot_run('status') expected the run to be failed, it passed:*",
            "*bot_run('status', expect='pass'): expect is one of 'passed', 'failed', 'any'*",
        ]
    )
    # The typo started no run: one run id only. (Counting the text would also count pytest's
    # short summary, which quotes the whole message when CI is set.)
    started = set(re.findall(r"Running status for \S+ \(run (\w+)\)", result.stdout.str()))
    assert len(started) == 1, started


@pytest.mark.parametrize(
    "args", [["--bot-config", "sandbox.yaml"], ["--bot-client", "acme"]], ids=["config", "client"]
)
def test_sandbox_options_without_the_sandbox_target_are_a_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """Without --bot-target the session runs on the simulators: a --bot-config given there
    would be ignored and the smoke tests pass without ever touching the sandbox meant."""
    monkeypatch.delenv("BOT_SANDBOX_CONFIG", raising=False)
    pytester.makepyfile(SMOKE)
    result = pytester.runpytest_subprocess(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{' '.join(args)} names the sandbox*--bot-target sandbox*"])


def test_the_sandbox_config_variable_alone_leaves_the_simulators_the_default(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BOT_SANDBOX_CONFIG set for a whole CI job is only the default of --bot-config."""
    monkeypatch.setenv("BOT_SANDBOX_CONFIG", "sandbox.yaml")
    pytester.makepyfile("def test_nothing():\n    pass\n")
    pytester.runpytest_subprocess().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["-p", "no:playwright"], {}),
        (["-p", "runbook_bot"], {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}),
    ],
    ids=["-p no:playwright", "autoload off"],
)
def test_without_pytest_playwright_bot_run_says_how_to_load_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, args: list[str], env: dict[str, str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    pytester.makepyfile(SMOKE)
    result = pytester.runpytest_subprocess(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*bot_run runs in pytest-playwright's browser*-p playwright*"])


@pytest.mark.browser
def test_on_the_simulators_a_test_knows_nothing_an_earlier_test_s_run_remembered(
    pytester: pytest.Pytester,
) -> None:
    """The simulators are reset before each test; so is what the bot knows about them: after a
    test that set Sliding Expiration, the next test's status does not claim it is configured."""
    pytester.makepyfile(
        textwrap.dedent("""
        def test_1_sliding(bot_run):
            bot_run("sliding-expiration")

        def test_2_status(bot_run):
            summary = bot_run("status").summary
            assert "Sliding Expiration: configured" not in summary, summary
    """)
    )
    pytester.runpytest_subprocess().assert_outcomes(passed=2)


@pytest.mark.browser
def test_with_pytest_playwright_tracing_junit_names_the_trace_s_folder(
    pytester: pytest.Pytester,
) -> None:
    """The CI example traces with --tracing retain-on-failure: the failing test's JUnit entry
    says where that trace is, as it names the bot's own trace.zip otherwise."""
    pytester.makepyfile(
        textwrap.dedent("""
        def test_fails(bot_run):
            bot_run("status", expect="failed")
    """)
    )
    junit = Path(pytester.path) / "junit.xml"
    output = Path(pytester.path) / "traces"
    result = pytester.runpytest_subprocess(
        "--tracing", "retain-on-failure", "--output", str(output), f"--junitxml={junit}"
    )
    result.assert_outcomes(failed=1)
    properties = {p.get("name"): p.get("value") for p in ET.parse(junit).iter("property")}
    assert "bot_trace_zip" not in properties  # the run folder holds no trace of its own
    assert list(Path(str(properties["bot_trace_folder"])).glob("trace*.zip"))
