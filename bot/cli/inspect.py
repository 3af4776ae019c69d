"""Commands that look without running: validate, list, plan, schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bot import StepNode

from bot.cli._shared import complete_clients, complete_runbooks, load, parse_params


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--client", "-c", shell_complete=complete_clients, help="also check for this client")
@click.option("--all-clients", is_flag=True, help="also check for every client in the config")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="a runbook param")
@click.pass_context
def validate(
    ctx: click.Context,
    paths: tuple[Path, ...],
    client: str | None,
    all_clients: bool,
    params: tuple[str, ...],
) -> None:
    """Check runbooks without a browser: every problem in every file, with path:line.

    With --client (or --all-clients, and --param), everything `bot run` checks before its
    browser starts: every `client.x` against the client's settings and the runbook's
    `requires:`, the client's secrets (resolved, never shown), the params, and how the runbooks
    it `use`s handle secrets with them.

    \b
    Examples:
      bot validate                          # every runbook in the runbooks folder
      bot validate runbooks/reauthorize.yaml
      bot validate --all-clients            # every runbook for every client
      bot validate reauthorize --client acme --param password_secret=new_user_password
    """
    from bot import (
        BotError,
        ValidationFailed,
        check_client_secrets,
        client_settings,
        get_checked,
        make_plan,
        masked_for_clients,
        with_count,
    )
    from bot import validate as check

    config, catalog = load(ctx)
    if params and not paths:
        raise click.UsageError("--param needs the runbook(s) to check, e.g. `bot validate NAME`")
    if client is not None and all_clients:
        raise click.UsageError("give --client NAME or --all-clients, not both")
    targets = [str(p) for p in paths] or [*catalog.names(), *map(str, catalog.stray_files())]
    clients: list[str | None] = list(config.clients) if all_clients else [client]
    if not clients:  # --all-clients of a config without any: checking nothing is no pass
        from bot import InputError

        raise InputError(
            f"{config.path}: --all-clients: no clients to check{config.no_client_hint()}"
        )
    given = parse_params(params)
    # each client's problems, each said once with the runbooks it was found for (a secret the
    # client lacks is the same problem for every runbook that needs it)
    problems: dict[str | None, dict[str, list[str]]] = {}
    known = [name for name in clients if name is not None]  # every message masks their secrets
    for name in clients:
        for target in targets:
            shown = target if name is None or client is not None else f"{target}  for {name}"
            try:
                spec = config.client(name) if name is not None else None
                settings = client_settings(name, spec) if spec and name else None
                runbook = get_checked(catalog, target, spec, settings)
                needs = [p for p, spec in runbook.head.params.items() if spec.required]
                if name is None:
                    check(runbook, catalog, None, None)
                elif not paths and set(needs) - set(given):
                    # a part other runbooks `use` with its params: checked for the client
                    # without them (its callers' `with:` are checked with theirs), and its
                    # secrets as `bot run` would
                    check(runbook, catalog, spec, settings)
                    check_client_secrets(config, name)
                else:  # built-in simulators hand out their passwords only when they start
                    resolve = config.client(name).simulators != "builtin"
                    make_plan(config, catalog, target, name, given, resolve=resolve)
                click.echo(f"ok    {shown}")
            except BotError as exc:
                blocks = exc.blocks() if isinstance(exc, ValidationFailed) else [exc.message]
                for block in blocks:
                    masked = masked_for_clients(config, known, block)
                    problems.setdefault(name, {}).setdefault(masked, []).append(target)
                click.echo(f"FAIL  {shown}")
    if problems:
        said = [
            (f"for client {name}:\n" if all_clients else "")
            + with_count(
                [_for_runbooks(block, found, targets) for block, found in found_by.items()]
            )
            for name, found_by in problems.items()
        ]
        click.echo("\n" + "\n\n".join(said), err=True)
        ctx.exit(2)


def _for_runbooks(block: str, found: list[str], targets: list[str]) -> str:
    """A problem, and the runbooks it was found for when more than one was checked."""
    if len(targets) < 2:
        return block
    return (
        f"{block}\n  (for {len(found)} runbook{'s' if len(found) != 1 else ''}: {', '.join(found)})"
    )


@click.command("list")
@click.pass_context
def list_runbooks(ctx: click.Context) -> None:
    """List the runbooks with their descriptions, params and where each comes from.

    Your runbook folders (`runbooks:` in the config) come first: a file there named like a
    built-in runbook overrides it (`bot runbooks copy NAME` makes such a copy to edit).

    \b
    Example:
      bot list
    """
    _, catalog = load(ctx)
    for name in catalog.names():
        runbook = catalog.get(name)
        click.echo(click.style(name, bold=True) + f"  {runbook.head.description.strip()}")
        click.echo(f"    from {catalog.origin(name)}")
        for param, spec in runbook.head.params.items():
            need = "required" if spec.required else _default(spec.default)
            bounds = _bounds(spec.minimum, spec.maximum)
            line = f"    --param {param}=…  ({spec.type}{bounds}, {need}) {spec.description or ''}"
            click.echo(line.rstrip())


def _default(value: object) -> str:
    """A param's default as it is typed after `--param NAME=`: `default true`, not `True`."""
    if value is None:
        return "optional"
    if isinstance(value, bool):
        return f"default {str(value).lower()}"
    return f"default {value!r}"


def _bounds(low: float | None, high: float | None) -> str:
    """' 1–60', ' ≥ 1', ' ≤ 60' or ''."""
    if low is not None and high is not None:
        return f" {low:g}–{high:g}"
    if low is not None:
        return f" ≥ {low:g}"
    return f" ≤ {high:g}" if high is not None else ""


@click.command()
@click.argument("runbook", shell_complete=complete_runbooks)
@click.option("--client", "-c", shell_complete=complete_clients, help="client name from the config")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE")
@click.pass_context
def plan(ctx: click.Context, runbook: str, client: str | None, params: tuple[str, ...]) -> None:
    """Show what RUNBOOK would do for a client: steps, settings, params; no browser.

    The client's secrets are resolved and checked as `bot run` does (exit 2 when one is
    missing), and shown masked.

    \b
    Example:
      bot plan reauthorize --client acme
    """
    from bot import MASK, make_plan

    config, catalog = load(ctx)
    # as `bot run` checks them; the built-in simulators hand out their passwords when they start
    resolve = client is None or config.client(client).simulators != "builtin"
    bound = make_plan(config, catalog, runbook, client, parse_params(params), resolve=resolve)
    click.echo(f"runbook  {bound.runbook.name}  ({bound.runbook.source.path})")
    if client:
        click.echo(f"client   {client}")
        for key, value in bound.client.items():
            click.echo(f"  {key}: {value}")
        for name, ref in bound.secret_refs.items():
            origin = "the built-in simulators, when they start" if bound.simulated else ref
            click.echo(f"  secret {name}: {MASK} (from {origin})")
    for key, value in bound.params.items():
        click.echo(f"param    {key} = {value!r}")
    click.echo("steps")
    _print_steps(bound.runbook.steps, 1)
    if bound.runbook.finally_:
        click.echo("finally")
        _print_steps(bound.runbook.finally_, 1)


def _print_steps(nodes: tuple[StepNode, ...], depth: int) -> None:
    for node in nodes:
        when = f"   [when {node.envelope.shown_when}]" if node.envelope.when else ""
        optional = "   [optional]" if node.envelope.optional else ""
        click.echo(f"{'  ' * depth}- {node.describe()}{when}{optional}   ({node.where})")
        _print_steps(node.children, depth + 1)


@click.command()
@click.option("--output", "-o", type=click.Path(path_type=Path), help="write to a file")
def schema(output: Path | None) -> None:
    """Print the runbook JSON Schema (for editors: `# yaml-language-server: $schema=…`).

    \b
    Example:
      bot schema -o runbooks/runbook.schema.json
    """
    import json

    from bot import BUILTIN, runbook_schema

    text = json.dumps(runbook_schema(BUILTIN), indent=2, sort_keys=True) + "\n"
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            from bot import InputError

            why = exc.strerror or str(exc)
            raise InputError(f"cannot write {output} ({why}): choose another -o PATH") from None
    else:
        click.echo(text, nl=False)
