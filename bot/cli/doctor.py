"""`bot doctor`: which browser would be used and why, versions, and each problem with its fix."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bot import BrowserChoice


@click.command()
@click.option("--browser-ws", metavar="URL", help="check a remote browser instead")
@click.option("--cdp", metavar="URL", help="check a remote Chromium over CDP instead")
@click.option(
    "--launch/--no-launch", default=True, help="really start the browser to prove it works"
)
@click.pass_context
def doctor(ctx: click.Context, browser_ws: str | None, cdp: str | None, launch: bool) -> None:
    """Explain which browser a run would use, and how to fix what is missing; check that the
    trace viewer (`bot trace`) starts.

    \b
    Example:
      bot doctor
      BOT_BROWSER_PATH=/opt/chrome/chrome bot doctor
    """
    from importlib.metadata import version

    from bot import choose_browser

    configured, config_problems = _configured_path(ctx)
    choice = choose_browser(ws_endpoint=browser_ws, cdp_endpoint=cdp, configured_path=configured)
    click.echo(f"playwright  {version('playwright')}")
    click.echo(f"browser     {choice.describe()}")
    problems = [*config_problems, *choice.problems]
    if launch and not problems:
        problems += _try_launch(choice)
    problems += _check_trace_viewer()
    for problem in problems:
        click.echo(click.style("problem", fg="red") + f"     {problem}")
    if problems:
        ctx.exit(1)
    click.echo(click.style("ok", fg="green") + "          ready to run")


def _configured_path(ctx: click.Context) -> tuple[str | None, list[str]]:
    """The config's `browser.executable_path`, and the config's problems: no config at all is
    fine (the doctor runs before `bot init`), a broken one is a problem (a run would refuse it,
    and the browser it names is not known)."""
    from bot import BotError, find_config, load_config

    explicit = ctx.obj.get("config_path") if ctx.obj else None
    try:
        path = find_config(explicit)
    except BotError as exc:
        return None, [exc.message] if explicit or os.environ.get("BOT_CONFIG") else []
    try:
        config = load_config(path)
    except BotError as exc:
        first = exc.message.splitlines()[0]
        return None, [
            f"the config cannot be used (a run would refuse it), so the browser it chooses is "
            f"not known: {first} (`bot validate` shows every problem)"
        ]
    return config.browser.executable_path, []


def _check_trace_viewer() -> list[str]:
    from bot import check_viewer

    problems = check_viewer()
    if not problems:
        click.echo("traces      Playwright's trace viewer serves on 127.0.0.1 (bot trace ID)")
    return problems


def _try_launch(choice: BrowserChoice) -> list[str]:
    from bot import BotError, open_session

    try:
        with open_session(choice) as session:
            click.echo(f"launched    Chromium {session.browser_version}")
    except BotError as exc:  # without its "`bot doctor` explains…" line: this is bot doctor
        return [exc.message.splitlines()[0]]
    return []
