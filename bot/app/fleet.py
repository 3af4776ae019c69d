"""`bot fleet run`: one runbook for many clients, in one process.

One Playwright driver and one thread: the browser `bot run` would use (and each configured
endpoint) holds a context per client, `parallel` runs at once as greenlets (`cooperative`). Every
run is a whole `bot run` (`fleet_client`); a failing or crashed run stops nobody else, a lost
browser is replaced for the runs still to come, and Ctrl-C stops every run before its next step.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TextIO

from bot.app.browser import (
    BrowserChoice,
    choose_browser,
    launch_args,
    lean_driver,
    missing_display,
    missing_home,
)
from bot.app.browser_sites import BrowserSite, Sites
from bot.app.catalog import Catalog
from bot.app.config import Config
from bot.app.cooperative import Cooperative
from bot.app.endpoints import BrowserEndpoint
from bot.app.fleet_client import ClientOutcome, ClientProgress, FleetRun, Observer
from bot.app.plan import make_plan
from bot.app.run import event_loop_running
from bot.errors import InputError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CONNECT_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class FleetOptions:
    parallel: int = 4  # runs at once, over all browsers
    headed: bool = False  # the local browser's window
    observe: Observer = field(default=lambda progress: None)  # a live view of each client
    json_out: TextIO | None = None  # every run's events as JSON lines, tagged by client


@dataclass(frozen=True)
class FleetReport:
    outcomes: list[ClientOutcome]  # in the order the clients were given

    @property
    def failed(self) -> list[ClientOutcome]:
        return [outcome for outcome in self.outcomes if outcome.verdict != "passed"]

    @property
    def interrupted(self) -> bool:
        return any(o.verdict in ("interrupted", "not started") for o in self.outcomes)


def run_fleet(
    config: Config,
    catalog: Catalog,
    runbook: str,
    clients: list[str],
    params: dict[str, Any],
    options: FleetOptions,
) -> FleetReport:
    """Run `runbook` for every client. Raises InputError before anything starts."""
    for client in clients:  # every plan checked first: bad input starts nothing
        make_plan(config, catalog, runbook, client, params, resolve=not _simulated(config, client))
    no_home = missing_home()
    if no_home is not None:
        raise InputError(no_home)
    for client in clients:
        options.observe(ClientProgress(client, "queued"))

    def run_all() -> FleetReport:
        from playwright.sync_api import sync_playwright

        with lean_driver():
            playwright = sync_playwright().start()
        try:
            coop = Cooperative(playwright)
            sites = Sites(_sites(config, playwright, coop, options), coop)
            fleet = FleetRun(
                config,
                catalog,
                runbook,
                params,
                sites,
                options.observe,
                options.json_out,
                offload=coop.in_thread,
            )
            try:
                coop.run([fleet.job(client) for client in clients], options.parallel)
            finally:
                sites.close()
        finally:
            playwright.stop()
        return FleetReport([fleet.outcomes[client] for client in clients])

    if event_loop_running():  # Playwright's sync API needs a thread without a running loop
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bot-fleet") as pool:
            return pool.submit(run_all).result()
    return run_all()


def _sites(
    config: Config, playwright: Playwright, coop: Cooperative, options: FleetOptions
) -> list[BrowserSite]:
    """The configured endpoints, then the browser `bot run` would use (unless capacity 0)."""
    sites = [
        BrowserSite(
            endpoint.label, endpoint.capacity, partial(_connect, playwright, endpoint), coop
        )
        for endpoint in config.browser.endpoints
    ]
    capacity = config.browser.local_capacity
    capacity = options.parallel if capacity is None else capacity
    if capacity > 0:
        choice = choose_browser(
            ws_endpoint=config.browser.ws_endpoint,
            cdp_endpoint=config.browser.cdp_endpoint,
            configured_path=config.browser.executable_path,
        )
        if choice.kind == "none":
            raise InputError("no browser available:\n  " + "\n  ".join(choice.problems))
        no_window = missing_display(choice, not options.headed)
        if no_window is not None:
            raise InputError(f"--headed: {no_window}")
        launch = partial(_launch, playwright, choice, not options.headed)
        sites.append(BrowserSite(_label(choice), capacity, launch, coop))
    if not sites:
        raise InputError("no browser for the fleet: browser.local_capacity is 0 and no endpoints")
    return sites


def _connect(playwright: Playwright, endpoint: BrowserEndpoint) -> Browser:
    chromium = playwright.chromium
    if endpoint.kind == "ws":
        return chromium.connect(endpoint.url, timeout=CONNECT_TIMEOUT_MS)
    return chromium.connect_over_cdp(endpoint.url, timeout=CONNECT_TIMEOUT_MS)


def _launch(playwright: Playwright, choice: BrowserChoice, headless: bool) -> Browser:
    if choice.kind in ("ws", "cdp"):
        assert choice.target is not None
        return _connect(playwright, BrowserEndpoint(url=choice.target))
    return playwright.chromium.launch(**launch_args(choice, headless=headless, lean=True))  # type: ignore[arg-type]


def _label(choice: BrowserChoice) -> str:
    if choice.kind in ("ws", "cdp") and choice.target:
        return BrowserEndpoint(url=choice.target).label
    return "local chromium"


def _simulated(config: Config, client: str) -> bool:
    """A `simulators: builtin` client: its secrets come from simulators started for its run."""
    return config.client(client).simulators == "builtin"
