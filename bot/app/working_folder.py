"""A user's working folder: `bot init` (config, .env.example, .gitignore) and copies of built-in
runbooks to edit (`bot runbooks copy`). Nothing existing is ever overwritten."""

from __future__ import annotations

import shutil
from contextlib import suppress
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from bot.app.catalog import builtin_runbooks
from bot.errors import InputError
from bot.language.diagnostics import did_you_mean

# what `bot init` writes, and the starter file each comes from (bot/app/starter/)
STARTER_FILES = {"config.yaml": "config.yaml", ".env.example": "env.example"}
GITIGNORE = ".gitignore"
SCHEMA = "runbook.schema.json"


@dataclass
class WorkingFolder:
    """What `create_working_folder` did in `folder`."""

    folder: Path
    written: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # lines added to an existing .gitignore


def starter_text(name: str) -> str:
    return files("bot.app").joinpath("starter", name).read_text(encoding="utf-8")


def create_working_folder(folder: Path) -> WorkingFolder:
    """Write config.yaml and .env.example into `folder` (refusing if either exists: nothing is
    written then), and a .gitignore for .env, runs/ and .bot/ (an existing one gains the lines
    it lacks)."""
    taken = [name for name in STARTER_FILES if (folder / name).exists()]
    if taken:
        raise InputError(
            f"{folder.resolve()} already has {' and '.join(taken)}: bot init never overwrites "
            "(remove them, or run `bot init OTHER_DIR`)"
        )
    done = WorkingFolder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, source in STARTER_FILES.items():
            (folder / name).write_text(starter_text(source), encoding="utf-8")
            done.written.append(name)
        _ignore(folder / GITIGNORE, done)
    except OSError as exc:
        for name in done.written:  # all or nothing: a second `bot init` must not find half
            with suppress(OSError):
                (folder / name).unlink(missing_ok=True)
        raise cannot_write(folder, exc, "bot init OTHER_DIR") from None
    return done


def cannot_write(folder: Path, exc: OSError, instead: str) -> InputError:
    """A folder that cannot be made or written (read-only, a file, no space): exit 2, the fix."""
    place = folder.resolve()
    nearest = next((p for p in (place, *place.parents) if p.exists()), place)
    why = f"{nearest} is not a folder" if not nearest.is_dir() else (exc.strerror or str(exc))
    return InputError(
        f"cannot write in {place} ({why}); nothing was written: make it writable, "
        f"or run `{instead}` with a folder you can write to"
    )


def _ignore(path: Path, done: WorkingFolder) -> None:
    wanted = starter_text("gitignore")
    if not path.exists():
        path.write_text(wanted, encoding="utf-8")
        done.written.append(GITIGNORE)
        return
    existing = path.read_text(encoding="utf-8")
    present = {line.strip() for line in existing.splitlines()}
    lines = [line for line in wanted.splitlines() if line and not line.startswith("#")]
    missing = [line for line in lines if line not in present]
    if missing:
        separator = "" if not existing or existing.endswith("\n") else "\n"
        path.write_text(existing + separator + "\n".join(missing) + "\n", encoding="utf-8")
        done.ignored = missing


def copy_builtin_runbook(name: str, folder: Path) -> Path:
    """Copy the built-in runbook `name` (and the schema editors use, when absent) into `folder`.
    Refuses to overwrite a file of that name."""
    source = builtin_runbooks() / f"{name.removesuffix('.yaml')}.yaml"
    if not source.is_file():
        names = sorted(path.stem for path in builtin_runbooks().glob("*.yaml"))
        hint = did_you_mean(name, names)  # the valid names, when none is close
        listed = "" if hint.startswith(" (valid:") else f" (the built-in ones: {', '.join(names)})"
        raise InputError(f"no built-in runbook '{name}'{hint}{listed}")
    target = folder / source.name
    if target.exists():
        raise InputError(f"{target} already exists: bot never overwrites it (edit it, or pick DIR)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        if not (folder / SCHEMA).exists():
            shutil.copyfile(builtin_runbooks() / SCHEMA, folder / SCHEMA)
    except OSError as exc:
        with suppress(OSError):  # it did not exist before: nothing half-copied stays
            target.unlink(missing_ok=True)
        raise cannot_write(folder, exc, f"bot runbooks copy {source.stem} DIR") from None
    return target
