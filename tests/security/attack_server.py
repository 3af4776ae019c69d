"""The attack pages (`pages/`) served on a loopback origin that remembers every request it got.

Besides the static pages: `/collect` (any method) takes what a page sends and answers 204;
`/form-post` answers a small page; `/api/session` hands out tokens under names a scrubber might
not know (`jwt`, `apiKey`, `sessionId`, `clientAssertion`, an `X-Acme-Api-Key` header).
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

from support.pages import serve_folder

PAGES = Path(__file__).parent / "pages"


@dataclass
class Received:
    """One request as the server got it: method, path with query, headers and body (raw)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def raw(self) -> bytes:
        head = "\n".join(f"{k}: {v}" for k, v in self.headers.items())
        return f"{self.method} {self.path}\n{head}\n\n".encode() + self.body


@dataclass
class Origin:
    """One served origin: its URL, what it received, and the tokens `/api/session` gives out."""

    url: str
    log: list[Received] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, path: str) -> str:
        return f"{self.url}/{path.lstrip('/')}"

    def clear(self) -> None:
        with self.lock:
            self.log.clear()
            self.tokens.update(new_tokens())

    def received(self) -> bytes:
        """Every byte of every request since `clear`, one after the other."""
        with self.lock:
            return b"\n".join(request.raw() for request in self.log)

    def paths(self) -> list[str]:
        with self.lock:
            return [request.path for request in self.log]


def new_tokens() -> dict[str, str]:
    return {
        name: f"tok-{name}-{secrets.token_urlsafe(18)}"
        for name in ("jwt", "apiKey", "sessionId", "clientAssertion", "header")
    }


def _handler(origin: Origin) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _record(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            with origin.lock:
                origin.log.append(Received(self.command, self.path, dict(self.headers), body))

        def _answer(self, status: int, body: bytes = b"", kind: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if self.path.startswith("/api/session"):
                self.send_header("X-Acme-Api-Key", origin.tokens["header"])
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._record()
            if self.path.startswith("/collect"):
                self._answer(204)
            elif self.path.startswith("/api/session"):
                tokens = origin.tokens
                payload = {
                    "user": "someone",
                    "jwt": tokens["jwt"],
                    "apiKey": tokens["apiKey"],
                    "sessionId": tokens["sessionId"],
                    "nested": {"clientAssertion": tokens["clientAssertion"]},
                }
                self._answer(200, json.dumps(payload).encode(), "application/json")
            else:
                super().do_GET()

        def do_POST(self) -> None:
            self._record()
            if self.path.startswith("/form-post"):
                self._answer(
                    200, b"<!doctype html><title>Sent</title><p>Form received</p>", "text/html"
                )
            else:
                self._answer(204)

    return Handler


@contextmanager
def serve_origin() -> Iterator[Origin]:
    origin = Origin("")
    origin.tokens.update(new_tokens())
    with serve_folder(PAGES, _handler(origin)) as url:
        origin.url = url
        yield origin
