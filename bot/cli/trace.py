"""`bot trace`: a run's scrubbed trace in Playwright's trace viewer, in the bot's own browser."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from bot.cli._shared import load


@click.command()
@click.argument("run", metavar="RUN_ID|PATH")
@click.option("--open/--no-open", "open_it", default=True, help="open a browser window (default)")
@click.pass_context
def trace(ctx: click.Context, run: str, open_it: bool) -> None:
    """Show a run's trace in Playwright's trace viewer, served on 127.0.0.1 and opened in the
    browser the bot uses (`bot doctor` says which). RUN is a run id (`bot runs`), a run folder or
    a trace.zip. With --no-open, print the URL; Ctrl-C stops the viewer.

    Exits 1 when the viewer cannot start, 2 for an unknown run id or a missing trace.

    \b
    Examples:
      bot trace 1a2b3c4d
      bot trace runs/acme/20261127T223951Z-reauthorize-1a2b3c4d --no-open
    """
    from bot import serve_trace

    path = _trace_path(ctx, run)
    with serve_trace(path) as url:
        click.echo(f"trace viewer for {path}:\n  {url}")
        if open_it:
            _open(ctx, url)
        else:
            click.echo("serving until Ctrl-C")
            _wait_for_ctrl_c()


def _trace_path(ctx: click.Context, run: str) -> Path:
    """A trace.zip given directly (or its run folder), else the trace of run id `run`."""
    given = Path(run)
    if given.is_dir():
        given = given / "trace.zip"
    if given.is_file():
        return given
    if given.suffix == ".zip" or len(given.parts) > 1:
        from bot import InputError

        raise InputError(
            f"no trace at {given}: give a run id (`bot runs` lists them), a run "
            "folder or a trace.zip"
        )
    from bot.cli.history import missing_evidence, recorded_run

    row = recorded_run(ctx, run)
    if not row.trace_path or not Path(row.trace_path).exists():
        raise missing_evidence(row, "trace", "retention, or the browser died")
    return Path(row.trace_path)


def _open(ctx: click.Context, url: str) -> None:
    """Show `url` in the bot's browser until its window closes; without a window (no display),
    keep serving for a browser the user opens."""
    from bot import BotError, choose_browser, show_in_browser

    click.echo("opening it; close the window (or Ctrl-C) to stop the viewer")
    try:
        show_in_browser(url, choose_browser(configured_path=_configured_browser(ctx)))
    except BotError as exc:
        first = exc.message.splitlines()[0]
        click.echo(f"could not open a browser window: {first}", err=True)
        click.echo("open the URL above in a browser; Ctrl-C stops the viewer", err=True)
        _wait_for_ctrl_c()
    except KeyboardInterrupt:
        click.echo("stopped")


def _configured_browser(ctx: click.Context) -> str | None:
    from bot import BotError

    try:
        config, _ = load(ctx)
    except BotError:
        return None  # a trace path works without a config
    return config.browser.executable_path


def _wait_for_ctrl_c() -> None:
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopped")
