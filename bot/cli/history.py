"""Looking back: `bot runs`, `bot runs show ID`, `bot report ID` (and `bot trace`: trace.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from bot.cli._shared import complete_clients, load


def _history(ctx: click.Context, run_id: str | None = None) -> Any:
    """The history; None when no run was recorded yet (an error, exit 2, when `run_id` was
    asked for)."""
    from bot import History, InputError

    config, _ = load(ctx)
    path = config.resolve(config.runs.history)
    if not path.exists():
        if run_id is not None:
            raise InputError(f"no run with id '{run_id}': no runs recorded yet ({path})")
        return None
    history = History(path)
    history.mark_stale_runs()  # a killed bot leaves 'running' rows: they are interrupted
    return history


def recorded_run(ctx: click.Context, run_id: str) -> Any:
    """The run `run_id`; InputError (exit 2) naming the close ids when there is none."""
    from bot import InputError
    from bot.language.diagnostics import closest

    history = _history(ctx, run_id)
    row = history.get_run(run_id)
    if row is None:
        ids = [run.id for run in history.list_runs(limit=1000)]
        started = [run for run in ids if run.startswith(run_id)]  # the first letters of an id
        meant = started[0] if len(started) == 1 else closest(run_id, ids)
        hint = f" — did you mean '{meant}'?" if meant else ""
        raise InputError(f"no run with id '{run_id}'{hint} (`bot runs` lists them)")
    return row


def missing_evidence(row: Any, what: str, why: str) -> Exception:
    """A run's report or trace that is not there: exit 2, saying whether its whole folder is
    gone (moved or deleted: the history still lists the run) or it kept none (`why`)."""
    from bot import InputError

    if row.run_dir and not Path(row.run_dir).is_dir():
        return InputError(
            f"run {row.id} has no {what}: its folder {row.run_dir} no longer exists (moved or "
            "deleted)"
        )
    if row.verdict == "running":
        return InputError(f"run {row.id} is still running: its {what} is written when it ends")
    if row.verdict == "interrupted" and row.message:  # e.g. killed before it sealed its evidence
        return InputError(
            f"run {row.id} kept no {what}: it was interrupted — {row.message} (`bot runs show "
            f"{row.id}` lists the steps it did)"
        )
    return InputError(f"run {row.id} kept no {what} ({why})")


def _facts_cell(facts: dict[str, str]) -> str:
    """What the run remembered, short: `acumatica_build=24.105.0012 …`."""
    return " ".join(f"{name}={value}" for name, value in facts.items())[:40] or "-"


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp)) if stamp else "-"


@click.group(invoke_without_command=True)
@click.option("--client", "-c", shell_complete=complete_clients, help="only this client's runs")
@click.option("--failed", is_flag=True, help="only runs that failed or were interrupted")
@click.option("--limit", type=click.IntRange(1), default=30, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table")
@click.pass_context
def runs(ctx: click.Context, client: str | None, failed: bool, limit: int, as_json: bool) -> None:
    """The run history, newest first (interrupted runs included).

    \b
    Examples:
      bot runs --client acme
      bot runs --failed --json
      bot runs show 1a2b3c4d
    """
    if ctx.invoked_subcommand is not None:
        return
    history = _history(ctx)
    rows = [] if history is None else history.list_runs(client, failed_only=failed, limit=limit)
    if as_json:
        import json  # here, not at start-up: `bot --help` does without it
        from dataclasses import asdict

        click.echo(json.dumps([asdict(row) for row in rows], indent=2, default=str))
        return
    if not rows:  # not an error: a new working folder has no runs, a filter may match none
        kind = "failed or interrupted runs" if failed else "runs"
        whose = f" of client '{client}'" if client else ""
        hint = "" if client or failed else ": `bot run RUNBOOK --client NAME` records one"
        click.echo(f"no {kind}{whose} recorded yet{hint}", err=True)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("run", "started", "client", "runbook", "verdict", "steps", "facts", "why")
    for row in rows:
        colour = {"passed": "green", "failed": "red", "interrupted": "yellow"}.get(row.verdict, "")
        table.add_row(
            row.id,
            _when(row.started_at),
            row.client or "-",
            row.runbook,
            f"[{colour}]{row.verdict}[/]" if colour else row.verdict,
            str(row.step_count),
            _facts_cell(row.facts),
            (row.message or "")[:60],
        )
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    console.print(table)


@runs.command()
@click.argument("run_id")
@click.pass_context
def show(ctx: click.Context, run_id: str) -> None:
    """One run: its steps, the failure and the failing step's YAML.

    \b
    Example:
      bot runs show 1a2b3c4d
    """
    row = recorded_run(ctx, run_id)
    click.echo(f"run {row.id}: {row.runbook} for {row.client or '-'} by {row.operator or '-'}")
    click.echo(f"  {_when(row.started_at)} → {_when(row.finished_at)}  {row.verdict.upper()}")
    for name, value in row.facts.items():
        click.echo(f"  {name.replace('_', ' ')}: {value}")
    if row.run_dir:
        click.echo(f"  run dir: {row.run_dir}")
    for step in row.steps:
        took = f"{step.duration:6.2f}s" if step.duration is not None else "       "
        click.echo(f"  {step.status:<8} {took}  {step.description}")
        if step.message and step.status != "passed":
            click.echo(f"                    {step.message}")
    if row.verdict != "passed" and row.message:
        click.echo(f"\nwhy: {row.message}")
        failed = row.failed
        if failed is not None and failed.source:
            _print_yaml(failed.source, failed.description)
            around = [step.description or step.path for step in row.around(failed)]
            if around:
                click.echo(f"inside: {' › '.join(around)}")


def _print_yaml(source: str, description: str | None) -> None:
    from pathlib import Path

    from bot import Source

    name, _, line = source.rpartition(":")
    if line.isdigit() and Path(name).is_file():
        click.echo(
            f"the step ({source}, {description}):" if description else f"the step ({source}):"
        )
        click.echo(Source(name, Path(name).read_text(encoding="utf-8")).lines_around(int(line), 3))


@click.command()
@click.argument("run_id")
@click.option("--open", "open_it", is_flag=True, help="open it in the default browser")
@click.option(
    "--self-contained",
    "shared",
    is_flag=True,
    help="write report-shared.html: one file with the screenshots inside, to attach to a ticket",
)
@click.pass_context
def report(ctx: click.Context, run_id: str, open_it: bool, shared: bool) -> None:
    """Print the path of a run's HTML report (`--open` opens it).

    report.html shows the screenshots kept beside it in the run folder; `--self-contained`
    writes a copy with them inside, to share.

    \b
    Examples:
      bot report 1a2b3c4d --open
      bot report 1a2b3c4d --self-contained
    """
    row = recorded_run(ctx, run_id)
    if not row.report_path or not Path(row.report_path).exists():
        raise missing_evidence(row, "report", "its evidence could not be written")
    path = Path(row.report_path)
    if shared:
        from bot import write_shared_html

        if not (path.parent / "report.json").is_file():
            raise click.ClickException(f"run {run_id} has no report.json to share it from")
        try:
            path = write_shared_html(path.parent)
        except OSError as exc:
            why = exc.strerror or str(exc)
            raise click.ClickException(
                f"cannot write {path.parent / 'report-shared.html'} ({why}): check that the run "
                "folder is yours and writable (run folders are their owner's alone)"
            ) from None
    click.echo(path)
    if open_it and not _opened_in_a_window(path):
        click.echo(f"no browser window could be opened here: open {path} in a browser", err=True)


def _opened_in_a_window(path: Path) -> bool:
    """Whether the desktop was asked to show `path`. A Linux without a display (SSH, a
    container) has no window to open: xdg-open would only print its own failures."""
    import os
    import sys

    desktop = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY")
    )
    return desktop and click.launch(str(path)) == 0
