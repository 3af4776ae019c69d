"""`bot fleet`: every client at once — who is due, on which version; one runbook for many."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from bot import Catalog, Config

from bot.cli._shared import complete_clients, complete_runbooks, load, parse_params


def _facts(ctx: click.Context) -> tuple[Any, dict[str, dict[str, str]]]:
    """The config, and every client's facts (what its latest runs remembered)."""
    from bot import known_facts

    config, _ = load(ctx)
    return config, known_facts(config)


@click.group()
def fleet() -> None:
    """All clients at once: what is known about each, who is due, runs for many.

    \b
    Examples:
      bot fleet status
      bot fleet run reauthorize --due --parallel 4
    """


@fleet.command("status")
@click.pass_context
def fleet_status(ctx: click.Context) -> None:
    """A table of every client: Acumatica version, Sliding Expiration, authorized user, next due.

    What the bot knows from earlier runs (facts); `bot run status --client X` refreshes one.

    \b
    Example:
      bot fleet status
    """
    from rich.console import Console
    from rich.table import Table

    from bot import days_left, real_clients

    config, facts = _facts(ctx)
    if _nobody_on_real_systems(config):
        return
    table = Table("client", "Acumatica", "Sliding Expiration", "authorized user", "next due")
    for name in real_clients(config):
        known = facts.get(name, {})
        build = known.get("acumatica_build", "?")
        needs = (
            "configured"
            if known.get("sliding_expiration")
            else (
                "possible: run sliding-expiration"
                if _at_least_2024r1(build)
                else "not available"
                if build != "?"
                else "?"
            )
        )
        left = days_left(known.get("next_due"))
        due = f"{known['next_due']} ({left} d)" if left is not None else "-"
        if left is None and known.get("sliding_expiration"):
            due = "never (Sliding Expiration renews the tokens)"
        table.add_row(name, build, needs, known.get("authorized_user", "?"), due)
    Console(width=None if sys.stdout.isatty() else 140).print(table)


def _at_least_2024r1(build: str) -> bool:
    from bot import version_at_least

    return version_at_least(build, "24.100")


@fleet.command("due")
@click.option("--within", type=click.IntRange(0), default=7, show_default=True, metavar="DAYS")
@click.pass_context
def fleet_due(ctx: click.Context, within: int) -> None:
    """Clients whose authorization runs out within DAYS (or whose state is unknown).

    \b
    Example:
      bot fleet due --within 5
    """
    from bot import due_clients

    config, facts = _facts(ctx)
    if _nobody_on_real_systems(config):
        return
    due = due_clients(config, facts, within)
    for name in due:
        click.echo(f"{name}  next due: {facts.get(name, {}).get('next_due', 'unknown')}")
    if not due:
        click.echo(f"nobody is due within {within} days (`bot fleet status` shows when)", err=True)


def _nobody_on_real_systems(config: Config) -> bool:
    """Say so (on stderr) when the config has no client on real systems: the fleet commands
    leave out the built-in simulators' clients (the `demo` of `bot init`), so there is nothing
    to show, rather than an empty table."""
    from bot import real_clients, simulated_clients

    if real_clients(config):
        return False
    simulated = simulated_clients(config)
    why = (
        f": {', '.join(simulated)} {'runs' if len(simulated) == 1 else 'run'} on the built-in "
        f"simulators, which `bot fleet` leaves out (`bot run status --client {simulated[0]}` "
        "shows one)"
        if simulated
        else ""
    )
    click.echo(
        f"{config.path}: no clients on real systems{why}; add your clients under `clients:`",
        err=True,
    )
    return True


@fleet.command("run")
@click.argument("runbook", shell_complete=complete_runbooks)
@click.option("--due", "only_due", is_flag=True, help="only clients that are due (see `fleet due`)")
@click.option("--within", type=click.IntRange(0), default=7, show_default=True, metavar="DAYS")
@click.option(
    "--client",
    "-c",
    "clients",
    multiple=True,
    shell_complete=complete_clients,
    help="these clients (repeatable)",
)
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="a runbook param")
@click.option(
    "--parallel",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="runs at once (each in its own browser context)",
)
@click.option("--headed", is_flag=True, help="show the local browser's window")
@click.option("--json", "as_json", is_flag=True, help="every run's events as JSON lines, by client")
@click.pass_context
def fleet_run(
    ctx: click.Context,
    runbook: str,
    only_due: bool,
    within: int,
    clients: tuple[str, ...],
    params: tuple[str, ...],
    parallel: int,
    headed: bool,
    as_json: bool,
) -> None:
    """Run RUNBOOK for many clients at once, in one browser (and the configured endpoints).

    A live table shows each client's current step; the end prints one line per client with its
    verdict and run id. Each run leaves what `bot run` leaves (run folder, trace, report, history
    row). Exit codes: 0 all passed, 1 any failed, 2 bad input (nothing started), 130 interrupted
    (Ctrl-C stops every run before its next step, keeping its evidence).

    \b
    Examples:
      bot fleet run reauthorize --due
      bot fleet run status --parallel 8
      bot fleet run reauthorize --client acme --client globex --json
    """
    from rich.console import Console

    from bot import FleetOptions, interrupts, run_fleet
    from bot.cli.fleet_view import LiveView, json_outcome, print_outcomes

    config, catalog = load(ctx)
    given = parse_params(params)
    chosen = _chosen_clients(config, catalog, runbook, given, clients, only_due, within)
    if not chosen:
        click.echo("no clients to run")
        return
    view = LiveView(chosen, Console(highlight=False), sys.stderr)
    options = FleetOptions(
        parallel=parallel,
        headed=headed,
        observe=(lambda progress: None) if as_json else view,
        json_out=sys.stdout if as_json else None,
    )
    interrupts.install()  # Ctrl-C: every run stops before its next step, keeping its evidence
    with nullcontext() if as_json else view:
        report = run_fleet(config, catalog, runbook, chosen, given, options)
    if as_json:
        for outcome in report.outcomes:
            click.echo(json_outcome(outcome))
    else:
        print_outcomes(report, sys.stdout)
    if report.interrupted:
        ctx.exit(130)
    if report.failed:
        ctx.exit(1)


def _chosen_clients(
    config: Config,
    catalog: Catalog,
    runbook: str,
    given: dict[str, Any],
    clients: tuple[str, ...],
    only_due: bool,
    within: int,
) -> list[str]:
    """The clients to run; the runbook's name and the params checked first, whoever runs. Says
    which clients the fleet leaves out (the built-in simulators' demo clients), and refuses
    (InputError) when, without `--due`, that leaves nobody."""
    from bot import (
        InputError,
        bind_params,
        due_clients,
        known_facts,
        nobody_to_run,
        real_clients,
        simulated_clients,
    )

    bind_params(catalog.get(runbook), given)  # a misspelt name or a bad param: exit 2
    for name in clients:
        config.client(name)  # unknown names fail here, before anything runs
    if clients:
        return list(clients)
    if not only_due and not real_clients(config):
        raise InputError(nobody_to_run(config, runbook))
    for name in simulated_clients(config):
        click.echo(
            f"skipped {name}: it runs on the built-in simulators, which the fleet leaves out "
            f"(`bot run {runbook} --client {name}` runs it)",
            err=True,
        )
    if only_due:
        chosen = due_clients(config, known_facts(config), within)
        if not chosen:
            click.echo(f"nobody is due within {within} days (`bot fleet status` shows when)")
        return chosen
    return real_clients(config)
