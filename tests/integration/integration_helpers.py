"""Pieces the integration tests share: the page server, the two origins, a run's outcome."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from support.pages import serve_folder

from bot import Event, RunResult, StepEvent

PAGES = Path(__file__).parent / "pages"
SECRET_VALUE = "Pw-0f-the-integration-user"


class _Pages(SimpleHTTPRequestHandler):
    """Static pages, plus `/redirect?to=URL` (302) to move to another origin."""

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", parse_qs(parts.query)["to"][0])
            self.end_headers()
            return
        if parts.path == "/slow/connect/authorize":  # an OAuth error page whose words come late
            self._slowly(400, "<h1>Error</h1>", "<p>The client application is not known.</p>")
            return
        super().do_GET()

    def _slowly(self, status: int, first: str, then: str) -> None:
        """A page sent in two parts: its status and `first` at once, `then` 1.5 s later (while
        the browser shows it, still loading)."""
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(f"<!doctype html><html><body>{first}".encode())
        self.wfile.flush()
        time.sleep(1.5)  # the server's slowness, not the bot's
        self.wfile.write(f"{then}</body></html>".encode())

    def do_POST(self) -> None:
        """`/answer?ms=N&status=S`: a slow server's answer to a background save (a switch)."""
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path == "/slow/save":  # a gateway's error page, sent slowly
            self._slowly(502, "<h1>502 Bad Gateway</h1>", "<p>The upstream server is down.</p>")
            return
        if parts.path == "/slow/sign-in":  # a page saying the account is locked, sent slowly
            self._slowly(200, "<h1>Sign in</h1>", "<p>Your account is locked out.</p>")
            return
        if parts.path != "/answer":  # as before: a static server does not take POSTs
            self.send_error(501, f"Unsupported method ({self.command!r})")
            return
        time.sleep(int(query.get("ms", ["0"])[0]) / 1000)  # the server's slowness, not the bot's
        self.send_response(int(query.get("status", ["200"])[0]))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


@dataclass(frozen=True)
class Site:
    """One served origin; `site("form.html")` is a page's URL."""

    url: str  # http://127.0.0.1:PORT

    def __call__(self, path: str) -> str:
        return f"{self.url}/{path.lstrip('/')}"


def serve() -> Iterator[Site]:
    with serve_folder(PAGES, _Pages) as url:
        yield Site(url)


@dataclass
class Outcome:
    result: RunResult
    events: list[Event]
    run_dir: Path

    @property
    def verdict(self) -> str:
        return self.result.verdict

    @property
    def message(self) -> str:
        return self.result.error.message if self.result.error else ""

    @property
    def kind(self) -> str:
        return str(self.result.error.kind) if self.result.error else ""

    @property
    def vars(self) -> dict[str, str]:
        return self.result.vars

    def steps(self, status: str | None = None) -> list[StepEvent]:
        return [
            e
            for e in self.events
            if isinstance(e, StepEvent) and (status is None or e.status == status)
        ]


RunYaml = Callable[..., Outcome]
