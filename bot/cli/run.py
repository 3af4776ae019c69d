"""`bot run`: run one runbook for one client."""

from __future__ import annotations

import sys

import click

from bot.cli._shared import complete_clients, complete_runbooks, load, parse_params

# the screenshot policies (bot.engine's SCREENSHOT_POLICIES, which `bot --help` does not load)
SCREENSHOTS = ("on-failure", "on-change", "every-step")


@click.command()
@click.argument("runbook", shell_complete=complete_runbooks)
@click.option("--client", "-c", shell_complete=complete_clients, help="client name from the config")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="a runbook param")
@click.option("--headed", is_flag=True, help="show the browser window")
@click.option(
    "--slow-mo",
    type=click.IntRange(0),
    default=0,
    metavar="MS",
    help="wait MS milliseconds between browser actions",
)
@click.option("--browser-ws", metavar="URL", help="use a remote browser (Playwright server ws://…)")
@click.option("--cdp", metavar="URL", help="use a remote Chromium over CDP (http://host:9222)")
@click.option("--step", "step_through", is_flag=True, help="wait for Enter before each step")
@click.option("--pause-on-failure", is_flag=True, help="open the inspector at a failure (--headed)")
@click.option("--json", "as_json", is_flag=True, help="JSON lines of events instead of text")
@click.option(
    "--screenshots",
    type=click.Choice(SCREENSHOTS),
    help="after which steps to keep a screenshot, instead of the config's runs.screenshots",
)
@click.pass_context
def run(
    ctx: click.Context,
    runbook: str,
    client: str | None,
    params: tuple[str, ...],
    headed: bool,
    slow_mo: int,
    browser_ws: str | None,
    cdp: str | None,
    step_through: bool,
    pause_on_failure: bool,
    as_json: bool,
    screenshots: str | None,
) -> None:
    """Run RUNBOOK for a client in a browser (headless unless --headed).

    \b
    Examples:
      bot run reauthorize --client acme
      bot run sliding-expiration --client acme --param sliding_lifetime=15
      bot run reauthorize --client acme --headed --slow-mo 250 --pause-on-failure

    Exit codes: 0 passed, 1 run failed, 2 bad input or the client busy with another run (nothing
    started), 130 interrupted.
    """
    from bot import RunOptions, execute, interrupts

    if step_through and not sys.stdin.isatty():  # else every prompt reads end-of-file at once
        raise click.UsageError(
            "--step waits for Enter before each step and needs a terminal, but standard input "
            "is not one: run it in a terminal, or leave out --step"
        )
    config, catalog = load(ctx)
    options = RunOptions(
        headed=headed,
        slow_mo=slow_mo,
        browser_ws=browser_ws,
        cdp=cdp,
        step_through=step_through,
        pause_on_failure=pause_on_failure,
        json=as_json,
        screenshots=screenshots,  # type: ignore[arg-type]  # one of SCREENSHOTS
    )
    interrupts.install()  # Ctrl-C: stop before the next step, keeping the evidence
    outcome = execute(config, catalog, runbook, client, parse_params(params), options, sys.stdout)
    if outcome.result.verdict != "passed":
        ctx.exit(1)
