"""Reliability fixtures: the session's simulators (reset before each test) and a bot for them.

The simulators come from `fixtures.pytest_fixtures` (each test module names it in
`pytest_plugins`); `rbot` writes a `sandbox` config for them under tmp_path, so every run folder,
the history and the client locks of a test live in that test's own folder.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from rel_helpers import RelBot

from fixtures.harness import Simulators

PAGES = Path(__file__).parent / "pages"


@pytest.fixture
def rbot(sims: Simulators, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RelBot:
    made = RelBot(sims, tmp_path / "bot", monkeypatch)
    made.folder.mkdir()
    made.write()
    return made


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def pages_url() -> Iterator[str]:
    """tests/reliability/pages on a loopback port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(PAGES)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()
