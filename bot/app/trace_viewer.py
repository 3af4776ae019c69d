"""Playwright's trace viewer for one trace, served on loopback and opened in the bot's browser.

`playwright show-trace trace.zip` opens the viewer in Playwright's own Chromium, which machines
using the system's Chromium do not have; with `--port` it opens the desktop's default browser.
So the bot serves the viewer's static files (they ship with Playwright) and the trace itself from
a loopback server under a random path, and opens that URL in the browser it resolved itself.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from bot.app.browser import BrowserChoice
from bot.errors import BotError

VIEWER_TITLE = "Playwright Trace Viewer"


class ViewerError(BotError):
    """The trace viewer cannot start (exit 1)."""


def viewer_files() -> Path:
    """The trace viewer's static files inside the installed Playwright package."""
    import playwright

    folder = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "vite"
    folder /= "traceViewer"
    if not (folder / "index.html").is_file():
        raise ViewerError(
            f"Playwright {version('playwright')} has no trace viewer at {folder}: "
            "reinstall it (pip install --force-reinstall playwright)"
        )
    return folder


class _Handler(SimpleHTTPRequestHandler):
    """`{prefix}/trace/…`: the viewer's files; `{prefix}/trace.zip`: the trace; nothing else."""

    def __init__(self, *args: Any, prefix: str, trace: Path | None, **kwargs: Any) -> None:
        self.prefix, self.trace = prefix, trace
        super().__init__(*args, **kwargs)

    def send_head(self) -> Any:
        path = urlsplit(self.path).path
        if self.trace is not None and path == f"{self.prefix}/trace.zip":
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(self.trace.stat().st_size))
            self.end_headers()
            return self.trace.open("rb")
        if not path.startswith(f"{self.prefix}/trace/"):
            self.send_error(404)
            return None
        self.path = path.removeprefix(f"{self.prefix}/trace")  # served from the viewer's folder
        return super().send_head()

    def list_directory(self, path: Any) -> None:
        self.send_error(404)  # files only
        return None

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows the URL, not every request."""


class _Server(ThreadingHTTPServer):
    block_on_close = False  # stopping never waits for a browser that keeps a request open


@contextmanager
def serve_trace(trace: Path | None) -> Iterator[str]:
    """Serve the viewer (showing `trace`, if given) on 127.0.0.1; yield its URL while it runs."""
    if trace is not None and not trace.is_file():
        raise ViewerError(f"no trace at {trace}")
    prefix = "/" + secrets.token_urlsafe(16)  # other local users' pages cannot guess the path
    handler = partial(_Handler, prefix=prefix, trace=trace, directory=str(viewer_files()))
    try:
        server = _Server(("127.0.0.1", 0), handler)
    except OSError as exc:
        raise ViewerError(f"the trace viewer cannot listen on 127.0.0.1: {exc}") from None
    thread = threading.Thread(target=server.serve_forever, name="trace-viewer", daemon=True)
    thread.start()
    root = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    shown = f"?trace={quote(root + '/trace.zip', safe='')}" if trace is not None else ""
    try:
        yield f"{root}/trace/index.html{shown}"
    finally:
        server.shutdown()
        server.server_close()


def check_viewer() -> list[str]:
    """Problems that would stop `bot trace` (none when the viewer serves its page)."""
    try:
        with serve_trace(None) as url, urllib.request.urlopen(url, timeout=30) as answer:
            page = answer.read().decode("utf-8", errors="replace")
    except ViewerError as exc:
        return [exc.message]
    except OSError as exc:
        return [f"the trace viewer does not answer on loopback: {exc}"]
    return [] if VIEWER_TITLE in page else [f"the trace viewer at {url} served no viewer page"]


def show_in_browser(url: str, choice: BrowserChoice) -> None:
    """Open `url` in a window of the bot's own browser; return when that window is closed.
    Raises BotError when no window can be opened (no display, no browser)."""
    from playwright.sync_api import Error as PlaywrightError

    from bot.app.session import open_session

    with open_session(choice, headless=False, context_args={"no_viewport": True}) as session:
        session.page.goto(url)
        with contextlib.suppress(PlaywrightError):  # raised when the whole browser was closed
            session.page.wait_for_event("close", timeout=0)
