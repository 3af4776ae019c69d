"""Example Notes: a tiny site to write a first runbook against (docs/writing-runbooks.md).

A sign-in form, then a consent page ("Example Notes is requesting your permission") that asks to
allow access, then "Access granted". Checking "Remember my decision" skips the consent page on
the next sign-in, as real authorization servers do. Standard library only; loopback only.

    python docs/tutorial/site.py            # http://127.0.0.1:8321
    python docs/tutorial/site.py --port 0   # any free port (the URL is printed)

The password is `TUTORIAL_PASSWORD` from the environment (default `correct-horse-42`).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import secrets
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font: 16px system-ui; max-width: 30rem; margin: 3rem auto; }}
label {{ display: block; margin: .6rem 0; }}</style></head><body>{body}</body></html>"""
SIGN_IN = """<h1>Sign in to Example Notes</h1>{error}
<form method="post" action="/login">
  <label>Email <input name="email" type="email" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>"""
CONSENT = """<h1>Example Notes is requesting your permission</h1>
<form method="post" action="/consent">
  <p>Example Notes would like to:</p>
  <label><input type="checkbox" name="scope" value="read" checked> Read your notes</label>
  <label><input type="checkbox" name="remember"> Remember my decision</label>
  <button type="submit" name="answer" value="allow">Allow</button>
  <button type="submit" name="answer" value="deny">Deny</button>
</form>"""


class Site(BaseHTTPRequestHandler):
    sessions: ClassVar[dict[str, str]] = {}  # session cookie → the email signed in
    remembered: ClassVar[set[str]] = set()  # emails whose consent is remembered

    def do_GET(self) -> None:
        if self.path in ("/", "/login"):
            self._page("Sign in", SIGN_IN.format(error=""))
        elif self.path == "/consent" and self._user():
            self._page("Consent", CONSENT)
        elif self.path.startswith("/done") and self._user():
            answer = "granted" if self.path.endswith("allow") else "denied"
            self._page("Done", f"<h1>Access {answer} to Example Notes</h1>")
        else:
            self._redirect("/login")

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length", "0")), 10_000)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if self.path == "/login":
            self._sign_in(form)
        elif self.path == "/consent" and (email := self._user()):
            if "remember" in form:
                self.remembered.add(email)
            self._redirect(f"/done?answer={form.get('answer', 'deny')}")
        else:
            self._redirect("/login")

    def _sign_in(self, form: dict[str, str]) -> None:
        password = os.environ.get("TUTORIAL_PASSWORD", "correct-horse-42")
        email = form.get("email", "")
        if not email or not secrets.compare_digest(form.get("password", ""), password):
            error = '<p role="alert">Wrong email or password.</p>'
            self._page("Sign in", SIGN_IN.format(error=error))
            return
        session = secrets.token_urlsafe(16)
        self.sessions[session] = email
        target = "/done?answer=allow" if email in self.remembered else "/consent"
        self._redirect(target, cookie=f"session={session}; HttpOnly; Path=/")

    def _user(self) -> str | None:
        for part in self.headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "session" and value in self.sessions:
                return self.sessions[value]
        return None

    def _page(self, title: str, body: str) -> None:
        data = PAGE.format(title=html.escape(title), body=body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self, target: str, cookie: str | None = None) -> None:
        self.send_response(303)
        self.send_header("Location", target)
        if cookie:
            self.send_header("Set-Cookie", cookie)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # keep the terminal quiet
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description="Example Notes, for the runbook tutorial")
    parser.add_argument("--port", type=int, default=8321)
    port = parser.parse_args().port
    server = ThreadingHTTPServer(("127.0.0.1", port), Site)
    print(f"Example Notes on http://127.0.0.1:{server.server_port}  (Ctrl-C stops it)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
