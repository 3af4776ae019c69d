"""Playwright's trace viewer served over HTTP, for tests that check a trace still opens in it."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def show_trace(trace: Path) -> Iterator[str]:
    """`playwright show-trace --host 127.0.0.1 --port 0 trace.zip`: the viewer over HTTP."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DISPLAY", "WAYLAND_DISPLAY"}
    }
    environment["BROWSER"] = "true"  # xdg-open must not pop a tab on a desktop
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "playwright",
            "show-trace",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            str(trace),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environment,
        start_new_session=True,
    )
    try:
        yield _listening_url(process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def _listening_url(process: subprocess.Popen[bytes], timeout: float = 30) -> str:
    """The URL show-trace prints; read from the raw pipe (its first line is empty)."""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    output = b""
    while time.monotonic() < deadline and selector.select(deadline - time.monotonic()):
        chunk = os.read(process.stdout.fileno(), 4096)
        output += chunk
        match = re.search(rb"Listening on (http://\S+)", output)
        if match:
            return match.group(1).decode()
        if not chunk:
            break
    pytest.fail("show-trace did not start: " + output.decode(errors="replace"))
