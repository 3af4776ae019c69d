"""`bot fleet`: every client at once — who is due, on which version; one runbook for many."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import click

from bot.cli._shared import load


def _facts(ctx: click.Context) -> tuple[Any, dict[str, dict[str, str]]]:
    """The config, and every client's facts (what its latest runs remembered)."""
    from bot import History

    config, _ = load(ctx)
    path = config.resolve(config.runs.history)
    if not path.exists():
        return config, {}
    history = History(path)
    try:
        return config, history.client_facts()
    finally:
        history.close()


def _days_left(due: str | None) -> int | None:
    try:
        return (date.fromisoformat(due).toordinal() - date.today().toordinal()) if due else None
    except ValueError:
        return None


def _real_clients(config: Any) -> list[str]:
    """Clients on real systems (the built-in simulators start fresh each run: nothing is due)."""
    return [name for name, spec in config.clients.items() if spec.simulators != "builtin"]


@click.group()
def fleet() -> None:
    """All clients at once: what is known about each, who is due, runs for many.

    \b
    Examples:
      bot fleet status
      bot fleet run reauthorize --due --parallel 2
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

    config, facts = _facts(ctx)
    table = Table("client", "Acumatica", "Sliding Expiration", "authorized user", "next due")
    for name in _real_clients(config):
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
        left = _days_left(known.get("next_due"))
        due = f"{known['next_due']} ({left} d)" if left is not None else "-"
        table.add_row(name, build, needs, known.get("authorized_user", "?"), due)
    Console(width=None if sys.stdout.isatty() else 140).print(table)


def _at_least_2024r1(build: str) -> bool:
    from bot import version_at_least

    return version_at_least(build, "24.100")


def due_clients(config: Any, facts: dict[str, dict[str, str]], within: int) -> list[str]:
    """Clients whose authorization runs out within `within` days, or whose state is unknown."""
    due = []
    for name in _real_clients(config):
        known = facts.get(name, {})
        left = _days_left(known.get("next_due"))
        if known.get("sliding_expiration") and left is None:
            continue  # sliding expiration: no 30-day deadline
        if left is None or left <= within:
            due.append(name)
    return due


@fleet.command("due")
@click.option("--within", type=click.IntRange(0), default=7, show_default=True, metavar="DAYS")
@click.pass_context
def fleet_due(ctx: click.Context, within: int) -> None:
    """Clients whose authorization runs out within DAYS (or whose state is unknown).

    \b
    Example:
      bot fleet due --within 5
    """
    config, facts = _facts(ctx)
    for name in due_clients(config, facts, within):
        click.echo(f"{name}  next due: {facts.get(name, {}).get('next_due', 'unknown')}")


@fleet.command("run")
@click.argument("runbook")
@click.option("--due", "only_due", is_flag=True, help="only clients that are due (see `fleet due`)")
@click.option("--within", type=click.IntRange(0), default=7, show_default=True, metavar="DAYS")
@click.option("--client", "-c", "clients", multiple=True, help="these clients (repeatable)")
@click.option(
    "--parallel",
    type=click.IntRange(1, 8),
    default=1,
    show_default=True,
    help="runs at once (each its own browser)",
)
@click.pass_context
def fleet_run(
    ctx: click.Context,
    runbook: str,
    only_due: bool,
    within: int,
    clients: tuple[str, ...],
    parallel: int,
) -> None:
    """Run RUNBOOK for many clients, then print one line per client; exit 1 if any failed.

    \b
    Examples:
      bot fleet run reauthorize --due
      bot fleet run status --parallel 3
    """
    config, facts = _facts(ctx)
    chosen = list(clients) or (
        due_clients(config, facts, within) if only_due else _real_clients(config)
    )
    for name in chosen:
        config.client(name)  # unknown names fail here, before anything runs
    if not chosen:
        click.echo("no clients to run")
        return
    results = _run_all(ctx, runbook, chosen, parallel)
    failed = [name for name, code in results if code != 0]
    for name, code in results:
        verdict = {0: "passed", 130: "interrupted"}.get(code, "FAILED")
        click.echo(f"{verdict:<12} {name}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        ctx.exit(1)


def _run_all(
    ctx: click.Context, runbook: str, clients: Iterable[str], parallel: int
) -> list[tuple[str, int]]:
    config_path = ctx.find_root().obj.get("config_path")
    base = [sys.executable, "-m", "bot"] + (["--config", config_path] if config_path else [])

    def one(name: str) -> tuple[str, int]:
        log = subprocess.run(
            [*base, "run", runbook, "--client", name], check=False, capture_output=True, text=True
        )
        verdicts = [
            line
            for line in log.stdout.splitlines()
            if line.startswith(("PASSED", "FAILED", "INTERRUPTED"))
        ]
        click.echo(f"{name}: {verdicts[0] if verdicts else log.stderr.strip()}")
        return name, log.returncode

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(one, clients))
