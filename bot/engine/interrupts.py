"""Ctrl-C and SIGTERM while a run goes: stop cleanly after the current step; twice, stop at once.

A KeyboardInterrupt raised at an arbitrary point can land inside Playwright's own event-loop
callbacks and break its connection to the browser, losing the trace. So the first signal only asks
the engine to stop before its next step (steps are bounded by their timeouts); a second one raises.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

STOP_REQUESTED = threading.Event()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if STOP_REQUESTED.is_set():
        raise KeyboardInterrupt
    STOP_REQUESTED.set()
    if signum == signal.SIGTERM:  # `kill`, a CI job cancelled: nobody at a keyboard
        said = "terminated: stopping after the current step (a second SIGTERM stops at once)"
    else:
        said = "stopping after the current step (Ctrl-C again to stop at once)"
    sys.stderr.write(f"\n{said}\n")


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def install_immediate() -> None:
    """SIGTERM stops a command like Ctrl-C does (every command; `bot run` refines it).

    SIGINT is routed too: Python leaves it ignored when the process was started so (a script's
    background job: `bot sim up &`), and then a Ctrl-C or `kill -INT` would never stop it.
    """
    signal.signal(signal.SIGINT, _raise_interrupt)
    signal.signal(signal.SIGTERM, _raise_interrupt)


def install() -> None:
    """Route SIGINT and SIGTERM through the graceful stop (`bot run` calls this)."""
    STOP_REQUESTED.clear()
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)


def stop_requested() -> bool:
    return STOP_REQUESTED.is_set()
