"""Reliability fixtures: the session's simulators (reset before each test) and a bot for them.

The simulators come from `bot_sim.pytest_fixtures`; `rbot` writes a `sandbox` config (and its
`.env`) for them under tmp_path, so every run folder, the history and the client locks of a test
live in that test's own folder.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bot_sim.harness import Simulators
from rel_helpers import RelBot
from support.pages import serve_folder

PAGES = Path(__file__).parent / "pages"


@pytest.fixture
def rbot(sims: Simulators, tmp_path: Path) -> RelBot:
    return RelBot(sims, tmp_path / "bot")


@pytest.fixture(scope="session")
def pages_url() -> Iterator[str]:
    """tests/reliability/pages on a loopback port."""
    with serve_folder(PAGES) as url:
        yield url


HANGING_SITE_PAGE = b"""<!doctype html><title>Start</title>
<a href="/hang">Go on</a>
<form method="post" action="/hang"><button>Send</button></form>"""


@pytest.fixture
def hanging_site() -> Iterator[str]:
    """`/` a page with a link and a form to `/hang`, which never answers."""
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            if self.path.startswith("/hang"):
                release.wait()  # the connection stays open, nothing is sent
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(HANGING_SITE_PAGE)))
            self.end_headers()
            self.wfile.write(HANGING_SITE_PAGE)

        do_GET = do_POST = _serve

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()
