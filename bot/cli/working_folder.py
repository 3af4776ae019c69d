"""A working folder: `bot init [DIR]`, and `bot runbooks copy NAME [DIR]` to edit a built-in one."""

from __future__ import annotations

from pathlib import Path

import click

NEXT_STEPS = (
    ("bot doctor", "which browser runs, and what to fix"),
    ("bot run reauthorize --client demo", "the article end to end on the bundled simulators"),
    ("bot plan reauthorize --client acme", "after filling in your client in config.yaml"),
)


@click.command()
@click.argument("folder", metavar="[DIR]", default=".", type=click.Path(path_type=Path))
def init(folder: Path) -> None:
    """Create a working folder in DIR (default: here): config.yaml with the demo client and a
    template of a real one, .env.example, and a .gitignore for .env, runs/ and .bot/.

    Never overwrites: an existing config.yaml or .env.example stops it (exit 2).

    \b
    Examples:
      bot init
      bot init ~/support-runs
    """
    from bot import create_working_folder

    done = create_working_folder(folder)
    click.echo(f"created in {folder.resolve()}: {', '.join(done.written)}")
    if done.ignored:
        click.echo(f"added to .gitignore: {' '.join(done.ignored)}")
    where = "" if folder.resolve() == Path.cwd().resolve() else f" (in {folder})"
    click.echo(f"next{where}:")
    width = max(len(command) for command, _ in NEXT_STEPS)
    for command, why in NEXT_STEPS:
        click.echo(f"  {command:<{width}}   # {why}")


@click.group()
def runbooks() -> None:
    """The built-in runbooks: copy one out to change it.

    \b
    Example:
      bot runbooks copy reauthorize
    """


@runbooks.command()
@click.argument("name")
@click.argument("folder", metavar="[DIR]", required=False, type=click.Path(path_type=Path))
@click.pass_context
def copy(ctx: click.Context, name: str, folder: Path | None) -> None:
    """Copy the built-in runbook NAME into DIR (default: the config's first runbook folder, else
    ./runbooks) to edit it. A runbook folder of the config is searched before the built-in
    runbooks, so the copy then overrides the built-in one (`bot list` says so).

    \b
    Examples:
      bot runbooks copy reauthorize
      bot runbooks copy status my-runbooks
    """
    from bot import copy_builtin_runbook

    folders = _config_folders(ctx)
    target = copy_builtin_runbook(name, folder or (folders[0] if folders else Path("runbooks")))
    click.echo(f"copied the built-in {target.stem} to {target}")
    if any(target.parent.resolve() == known.resolve() for known in folders):
        click.echo("it now overrides the built-in one (`bot list` shows where each comes from)")
    else:
        click.echo(
            f"note: {target.parent} is not among the config's runbook folders: add it to "
            "`runbooks:` in config.yaml for the copy to be used"
        )


def _config_folders(ctx: click.Context) -> list[Path]:
    """The config's runbook folders; none when there is no config (yet). A broken one stops."""
    from bot import InputError, find_config, load_config

    try:
        path = find_config(ctx.obj.get("config_path") if ctx.obj else None)
    except InputError:
        return []
    config = load_config(path)
    return [config.resolve(folder) for folder in config.runbooks]
