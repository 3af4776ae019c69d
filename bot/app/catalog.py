"""Where runbooks live: `<name>.yaml` files in the configured folders, loaded once each."""

from __future__ import annotations

from pathlib import Path

from bot.errors import InputError
from bot.language.diagnostics import did_you_mean
from bot.language.document import Runbook
from bot.language.loader import load_runbook
from bot.language.registry import Registry


def builtin_runbooks() -> Path:
    """The folder of the runbooks that come with the bot (the article's)."""
    return Path(__file__).resolve().parents[2] / "runbooks"


class Catalog:
    """The runbooks in `folders` (the first folder holding a name wins), parsed for `registry`."""

    def __init__(self, folders: list[Path], registry: Registry) -> None:
        self.folders = folders
        self.registry = registry
        self._cache: dict[Path, Runbook] = {}

    def names(self) -> list[str]:
        found = {
            path.stem
            for folder in self.folders
            if folder.is_dir()
            for path in folder.glob("*.yaml")
        }
        return sorted(found)

    def path_of(self, name: str) -> Path | None:
        candidate = Path(name)
        if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
            return candidate
        for folder in self.folders:
            path = folder / f"{name}.yaml"
            if path.is_file():
                return path
        return None

    def find(self, name: str) -> Runbook | None:
        """The runbook, or None when there is no such file (invalid files still raise)."""
        path = self.path_of(name)
        if path is None:
            return None
        key = path.resolve()
        if key not in self._cache:
            self._cache[key] = load_runbook(path, self.registry)
        return self._cache[key]

    def get(self, name: str) -> Runbook:
        runbook = self.find(name)
        if runbook is None:
            where = ", ".join(str(f) for f in self.folders)
            raise InputError(
                f"unknown runbook '{name}'{did_you_mean(name, self.names())} "
                f"(looked in {where}; `bot list` shows them)"
            )
        return runbook
