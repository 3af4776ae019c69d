"""One run per client at a time: a second run waits (up to a limit) or refuses; never both."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from bot.errors import BotError


class ClientBusy(BotError):
    """Another run holds the client: this one started nothing, so it exits as bad input does."""

    exit_code = 2


@contextmanager
def client_lock(folder: Path, client: str, wait: float = 0.0) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / f"{client}.lock"))
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise ClientBusy(
            f"another run for client '{client}' is in progress; not starting a second "
            "one (they would interleave). Try again when it has finished."
        ) from None
    try:
        yield
    finally:
        lock.release()
