"""A real Chromium logs in to a tiny local OAuth-ish site while tracing; the scrubbed trace holds
no planted secret in any spelling, and Playwright's own trace viewer still shows every step."""

from __future__ import annotations

import base64
import json
import re
import secrets
import shutil
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bot import EventBus, RunFinished, RunStarted, StepEvent, StepStatus, serve_trace
from bot.evidence import (
    History,
    HistoryRecorder,
    RunFolder,
    RunRecorder,
    Scrubber,
    ScrubOutcome,
    TrafficSecrets,
    write_html,
    write_json,
    write_junit,
)

pytestmark = pytest.mark.browser

LOGIN_PAGE = """<!doctype html><html><head><title>Sign in</title></head><body>
<form method="post" action="/login">
  <label>User <input name="username" autocomplete="username"></label>
  <label>Password <input type="password" name="ctl00$phUser$txtPass"
                         autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form></body></html>"""
CALLBACK_PAGE = """<!doctype html><html><body><p id="state">Exchanging the code…</p><script>
fetch("/token", {method: "POST", headers: {"Authorization": "Basic %(basic)s",
  "Content-Type": "application/x-www-form-urlencoded"},
  body: "grant_type=authorization_code&code=%(code)s&code_verifier=%(verifier)s"})
  .then(r => r.json()).then(t => { document.getElementById("state").textContent =
    t.access_token ? "Authorized" : "No token"; });
</script></body></html>"""


@dataclass
class OAuthSite:
    """Every value the site hands out is random per session and listed in `planted`."""

    url: str = ""
    password: str = field(default_factory=lambda: "Canary-pw$" + secrets.token_hex(6) + "&+ é")
    values: dict[str, str] = field(
        default_factory=lambda: {
            name: f"{name}-{secrets.token_urlsafe(12)}"
            for name in (
                "code",
                "verifier",
                "client_secret",
                "access_token",
                "refresh_token",
                "id_token",
                "aspxauth",
                "session",
            )
        }
    )

    @property
    def planted(self) -> list[str]:
        return [self.password, *self.values.values()]

    def checker(self) -> Scrubber:
        """A scrubber that knows every planted value as the bot would: the password typed (its
        ten-character pieces too), the rest handed out (a token's start may be a plain name)."""
        checker = Scrubber([self.password])
        for value in self.values.values():
            checker.add(value)
        return checker


def make_handler(site: OAuthSite) -> type[BaseHTTPRequestHandler]:
    values = site.values

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def reply(
            self,
            status: int,
            body: str,
            kind: str = "text/html; charset=utf-8",
            headers: tuple[tuple[str, str], ...] = (),
        ) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if not self.path.startswith("/callback"):
                self.reply(200, LOGIN_PAGE)
                return
            basic = base64.b64encode(f"assignar-client:{values['client_secret']}".encode())
            self.reply(
                200,
                CALLBACK_PAGE
                % {"basic": basic.decode(), "code": values["code"], "verifier": values["verifier"]},
            )

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            if self.path == "/login":
                form = parse_qs(body)
                ok = form.get("ctl00$phUser$txtPass") == [site.password]
                self.reply(
                    302,
                    "",
                    headers=(
                        ("Location", f"/callback?code={values['code']}&state=s-1" if ok else "/"),
                        ("Set-Cookie", f".ASPXAUTH={values['aspxauth']}; Path=/; HttpOnly"),
                    ),
                )
                return
            token = {
                "access_token": values["access_token"],
                "token_type": "Bearer",
                "refresh_token": values["refresh_token"],
                "id_token": values["id_token"],
                "expires_in": 3600,
            }
            self.reply(
                200,
                json.dumps(token),
                "application/json",
                headers=(("Set-Cookie", f"session={values['session']}; Path=/; HttpOnly"),),
            )

    return Handler


@pytest.fixture(scope="module")
def oauth_site() -> Iterator[OAuthSite]:
    info = OAuthSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(info))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    info.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield info
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@dataclass
class Recorded:
    trace: Path
    raw: Path
    outcome: ScrubOutcome
    planted: Scrubber


def record(browser: Browser, site: OAuthSite, folder: Path, *, fail: bool) -> Recorded:
    """Log in while tracing, with only the password declared; the rest is harvested."""
    scrubber = Scrubber([site.password])
    traffic = TrafficSecrets(scrubber)
    context: BrowserContext = browser.new_context()
    traffic.attach(context)
    context.tracing.start(screenshots=True, snapshots=True, sources=False)
    page = context.new_page()
    page.goto(site.url)
    page.get_by_label("User").fill("integration-user")
    page.get_by_label("Password").fill(site.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Authorized")).to_be_visible()
    if fail:
        with pytest.raises(AssertionError):
            expect(page.get_by_role("button", name="Finish")).to_be_visible(timeout=300)
    trace = folder / "trace.zip"
    context.tracing.stop(path=trace)
    traffic.harvest_cookies()
    context.close()
    raw = folder.parent / f"{folder.name}-raw.zip"  # kept outside, for the checks' controls
    shutil.copy(trace, raw)
    outcome = scrubber.trace_zip(trace)
    return Recorded(trace, raw, outcome, site.checker())


@pytest.fixture(scope="module")
def recorded(
    browser: Browser, oauth_site: OAuthSite, tmp_path_factory: pytest.TempPathFactory
) -> Recorded:
    return record(browser, oauth_site, tmp_path_factory.mktemp("passing"), fail=False)


def test_raw_trace_holds_every_planted_secret(recorded: Recorded) -> None:
    """The check below is not trivially true: unscrubbed, every planted value is in the trace."""
    found = {leak.secret_number for leak in recorded.planted.assert_clean(recorded.raw)}
    assert found == set(range(1, recorded.planted.count + 1))


def test_scrubbed_trace_holds_no_secret_in_any_spelling(recorded: Recorded) -> None:
    assert recorded.outcome.action == "scrubbed"
    assert recorded.outcome.dropped == ()
    assert recorded.planted.assert_clean(recorded.trace) == []


def test_failure_path_trace_is_scrubbed_too(
    browser: Browser, oauth_site: OAuthSite, tmp_path: Path
) -> None:
    folder = tmp_path / "failing"
    folder.mkdir()
    failed = record(browser, oauth_site, folder, fail=True)
    assert failed.planted.assert_clean(failed.raw)
    assert failed.planted.assert_clean(failed.trace) == []


def test_scrubbed_trace_opens_in_playwright_trace_viewer(
    recorded: Recorded, page: Page, oauth_site: OAuthSite
) -> None:
    with serve_trace(recorded.trace) as url:
        page.goto(url)
        expect(page.get_by_text('Fill "[secret]"')).to_be_visible(timeout=15_000)
        expect(page.get_by_text('Fill "integration-user"')).to_be_visible()
        expect(page.get_by_text(re.compile(r"^Fill "))).to_have_count(2)
        expect(page.get_by_text("Click", exact=True)).to_be_visible()
        expect(page.get_by_text("Navigate", exact=True)).to_be_visible()
        assert oauth_site.password not in page.locator("body").inner_text()


def test_viewer_check_rejects_a_naively_scrubbed_trace(
    recorded: Recorded, page: Page, tmp_path: Path
) -> None:
    """Control: regex over the raw JSON lines (numbers turned into a mask) breaks the trace, and
    the same viewer check then finds no actions, so the check above means something."""
    broken = tmp_path / "naive.zip"
    with zipfile.ZipFile(recorded.raw) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "trace.trace":
                body = re.sub(rb'"startTime":[0-9.]+', b'"startTime":[HIDDEN]', body)
            target.writestr(info, body)
    with serve_trace(broken) as url:
        page.goto(url)
        expect(page.get_by_text("Actions", exact=True)).to_be_visible(timeout=15_000)
        page.wait_for_timeout(2_000)
        expect(page.get_by_text(re.compile(r"^Fill "))).to_have_count(0)


def test_whole_run_folder_is_clean_after_run_dir(
    browser: Browser, oauth_site: OAuthSite, tmp_path: Path
) -> None:
    """Trace, a suffix-less copy of it, masked screenshots, reports, a careless log and the
    history database: after `run_dir`, no planted value in any spelling anywhere."""
    scrubber = Scrubber([oauth_site.password])
    folder = RunFolder.create(tmp_path / "runs", "acme", "reauthorize", "run-1")
    history = History(tmp_path / ".bot" / "history.sqlite", scrubber)
    recorder = RunRecorder(scrubber, browser_name="chromium", browser_version=browser.version)
    bus = EventBus(
        [recorder, HistoryRecorder(history, run_dir=folder.path, trace_path=folder.trace)]
    )
    context = browser.new_context()
    TrafficSecrets(scrubber).attach(context)
    context.tracing.start(screenshots=True, snapshots=True, sources=False)
    page = context.new_page()
    bus.emit(RunStarted("run-1", "reauthorize", "acme", {"tenant": "ACME"}, time.time()))
    actions = [
        ("open sign-in", lambda: page.goto(oauth_site.url)),
        ("type user", lambda: page.get_by_label("User").fill("integration-user")),
        ("type password", lambda: page.get_by_label("Password").fill(oauth_site.password)),
        ("sign in", lambda: page.get_by_role("button", name="Sign in").click()),
        ("wait", lambda: expect(page.get_by_text("Authorized")).to_be_visible()),
    ]
    for index, (label, action) in enumerate(actions, start=1):
        started = time.time()
        action()
        shot = folder.screenshot(index, label)
        page.screenshot(path=shot, mask=[page.locator("input[type=password]")])
        bus.emit(
            StepEvent(
                "run-1",
                f"steps[{index - 1}]",
                label,
                StepStatus.PASSED,
                time.time(),
                duration=time.time() - started,
                screenshot=folder.relative(shot),
                captured={"landing": page.url},
            )
        )
    context.tracing.stop(path=folder.trace)
    context.close()
    attachment = folder.path / "attachments" / "9f8e7d"
    attachment.parent.mkdir()
    shutil.copy(folder.trace, attachment)
    folder.log.write_text(f"typed {oauth_site.password}\nlanded on {page.url}\n")
    bus.emit(RunFinished("run-1", "passed", time.time()))
    assert recorder.record is not None
    for writer in (write_json, write_html, write_junit):
        writer(recorder.record, folder.path, scrubber=scrubber)

    outcomes = scrubber.run_dir(folder.path)

    planted = oauth_site.checker()
    assert planted.assert_clean(tmp_path) == []
    assert not [outcome for outcome in outcomes if outcome.action == "deleted"]
    assert {o.path.name for o in outcomes if o.action == "scrubbed"} >= {
        "trace.zip",
        "9f8e7d",
        "run.log",
    }
    with zipfile.ZipFile(attachment) as copy, zipfile.ZipFile(folder.trace) as trace:
        assert copy.namelist() == trace.namelist()
    assert "[secret]" in folder.log.read_text()
    assert bus.errors == []
    assert folder.apply_retention("passed", "on-failure")
    assert not folder.trace.exists()
