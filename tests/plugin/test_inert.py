"""Installing runbook-bot[pytest] changes nothing for a project that does not use it: its
pytest-playwright tests launch the browser exactly as pytest-playwright alone would. Only a
session that asks for the bot (`--bot-target`, a bot fixture, `-p bot.pytest_plugin.launch`)
gets the bot's Chromium choice."""

from __future__ import annotations

import json
import re
import textwrap

import pytest

UNRELATED = textwrap.dedent("""
    import json

    def test_launch_arguments(browser_type_launch_args):
        print("LAUNCH " + json.dumps(browser_type_launch_args, sort_keys=True))
""")
USES_THE_BOT = textwrap.dedent("""
    def test_the_target(bot_target):
        assert bot_target.client == "sandbox"
""")
BOT_FLAG = "--disable-background-networking"  # one of the bot's quiet Chromium flags


def launch_arguments(result: pytest.RunResult) -> dict[str, object]:
    """What the session's pytest-playwright `browser` fixture would launch with."""
    assert result.ret == 0, result.stdout.str()
    found = re.findall(r"LAUNCH (\{.*\})", result.stdout.str())
    assert len(found) == 1, result.stdout.str()
    arguments: dict[str, object] = json.loads(found[0])
    return arguments


def test_an_unrelated_project_gets_pytest_playwright_s_own_launch(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_unrelated=UNRELATED)
    alone = launch_arguments(pytester.runpytest_subprocess("-s", "-p", "no:runbook_bot"))
    installed = launch_arguments(pytester.runpytest_subprocess("-s"))
    headed = launch_arguments(pytester.runpytest_subprocess("-s", "--headed"))
    assert installed == alone
    assert "executable_path" not in installed
    assert headed["headless"] is False  # pytest-playwright's own options still decide
    assert BOT_FLAG not in json.dumps(headed)


@pytest.mark.parametrize(
    ("files", "args"),
    [
        ({"test_unrelated": UNRELATED}, ["--bot-target", "sandbox"]),
        ({"test_unrelated": UNRELATED}, ["-p", "bot.pytest_plugin.launch"]),
        ({"test_unrelated": UNRELATED, "test_bot": USES_THE_BOT}, []),
    ],
    ids=["--bot-target", "-p launch", "a bot fixture"],
)
def test_a_session_that_asks_for_the_bot_gets_its_browser(
    pytester: pytest.Pytester, files: dict[str, str], args: list[str]
) -> None:
    """The control: the same observation does see the bot's launch when a session asks."""
    pytester.makepyfile(**files)
    seen = launch_arguments(pytester.runpytest_subprocess("-s", *args))
    assert BOT_FLAG in seen["args"]  # type: ignore[operator]


def test_the_plugin_does_not_import_the_bot_for_an_unrelated_session(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        textwrap.dedent("""
        import sys

        def pytest_sessionfinish(session):
            loaded = sorted(m for m in ("bot.app", "bot.steps", "playwright.sync_api")
                            if m in sys.modules)
            print("LOADED", loaded)
    """)
    )
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("-s", "-p", "no:playwright")
    result.stdout.fnmatch_lines(["*LOADED []*"])


def test_other_browsers_launch_as_pytest_playwright_launches_them(
    pytester: pytest.Pytester,
) -> None:
    """`--browser firefox` beside the bot: Firefox gets no Chromium executable or flags; the
    session's Chromium still gets the bot's choice."""
    pytester.makepyfile(
        textwrap.dedent("""
        import json

        def test_launch_arguments(browser_name, browser_type_launch_args):
            print(f"LAUNCH {browser_name} " + json.dumps(browser_type_launch_args))
    """)
    )
    result = pytester.runpytest_subprocess(
        "-s", "-p", "bot.pytest_plugin.launch", "--browser", "chromium", "--browser", "firefox"
    )
    assert result.ret == 0, result.stdout.str()
    seen = dict(re.findall(r"LAUNCH (\w+) (\{.*\})", result.stdout.str()))
    assert BOT_FLAG in seen["chromium"]
    assert BOT_FLAG not in seen["firefox"]
    assert "executable_path" not in json.loads(seen["firefox"])


@pytest.mark.browser
def test_a_channel_chosen_in_the_project_s_own_override_is_the_one_launched(
    pytester: pytest.Pytester,
) -> None:
    """pytest-playwright's way to pick a browser is a `browser_type_launch_args` override in a
    conftest.py; it wraps the bot's, and its `channel` must not lose to the bot's executable."""
    pytester.makeconftest(
        textwrap.dedent("""
        import pytest

        @pytest.fixture(scope="session")
        def browser_type_launch_args(browser_type_launch_args):
            return {**browser_type_launch_args, "channel": "msedge-canary"}
    """)
    )
    pytester.makepyfile(USES_THE_BOT + "\n\ndef test_page(bot_target, page):\n    pass\n")
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, errors=1)  # this machine has no Edge Canary: it was asked
    assert "msedge-canary" in result.stdout.str()
