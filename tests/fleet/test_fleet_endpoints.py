"""Browser endpoints: the fleet spreads its clients over two Playwright browser servers (npm
playwright-core's launchServer on loopback, the system's Chromium) and a local browser. One server
is killed mid-fleet: its runs in flight fail clearly with their evidence kept, the clients it was to
take next run elsewhere, and every client is in the history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bot_sim.worlds import Worlds, start_worlds
from fleet_helpers import StepTrigger, has_kept_evidence, history_rows
from support.browser_server import BrowserServer, browser_server
from support.devtools import devtools_chromium

from bot import BrowserChoice, FleetOptions, SandboxBot, choose_browser

CLIENTS = [f"client{number:02d}" for number in range(1, 9)]


@pytest.fixture(scope="module")
def eight_worlds() -> Iterator[Worlds]:
    with start_worlds(8) as running:
        yield running


@pytest.fixture
def servers() -> Iterator[tuple[BrowserServer, BrowserServer]]:
    choice: BrowserChoice = choose_browser()
    if choice.kind != "system" or not choice.target:
        pytest.fail(f"these servers run the system's Chromium; the bot chose {choice.describe()}")
    with browser_server(choice.target) as first, browser_server(choice.target) as second:
        yield first, second


def test_a_killed_endpoint_fails_its_runs_in_flight_and_the_rest_go_elsewhere(
    eight_worlds: Worlds, servers: tuple[BrowserServer, BrowserServer], tmp_path: Path
) -> None:
    doomed, spare = servers
    endpoints = [
        {"url": doomed.ws_endpoint, "capacity": 2},
        {"url": spare.ws_endpoint, "capacity": 2},
    ]
    bot = SandboxBot(eight_worlds, tmp_path, browser={"endpoints": endpoints, "local_capacity": 1})
    doomed_label, spare_label = label(doomed), label(spare)
    # the first client goes to the first endpoint (least loaded, first in order): kill that
    # endpoint when its run starts its third step
    trigger = StepTrigger("client01", 3, doomed.kill)
    report = bot.fleet("reauthorize", options=FleetOptions(parallel=5, observe=trigger))

    assert trigger.fired
    outcomes = {outcome.client: outcome for outcome in report.outcomes}
    killed_midway = [o for o in report.outcomes if o.verdict == "failed"]
    assert outcomes["client01"] in killed_midway
    for outcome in killed_midway:  # in flight on the killed endpoint: failed, saying why
        assert outcome.browser == f"{doomed_label} #1", outcome
        assert outcome.message.startswith(f"the browser ({doomed_label} #1) was lost mid-run")
        assert has_kept_evidence(outcome), outcome
    passed = [o for o in report.outcomes if o.verdict == "passed"]
    assert len(passed) + len(killed_midway) == len(CLIENTS), report
    assert {o.browser.rsplit(" #", 1)[0] for o in passed} == {"local chromium", spare_label}
    # the clients sent to the killed endpoint after it died went elsewhere, and passed there
    moved = [o for o in passed if o.attempts > 1]
    assert moved, report
    retried = {p.client: p.step for p in trigger.seen if p.state == "retrying"}
    for outcome in moved:
        assert retried[outcome.client].startswith(f"{doomed_label} is down"), retried
        assert doomed_label not in outcome.browser
    rows = history_rows(bot)  # none lost: every client has its row, the failed ones too
    assert sorted(row.client for row in rows if row.verdict == "passed") == sorted(
        o.client for o in passed
    )
    assert {row.id for row in rows if row.verdict == "failed"} == {o.run_id for o in killed_midway}
    assert {row.client for row in rows} == set(CLIENTS)


def test_a_devtools_endpoint_alone_takes_the_fleet(eight_worlds: Worlds, tmp_path: Path) -> None:
    choice = choose_browser()
    assert choice.target is not None
    with devtools_chromium(choice.target, tmp_path / "profile") as url:
        endpoint = {"url": url, "capacity": 2}
        browser = {"endpoints": [endpoint], "local_capacity": 0}  # no browser of its own
        bot = SandboxBot(eight_worlds, tmp_path / "bot", browser=browser)
        report = bot.fleet("status", clients=["client01", "client02"])
    assert [(o.verdict, o.browser) for o in report.outcomes] == [("passed", f"{url} #1")] * 2


def label(server: BrowserServer) -> str:
    """How the fleet names an endpoint: scheme, host and port (its path may hold a token)."""
    parts = urlsplit(server.ws_endpoint)
    return f"ws://{parts.hostname}:{parts.port}"
