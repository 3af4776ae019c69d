"""`bot ARGS…` through the real entry point (`bot.cli.main`) in-process, with a browser that must
not start: for checks that end before any browser (exit 2, a message, nothing written)."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from bot.app import run as execute_module
from bot.cli import main
from support.project import Result


@contextmanager
def bot_without_browser(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Callable[..., Result]]:
    """Yields `bot(*args) -> Result`; fails the test if a run reaches the browser."""
    started: list[str] = []

    def no_browser(*args: object, **kwargs: object) -> None:
        started.append("a browser run")
        raise AssertionError("bad input reached the browser")

    monkeypatch.setattr(execute_module, "_run_prepared", no_browser)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def bot(*args: str) -> Result:
        monkeypatch.setattr(sys, "argv", ["bot", *args])
        code: object = 0
        try:
            main()
        except SystemExit as exit_info:
            code = exit_info.code
        captured = capsys.readouterr()
        assert started == [], "a browser was started"
        return Result(code if isinstance(code, int) else 1, captured.out, captured.err)

    try:
        yield bot
    finally:
        for sig, handler in handlers.items():  # main() installs the graceful-stop handlers
            signal.signal(sig, handler)
