"""The `bot` command. Heavy imports (Playwright, pydantic) happen inside commands, not here."""

from __future__ import annotations

import contextlib
import sys

import click

from bot.cli._shared import CONFIG_OPTION_HELP


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config", "config_path", envvar="BOT_CONFIG", metavar="PATH", help=CONFIG_OPTION_HELP
)
@click.version_option(package_name="runbook-bot", prog_name="bot")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Run support runbooks in a real browser, safely, leaving scrubbed evidence.

    \b
    Examples:
      bot init                                # a working folder: config.yaml, .env.example
      bot run reauthorize --client demo       # re-authorize the demo client (simulators)
      bot plan reauthorize --client acme      # what would run, secrets masked, no browser
      bot validate                            # check every runbook
      bot doctor                              # which browser, and what to fix

    Shell completion: eval "$(_BOT_COMPLETE=bash_source bot)" (zsh_source, fish_source).
    """
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


def _register() -> None:
    from bot.cli import doctor, fleet, history, inspect, run, sim, trace, working_folder

    for command in (
        working_folder.init,
        run.run,
        inspect.validate,
        inspect.list_runbooks,
        inspect.plan,
        inspect.schema,
        working_folder.runbooks,
        doctor.doctor,
        sim.sim,
        history.runs,
        trace.trace,
        history.report,
        fleet.fleet,
    ):
        cli.add_command(command)


_register()


def _printable_anywhere() -> None:
    """A terminal or pipe whose encoding is not UTF-8 (`LANG=en_US.ISO-8859-1`, a Windows code
    page, `PYTHONIOENCODING=ascii`) shows what it cannot encode as `?`. Before, the first `✓`
    or `·` raised UnicodeEncodeError: the step lines vanished and the verdict of a run that had
    acted on the client ended in a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):  # a stream replaced by a test, closed…
                reconfigure(errors="replace")


def main() -> None:
    """Entry point: BotErrors become their message and exit code, Ctrl-C exits 130."""
    from bot import BotError, interrupts

    interrupts.install_immediate()  # `kill`, CI cancelling: stop as for Ctrl-C
    _printable_anywhere()
    try:
        code = cli.main(standalone_mode=False)  # `ctx.exit(n)` comes back as a return value here
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BotError as exc:
        click.echo(f"error: {exc.message}" if exc.exit_code != 2 else exc.message, err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except OSError as exc:  # a file or folder the command needs: its name and why, no traceback
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"error: {exc.strerror or exc}{where}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
