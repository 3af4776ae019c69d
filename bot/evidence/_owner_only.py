"""Evidence is client data: every file the bot writes into a run folder or the history is for
its owner only (0600), and every folder it makes for them too (0700), whatever the umask."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "make_private",
    "private_file",
    "private_folder",
    "private_if_there",
]

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """`path` and each missing folder above it, made for the owner only (existing ones are
    left as they are: a folder the user made, such as `runs/`, keeps the user's mode)."""
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another run made it meanwhile
            folder.mkdir(mode=FOLDER_MODE)
            folder.chmod(FOLDER_MODE)  # mkdir's mode is narrowed by the umask, never widened
    return path


def private_file(path: Path) -> Path:
    """`path` created empty for the owner only when missing, made so when it exists: whoever
    writes into it next (SQLite) keeps that mode. An existing file is never opened: closing any
    descriptor of a database drops the locks its open connections in this process hold."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # made meanwhile: then only its mode
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    private_if_there(path)
    return path


def private_if_there(path: Path) -> None:
    """`path` made for the owner only if it exists; never created (SQLite's -wal and -shm: one
    made by anyone but SQLite, after another connection removed it, breaks the database)."""
    # another user's file (a shared history) keeps the mode its owner gave it
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
            path.chmod(FILE_MODE)


def make_private(root: Path) -> None:
    """Every file under `root` 0600 and every folder 0700, `root` included: what others wrote
    there (Playwright's trace and screenshots) with the umask's mode."""
    if not root.is_dir() or root.is_symlink():
        return
    root.chmod(FOLDER_MODE)
    for item in root.rglob("*"):
        if not item.is_symlink():
            item.chmod(FOLDER_MODE if item.is_dir() else FILE_MODE)
