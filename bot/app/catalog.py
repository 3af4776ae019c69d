"""Where runbooks live: `<name>.yaml` files in the configured folders, then the built-in ones
that ship inside the package; loaded once each.

A runbook is found by its name, and only inside those folders (a `use:` can reach nothing else);
the command line may also name a runbook file by its path (`bot validate path/to/file.yaml`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import InputError
from bot.language.diagnostics import did_you_mean
from bot.language.document import Runbook
from bot.language.loader import load_runbook
from bot.language.registry import Registry

if TYPE_CHECKING:
    from bot.app.config import Config

BUILTIN_LABEL = "built-in"
RUNBOOK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def builtin_runbooks() -> Path:
    """The folder of the runbooks that come with the bot (the article's): the data package
    `bot.runbooks`, which is the checkout's runbooks/ in an editable install."""
    folder = files("bot.runbooks")
    if not isinstance(folder, Path):  # a zipped install: the catalog needs real files
        raise InputError(f"the built-in runbooks are not files ({folder}): reinstall runbook-bot")
    return folder


class Catalog:
    """The runbooks in `folders` (the first folder holding a name wins), parsed for `registry`."""

    def __init__(self, folders: Sequence[Path], registry: Registry) -> None:
        self.folders = _unique(folders)
        self.registry = registry
        self._cache: dict[Path, Runbook] = {}

    @classmethod
    def for_config(cls, config: Config, registry: Registry) -> Catalog:
        """The config's runbook folders, then the built-in runbooks: a file of the same name in
        a config folder overrides a built-in runbook."""
        folders = [config.resolve(folder) for folder in config.runbooks]
        return cls([*folders, builtin_runbooks()], registry)

    def origin(self, name: str) -> str:
        """Where `name` comes from: `built-in`, or its file (and whether it overrides one)."""
        path = self.path_of(name)
        if path is None:
            return "-"
        if path.parent.resolve() == builtin_runbooks().resolve():
            return BUILTIN_LABEL
        shadowed = (builtin_runbooks() / path.name).is_file()
        return f"{path}, overriding the built-in one" if shadowed else str(path)

    def names(self) -> list[str]:
        found = {
            path.stem
            for folder in self.folders
            if folder.is_dir()
            for path in folder.glob("*.yaml")
            if RUNBOOK_NAME.match(path.stem) and path.is_file()  # a folder named x.yaml is none
        }
        return sorted(found)

    def stray_files(self) -> list[Path]:
        """`NAME.yml` files in the folders: never found by `bot run` or `use:` (a runbook is
        `NAME.yaml`), so `bot validate` names each rather than skipping it in silence."""
        return sorted(
            path for folder in self.folders if folder.is_dir() for path in folder.glob("*.yml")
        )

    def path_of(self, name: str, *, files: bool = True) -> Path | None:
        """The file of the runbook `name` inside the folders; with `files`, `name` may also be
        the path of a runbook file (what a person types on the command line)."""
        candidate = Path(name)
        if files and candidate.suffix in (".yaml", ".yml") and candidate.is_file():
            return candidate
        if not RUNBOOK_NAME.match(name):
            return None
        for folder in self.folders:
            path = folder / f"{name}.yaml"
            if path.is_file() and path.resolve().is_relative_to(folder.resolve()):
                return path
        return None

    def find(self, name: str, *, files: bool = True) -> Runbook | None:
        """The runbook, or None when there is no such file (invalid files still raise)."""
        path = self.path_of(name, files=files)
        if path is None:
            return None
        key = path.resolve()
        if key not in self._cache:
            self._cache[key] = load_runbook(path, self.registry)
        return self._cache[key]

    def find_named(self, name: str) -> Runbook | None:
        """A runbook by name only, inside the folders: what `use:` may reach."""
        return self.find(name, files=False)

    def get(self, name: str, *, files: bool = True) -> Runbook:
        runbook = self.find(name, files=files)
        if runbook is None:
            stray = next((p for p in self.stray_files() if p.stem == name), None)
            if stray is not None:
                raise InputError(
                    f"unknown runbook '{name}': {stray} is not read, as runbooks are found by "
                    f"their file's name NAME.yaml — rename it to {stray.with_suffix('.yaml')}"
                )
            if files and ("/" in name or name.endswith((".yaml", ".yml"))):
                raise InputError(  # meant as a file: say so, not "unknown runbook"
                    f"no such file: {name} — check the path, or give a runbook of the runbook "
                    f"folders by its name{did_you_mean(Path(name).stem, self.names())}"
                )
            where = ", ".join(str(f) for f in self.folders)
            raise InputError(
                f"unknown runbook '{name}'{did_you_mean(name, self.names())} "
                f"(looked in {where}; `bot list` shows them)"
            )
        return runbook

    def get_named(self, name: str) -> Runbook:
        """`get` by name only, inside the folders (for `use:` while running)."""
        return self.get(name, files=False)


def _unique(folders: Sequence[Path]) -> list[Path]:
    """The folders in order, each once (a config folder may be the built-in one in a checkout)."""
    seen: set[Path] = set()
    kept = []
    for folder in folders:
        key = folder.resolve()
        if key not in seen:
            seen.add(key)
            kept.append(folder)
    return kept
