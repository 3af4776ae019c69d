"""pytest plugin (entry point `pytest11`): run runbooks from tests, on simulators or real sandboxes.

    def test_reauthorize(bot_run):
        outcome = bot_run("reauthorize")          # fails the test the way `bot run` reports it
        assert outcome.result.vars["authorized_user"] == "assignar.integration"

Inert unless a session asks for it, like pytest-playwright: installing runbook-bot[pytest] adds
options and fixtures, and changes nothing for tests that use neither. A session that uses
`bot_run`/`bot_target`, passes `--bot-target` or opts in with `-p bot.pytest_plugin.launch` gets
pytest-playwright's browser launched with the bot's Chromium choice (`bot.pytest_plugin.browser`).

`--bot-target sim` (default) starts the bundled simulators once per session and resets them
before each test; `--bot-target sandbox --bot-config PATH [--bot-client NAME]` runs against the
real instances that config describes (tests are skipped, with the reason, when it is incomplete).
Runs use pytest-playwright's `page`, so `--headed`, `--browser-channel`, `--slowmo`, `--tracing`
and `--output` apply; traces pytest-playwright writes are scrubbed like the bot's own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from bot.pytest_plugin.browser import register_browser_choice

if TYPE_CHECKING:  # the bot itself is imported when a fixture runs, not in every pytest session
    from bot.pytest_plugin.target import Target

__all__ = ["Target"]
EXPECTABLE = ("passed", "failed", "any")  # bot_run(expect=…): a verdict, or any to decide yourself
USED = pytest.StashKey[bool]()  # a bot run happened in this session: its output gets scrubbed
BOT_TEST_FOLDERS = pytest.StashKey[list[Path]]()  # pytest-playwright's folders of the bot's tests


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("runbook-bot", "runbook-bot smoke tests")
    group.addoption(
        "--bot-target",
        choices=("sim", "sandbox"),
        default=None,
        help="where runbooks run: the bundled simulators (default) or real sandboxes",
    )
    group.addoption(
        "--bot-config",
        metavar="PATH",
        default=os.environ.get("BOT_SANDBOX_CONFIG"),
        help="with --bot-target sandbox: the sandbox config (env BOT_SANDBOX_CONFIG)",
    )
    group.addoption(
        "--bot-client",
        metavar="NAME",
        default="sandbox",
        help="with --bot-target sandbox: the client of its config (default: sandbox)",
    )
    group.addoption(
        "--bot-runbooks",
        metavar="DIR",
        action="append",
        default=[],
        help="also look for runbooks here (before the config's folders)",
    )


def pytest_configure(config: pytest.Config) -> None:
    register_browser_choice(config)  # inert until a session asks for the bot
    absent = [f for f in config.getoption("--bot-runbooks", default=[]) if not Path(f).is_dir()]
    if absent:  # a typo would otherwise test the built-in runbooks in place of yours
        raise pytest.UsageError(f"--bot-runbooks {absent[0]}: no such folder")
    sandbox_only = sandbox_options_without_target(config)
    if sandbox_only:  # the session would quietly run on the simulators, not the sandbox meant
        raise pytest.UsageError(
            f"{sandbox_only} names the sandbox, which only --bot-target sandbox uses: add "
            "--bot-target sandbox (or --bot-target sim to run on the simulators anyway)"
        )


def sandbox_options_without_target(config: pytest.Config) -> str | None:
    """`--bot-config`/`--bot-client` given on the command line with no `--bot-target`."""
    if config.getoption("--bot-target", default=None) is not None:
        return None
    given = config.getoption("--bot-config", default=None)
    if given and given != os.environ.get("BOT_SANDBOX_CONFIG"):  # not just the variable's
        return f"--bot-config {given}"
    client = config.getoption("--bot-client", default="sandbox")
    return f"--bot-client {client}" if client != "sandbox" else None


@pytest.fixture(scope="session")
def bot_target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    """Where this session's runbooks run; skips (with the missing settings named) when unusable."""
    from bot import BotError, require_simulators
    from bot.pytest_plugin.target import sandbox_target, simulator_target

    request.config.stash[USED] = True
    option = request.config.getoption
    extra = [str(Path(folder).resolve()) for folder in option("--bot-runbooks")]
    if option("--bot-target") == "sandbox":
        target = sandbox_target(option("--bot-config"), option("--bot-client"))
        if target.error:
            pytest.fail(target.error, pytrace=False)
        if target.skip_reason:  # every test that uses the target, `bot_run` or not
            pytest.skip(target.skip_reason)
        yield target.with_runbooks(extra)
        return
    missing = None
    try:
        require_simulators("--bot-target sim")
    except BotError as exc:  # runbook-bot installed without [sim]: say which extra
        missing = exc.message
    if missing:
        pytest.fail(missing, pytrace=False)
    with simulator_target(tmp_path_factory.mktemp("bot-sim")) as target:
        yield target.with_runbooks(extra)


@pytest.fixture
def bot_run(
    bot_target: Target, new_context: Callable[..., Any], request: pytest.FixtureRequest
) -> Callable[..., Any]:
    """`bot_run(runbook, **params)`: run it for the target's client, each run in a fresh
    pytest-playwright context (so its options — tracing, video, headed — apply)."""
    if bot_target.skip_reason:
        pytest.skip(bot_target.skip_reason)
    bot_target.reset()

    def run(runbook: str, *, expect: str = "passed", **params: Any) -> Any:
        from bot import BotError, RunInterrupted

        if expect not in EXPECTABLE:  # a typo would fail every run with a puzzling PASSED
            pytest.fail(
                f"bot_run({runbook!r}, expect={expect!r}): expect is one of "
                f"{', '.join(map(repr, EXPECTABLE))}",
                pytrace=False,
            )

        refused = None
        try:
            outcome = bot_target.run(runbook, params, new_context().new_page())
        except RunInterrupted:
            raise
        except BotError as exc:  # bad input, a busy client: said as `bot run` says it
            refused = exc.message
        if refused is not None:  # failed outside the `except`, so no chained exception shows
            pytest.fail(f"bot_run({runbook!r}) did not start: {refused}", pytrace=False)
        # user_properties reach JUnit XML in every junit_family (record_property warns on xunit2)
        properties = request.node.user_properties
        properties.append(("bot_run_folder", str(outcome.folder)))
        for name in ("trace.zip", "report.html"):
            if (outcome.folder / name).exists():
                properties.append((f"bot_{name.replace('.', '_')}", str(outcome.folder / name)))
        if request.config.getoption("--tracing", default="off") != "off":
            # the run's trace is pytest-playwright's: in this test's folder of its --output
            folder = str(Path(str(request.getfixturevalue("output_path"))).resolve())
            if ("bot_trace_folder", folder) not in properties:
                properties.append(("bot_trace_folder", folder))
        verdict = outcome.result.verdict
        if expect != "any" and verdict != expect:
            said = bot_target.explain(outcome)
            if verdict != "failed" or expect != "passed":  # say why a PASSED fails the test
                said = (
                    f"bot_run({runbook!r}) expected the run to be {expect}, it {verdict}:\n{said}"
                )
            pytest.fail(said, pytrace=False)
        return outcome

    return run


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Scrub what pytest-playwright wrote (traces, screenshots) with every secret the runs knew."""
    if not session.config.stash.get(USED, False):
        return  # no bot in this session: nothing of ours to scrub
    from bot.pytest_plugin.target import scrub_output

    if hasattr(session.config, "workerinput"):  # a pytest-xdist worker: only its tests' folders,
        for folder in session.config.stash.get(BOT_TEST_FOLDERS, []):  # not the other workers'
            scrub_output(folder)  # files, which they may still be writing (and scrub themselves)
        return
    output = session.config.getoption("--output", default=None)
    if output:
        scrub_output(Path(str(output)))


@pytest.hookimpl(trylast=True)  # after -k/-m deselected what will not run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`bot_run` needs pytest-playwright: say so once, not 'fixture not found' per test."""
    if config.pluginmanager.has_plugin("playwright"):
        return
    if any("bot_run" in getattr(item, "fixturenames", ()) for item in items):
        raise pytest.UsageError(
            "bot_run runs in pytest-playwright's browser, and pytest-playwright is not loaded: "
            "drop -p no:playwright, or with PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 pass "
            "-p playwright -p runbook_bot"
        )


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Note the pytest-playwright output folder of each test that used the bot."""
    folder = getattr(item, "funcargs", {}).get("output_path")
    if folder and "bot_target" in getattr(item, "fixturenames", ()):
        item.config.stash.setdefault(BOT_TEST_FOLDERS, []).append(Path(str(folder)))
