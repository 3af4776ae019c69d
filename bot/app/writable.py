"""Before a run starts: the folders it writes (run folders, the history, the client locks) can be
written. A run that cannot keep its evidence or its record must not act on a client's systems."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bot.app.config import Config
from bot.errors import InputError
from bot.evidence import History

PROBE_BYTES = 64 * 1024  # a full disk refuses this much; reports and traces need more


class NotWritable(InputError):
    """A folder a run writes to is read-only, full or not a folder: nothing was started."""


def check_writable(config: Config, client: str | None) -> None:
    """Raise NotWritable (exit 2) naming the folder, the config key and the fix; an existing
    history that cannot be used raises HistoryUnusable (exit 2) the same way."""
    history = config.resolve(config.runs.history)
    places = [
        ("run folders", config.resolve(config.runs.root), "runs.root"),
        ("the run history", history.parent, "runs.history"),
    ]
    if client:
        places.append(("client locks", config.resolve(".bot/locks"), "the working folder"))
    for what, folder, key in places:
        problem = _write_problem(folder)
        if problem is not None:
            raise NotWritable(
                f"{config.path or 'config'}: {key}: cannot write {what} in {folder} ({problem}); "
                "nothing was started: make it writable or free some space there"
                + (f", or set `{key}` to another folder" if key.startswith("runs.") else "")
            )
    if history.exists():  # damaged, locked or read-only: said (HistoryUnusable) before a start
        opened = History(history)
        try:
            opened.check_writable()
        finally:
            opened.close()


def _write_problem(folder: Path) -> str | None:
    """Why a file cannot be written in `folder`, or None. A folder not made yet is judged by
    the nearest one that exists (where the run would make it); nothing is left behind."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".bot-probe-") as probe:
            probe.write(b"\0" * PROBE_BYTES)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None
