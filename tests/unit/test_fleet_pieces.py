"""The fleet's pieces without a browser: browser endpoints in the config, how runs are spread over
browser sites, the lines printed at the end, the simulated worlds' names."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pytest
from bot_sim.common.names import WorldNames

from bot import ClientOutcome, Config, FleetReport, ValidationFailed
from bot.app.browser_sites import BrowserSite, Sites, least_loaded
from bot.app.cooperative import Cooperative
from bot.cli.fleet_view import print_outcomes

ConfigOf = Callable[[str], Config]
NO_WAITING = cast(Cooperative, None)  # never waits: every test here has a site with room


def test_endpoints_are_read_with_their_capacity(config_of: ConfigOf) -> None:
    config = config_of(
        """\
        browser:
          endpoints:
            - {url: "ws://grid.example:3000/playwright?token=s3cr3t", capacity: 8}
            - {url: "http://10.0.0.5:9222"}
          local_capacity: 0
        """
    )
    first, second = config.browser.endpoints
    assert (first.kind, first.capacity, first.label) == ("ws", 8, "ws://grid.example:3000")
    assert (second.kind, second.capacity) == ("cdp", 4)
    assert config.browser.local_capacity == 0


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('{url: "ftp://grid:21"}', "'ftp://…' is not a browser endpoint: use ws://host:port/…"),
        ('{url: "ws://grid:3000", capacity: 0}', "capacity must be at least 1"),
        ('{url: "ws://grid:3000", seats: 2}', "seats"),
    ],
)
def test_a_bad_endpoint_is_named_with_its_line(
    config_of: ConfigOf, entry: str, expected: str
) -> None:
    with pytest.raises(ValidationFailed) as info:
        config_of(f"browser:\n  endpoints:\n    - {entry}\n")
    assert expected in info.value.message
    assert "config.yaml:" in info.value.message


def site(label: str, capacity: int, running: int = 0, down: str | None = None) -> BrowserSite:
    return BrowserSite(label, capacity, lambda: None, NO_WAITING, running, down=down)  # type: ignore[arg-type, return-value]


def test_runs_go_to_the_least_loaded_site_with_room_first_in_order_on_a_tie() -> None:
    grid, spare, local = site("grid", 4, running=2), site("spare", 2, running=1), site("local", 4)
    assert least_loaded([grid, spare, local]) is local
    local.running = 2
    assert least_loaded([grid, spare, local]) is grid  # all at half: the first
    assert least_loaded([site("full", 1, running=1), site("down", 3, down="gone")]) is None


def test_a_retried_client_avoids_the_site_that_failed_it_while_another_is_up() -> None:
    grid, local = site("grid", 4), site("local", 4, running=3)
    sites = Sites([grid, local], NO_WAITING)
    assert sites.acquire(avoid=[grid]) is local
    assert local.running == 4
    sites.release(local)
    local.down = "crashed twice"
    assert sites.acquire(avoid=[grid]) is grid  # nothing else is up
    grid.down = "connection refused"
    assert sites.acquire() is None


def test_the_end_says_one_line_per_client_and_where_failed_evidence_is() -> None:
    report = FleetReport(
        [
            ClientOutcome("acme", "passed", "ab12cd34", Path("runs/acme/x"), "Authorized as a."),
            ClientOutcome("globex", "failed", "ef56ab78", Path("runs/globex/y"), "HTTP 500"),
            ClientOutcome("initech", "not started", message="stopped before it began"),
        ]
    )
    out = io.StringIO()
    print_outcomes(report, out)
    assert out.getvalue().splitlines() == [
        "PASSED       acme     run ab12cd34  Authorized as a.",
        "FAILED       globex   run ef56ab78  HTTP 500",
        "                      evidence: runs/globex/y",
        "NOT STARTED  initech  no run        stopped before it began",
        "1 passed, 1 failed, 1 not started",
    ]
    assert report.interrupted
    assert [outcome.client for outcome in report.failed] == ["globex", "initech"]


def test_numbered_worlds_name_everything_their_own() -> None:
    names = WorldNames.numbered(7)
    assert names.tenant == "Client 07 Live"
    assert names.acumatica_users == ("admin", "client07.integration", "jane.doe")
    assert names.notification_emails == ("ops@client07.example",)
    assert WorldNames().tenant == "Acme Live"  # the default: fixtures/README.md's world


def test_the_live_table_shows_each_client_s_current_step() -> None:
    from rich.console import Console

    from bot import ClientProgress
    from bot.cli.fleet_view import LiveView

    log = io.StringIO()
    view = LiveView(["acme", "globex"], Console(file=io.StringIO()), log)
    view(ClientProgress("acme", "running", "click Re-Authorize", "ab12cd34", "local chromium #1"))
    view(ClientProgress("globex", "failed", "HTTP 500 on Save", "ef56ab78", "local chromium #1"))
    screen = Console(file=io.StringIO(), width=140, record=True)
    screen.print(view.table())
    rows = {line.split("│")[1].strip(): line for line in screen.export_text().splitlines()[3:-1]}
    assert "running" in rows["acme"]
    assert "click Re-Authorize" in rows["acme"]
    assert "failed" in rows["globex"]
    assert log.getvalue() == "[1/2] failed globex (run ef56ab78)\n"  # not a terminal: a line
