"""`bot sim up`: run the bundled Assignar and Acumatica simulators on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

ACUMATICA_VERSIONS = ("23.200.0151", "24.105.0012", "25.101.0153")


@click.group()
def sim() -> None:
    """The bundled simulators of Assignar and Acumatica (loopback only).

    \b
    Example:
      bot sim up --version 23.200.0151
    """


@sim.command()
@click.option(
    "--version",
    "version",
    type=click.Choice(ACUMATICA_VERSIONS),
    default=None,
    help="Acumatica build (default 24.105.0012, 2024 R1)",
)
@click.option(
    "--layout", type=click.Choice(["menu", "pencil"]), default=None, help="Assignar page layout"
)
@click.option("--base-path", default=None, metavar="PATH", help="Acumatica virtual directory")
@click.option(
    "--clients",
    type=click.IntRange(1, 200),
    default=None,
    metavar="N",
    help="N independent client worlds (client01…), each its own pair of simulators",
)
@click.option(
    "--write-config",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="write DIR/config.yaml (client 'sandbox', or client01… with --clients) and DIR/.env "
    "(never over ones `bot sim up` did not write)",
)
@click.option(
    "--vary",
    multiple=True,
    metavar="AXIS=VALUE",
    help="fix a variation axis (repeatable); `bot sim axes` lists them",
)
@click.option("--seed", type=int, default=None, help="draw the axes not fixed at random")
@click.option("--test-mode/--no-test-mode", default=True, help="serve the /__sim__/ control API")
def up(
    version: str | None,
    layout: str | None,
    base_path: str | None,
    clients: int | None,
    write_config: Path | None,
    vary: tuple[str, ...],
    seed: int | None,
    test_mode: bool,
) -> None:
    """Start both simulators, print their URLs and demo logins; Ctrl-C stops them.

    \b
    Examples:
      bot sim up
      bot sim up --version 23.200.0151 --layout pencil --base-path /AcumaticaERP
      bot sim up --vary casing=upper --vary dropdown=combobox --seed 7
      bot sim up --write-config /tmp/sandbox   # then: bot --config /tmp/sandbox/config.yaml …
      bot sim up --clients 12 --write-config /tmp/fleet   # then: bot … fleet run reauthorize
    """
    from bot import require_simulators

    require_simulators("bot sim up")
    if write_config is not None:
        _refuse_to_overwrite(write_config)  # before anything starts
    if base_path is not None and not base_path.startswith("/"):
        raise click.BadParameter(
            f"{base_path!r} is a path on the server: it starts with '/' (e.g. /AcumaticaERP)",
            param_hint="'--base-path'",
        )
    from bot_sim.harness import run_forever, start_simulators
    from bot_sim.variation import parse_vary
    from bot_sim.worlds import start_worlds

    try:
        options: dict[str, Any] = {
            "version": version,
            "layout": layout,
            "base_path": base_path,
            "test_mode": test_mode,
            "vary": parse_vary(vary),
            "seed": seed,
        }
        sims = start_worlds(clients, **options) if clients else start_simulators(**options)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--vary") from None
    if write_config is not None:
        try:
            _write_config(write_config, sims)
        except OSError as exc:
            from bot import InputError

            why = exc.strerror or str(exc)
            raise InputError(f"--write-config {write_config}: cannot write there ({why})") from None
        click.echo(f"wrote {write_config / 'config.yaml'} and {write_config / '.env'}")
    run_forever(sims)


def _write_config(folder: Path, sims: Any) -> None:
    """DIR/config.yaml (the sandbox clients, the built-in runbooks) and DIR/.env (mode 0600)."""
    from bot import sandbox_config, sandboxes, write_env_file

    config = sandbox_config(sims, [])  # the built-in runbooks
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml").write_text(f"{WRITTEN_BY}\n{config.to_yaml()}", encoding="utf-8")
    env = {name: value for box in sandboxes(sims).values() for name, value in box.env.items()}
    write_env_file(folder / ".env", env)


WRITTEN_BY = "# written by `bot sim up --write-config` (it replaces this file next time)"


def _written_by_sim_up(config: Path) -> bool:
    try:
        with config.open(encoding="utf-8", errors="replace") as existing:
            return existing.readline().rstrip("\n") == WRITTEN_BY
    except OSError:
        return False


def _refuse_to_overwrite(folder: Path) -> None:
    """DIR's config.yaml and .env may be a user's (clients, passwords): only those beside a
    config.yaml an earlier `bot sim up --write-config` wrote (its first line says so) are
    replaced."""
    from bot import InputError

    nearest = next((p for p in (folder, *folder.absolute().parents) if p.exists()), folder)
    if not nearest.is_dir():
        raise InputError(f"--write-config {folder}: {nearest} is not a folder: pass a folder")
    ours = _written_by_sim_up(folder / "config.yaml")  # its .env is then ours too
    taken = [n for n in ("config.yaml", ".env") if (folder / n).exists() and not ours]
    if taken:
        raise InputError(
            f"{folder} already has {' and '.join(taken)}, not written by `bot sim up`: it never "
            "overwrites them (they may hold your clients and passwords): pass another "
            "--write-config DIR"
        )


@sim.command()
def axes() -> None:
    """List the variation axes `bot sim up --vary` accepts, with their values (default first)."""
    from bot_sim.variation import AXES

    width = max(len(name) for name in AXES)
    for axis in AXES.values():
        click.echo(f"{axis.name.ljust(width)}  {' | '.join(axis.values)}")
        click.echo(f"{''.ljust(width)}  {axis.doc}")
