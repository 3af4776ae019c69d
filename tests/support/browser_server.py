"""A Playwright browser server on loopback, as a browser grid offers one: npm playwright-core's
`launchServer` (tests/node/browser_server.mjs) with the system's Chromium."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from support.node import NODE_DIR, node_with

SCRIPT = NODE_DIR / "browser_server.mjs"


@dataclass
class BrowserServer:
    process: subprocess.Popen[str]
    ws_endpoint: str

    def kill(self) -> None:
        """Die at once, browser and all (its own process group), as a crashed grid node does."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@contextmanager
def browser_server(executable: str) -> Iterator[BrowserServer]:
    """A server running `executable` (a Chromium), stopped (killed) when the block ends."""
    process = subprocess.Popen(
        [node_with("playwright-core"), str(SCRIPT), json.dumps({"executablePath": executable})],
        cwd=NODE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: kill() takes its Chromium along
    )
    server = None
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            _, stderr = process.communicate(timeout=30)
            raise RuntimeError(f"the browser server did not start:\n{stderr}")
        server = BrowserServer(process, json.loads(line)["wsEndpoint"])
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
