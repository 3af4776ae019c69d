"""Pieces the evidence end-to-end tests share: planted secrets, what the simulators issued, an
independent byte scanner, and the real bot run in-process or as a `bot run` subprocess.

(A module of its own, not conftest.py: test modules import its names.)

The scanner deliberately does not use the bot's own `Scrubber.assert_clean`: it opens every zip
member (nested zips too) and gzip stream itself and looks for every spelling `encodings_of` gives.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bot_sim.harness import Simulators
from support.artifacts import found_in, streams

from bot import BUILTIN, Catalog, RunOptions, SandboxBot, Scrubber
from bot.evidence import encodings_of
from bot.evidence.folder import UNSCRUBBED_TRACE

CLIENT = "sandbox"
RUNBOOK = "reauthorize"
BOT = str(Path(sys.executable).with_name("bot"))
INTEGRATION_ENV = "SANDBOX_INTEGRATION_PASSWORD"

_TAG = secrets.token_hex(4)
#: Distinctive passwords planted in the simulators, with characters that make every encoding
#: (URL, JSON, HTML, base64) differ from the plain form. Acumatica's passwords stay ASCII: its
#: simulator compares them with `secrets.compare_digest` on str, which refuses non-ASCII.
PLANTED = {
    "admin@acme.example": f"Cnry-Asg é&+ <{_TAG}>\"'/\\%3D",  # the Assignar user
    "assignar.integration": f"Cnry-Int &+ <{_TAG}>\"'/\\%41",
    "admin": f"Cnry-Adm &+ {_TAG}!",
    "jane.doe": f"Cnry-Jane &+ {_TAG}?",
}
WRONG_INTEGRATION_PASSWORD = f"Cnry-Wrong &+ <{_TAG}>\"'/\\"


# -- what the simulators hand out ------------------------------------------------------------


@dataclass
class IssuedLog:
    """Values the simulators issue that their state does not keep: every httpOnly cookie set
    (e.g. `ASP.NET_SessionId`) and every authorization code (deleted once exchanged)."""

    cookies: set[str] = field(default_factory=set)
    codes: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def clear(self) -> None:
        with self._lock:
            self.cookies.clear()
            self.codes.clear()

    def wrap(self, app: Any) -> Any:
        """WSGI middleware noting the value of every httpOnly Set-Cookie header."""

        def recording(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
            def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
                for name, value in headers:
                    if name.lower() == "set-cookie" and "httponly" in value.lower():
                        cookie = value.split(";", 1)[0].partition("=")[2]
                        if cookie:
                            with self._lock:
                                self.cookies.add(cookie)
                return start_response(status, headers, *exc_info)

            return app(environ, start)

        return recording

    def attach(self, sims: Simulators) -> None:
        for running in sims.servers:
            running.server.app = self.wrap(running.server.app)
        store = sims.acumatica.tokens
        save_code = store.save_code

        def saving(code: Any) -> None:
            with self._lock:
                self.codes.add(code.code)
            save_code(code)

        store.save_code = saving  # type: ignore[method-assign]


def issued_secrets(sims: Simulators, log: IssuedLog) -> dict[str, str]:
    """Every secret value of this run, by a name that says what it is (never the value)."""
    found: dict[str, str] = {}

    def put(name: str, value: str | None) -> None:
        if value and value not in found.values():
            found[name] = value

    put("assignar password", sims.credentials["assignar"]["password"])
    for user, password in sims.credentials["acumatica"].items():
        put(f"acumatica password of {user}", password)
    for app in sims.acumatica.apps.values():
        for number, secret in enumerate(app.secrets):
            put(f"client secret {number} of {app.name}", secret.value)
    acumatica, assignar = sims.acumatica, sims.assignar
    for number, code in enumerate(sorted(log.codes | set(acumatica.tokens.codes))):
        put(f"authorization code {number}", code)
    for number, token in enumerate(acumatica.tokens.tokens):
        put(f"access token {number}", token.access_token)
        put(f"refresh token {number}", token.refresh_token)
    integ = assignar.integration
    put("Assignar's access token", integ.access_token)
    put("Assignar's refresh token", integ.refresh_token)
    put("Assignar's client secret", integ.client_secret)
    for number, cookie in enumerate(sorted(acumatica.sessions)):
        put(f".ASPXAUTH session {number}", cookie)
    sids = set(assignar.world.sessions) | set(assignar.world.expired_sids)
    for number, sid in enumerate(sorted(sids)):
        put(f"Assignar session {number}", sid)
    for number, cookie in enumerate(sorted(log.cookies)):
        put(f"httpOnly cookie {number}", cookie)
    return found


# -- the scanner -----------------------------------------------------------------------------


def leaks(sources: Iterable[tuple[str, bytes]], planted: dict[str, str]) -> list[str]:
    """'where: which secret (spelling #n)' for every spelling of every secret found; [] = clean."""
    return found_in(sources, {name: encodings_of(value) for name, value in planted.items()})


def text_source(label: str, text: str) -> list[tuple[str, bytes]]:
    return [(label, text.encode("utf-8"))]


# -- the bot, on one set of simulators -------------------------------------------------------


@dataclass
class Run:
    """One finished (or stopped) run of `bot run reauthorize --client sandbox`."""

    name: str
    run_id: str
    folder: Path
    verdict: str
    output: str  # everything printed: the console of `bot run`
    secrets: dict[str, str]  # what was planted or issued during this run
    acumatica_sign_ins: list[str]  # `user: outcome`, from the simulator after the run
    assignar_sign_ins: list[str]
    raw_trace: Path | None = None  # the trace as Playwright wrote it, before scrubbing
    returncode: int | None = None
    notes: list[str] = field(default_factory=list)
    runbooks: dict[str, str] = field(default_factory=dict)  # path -> text, right after the run

    def __repr__(self) -> str:
        return f"Run({self.name}: {self.verdict}, rc={self.returncode})\n{self.output[-3000:]}"


@dataclass
class World:
    """The session's simulators (planted passwords) and one bot home: config, runs, history."""

    sims: Simulators
    log: IssuedLog
    home: Path
    controls: Path  # raw traces, kept outside the bot's folders
    env: dict[str, str] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)
    bot: SandboxBot = field(init=False)

    def write(self) -> None:
        """config.yaml and .env (the planted passwords) from `SandboxBot`, runs under home."""
        self.bot = SandboxBot(self.sims, self.home)
        self.env.update(self.bot.env)
        assert self.env[INTEGRATION_ENV] == PLANTED["assignar.integration"]  # as planted

    def fresh(self, arrange: Callable[[Simulators], Any] | None) -> None:
        self.sims.reset()
        self.log.clear()
        if arrange is not None:
            arrange(self.sims)

    def run_in_process(
        self,
        name: str,
        *,
        arrange: Callable[[Simulators], Any] | None = None,
        env: dict[str, str] | None = None,
    ) -> Run:
        """`execute(...)` as `bot run` calls it (its own headless Chromium), with a screenshot
        after every step, keeping a copy of the unscrubbed trace outside the run folder as a
        control."""
        self.fresh(arrange)
        raw = self.controls / f"{name}-raw-trace.zip"
        scrub_trace = Scrubber.trace_zip

        def keep_raw(scrubber: Scrubber, path: Path) -> Any:
            # the trace is scrubbed under its hidden name (never `trace.zip` unscrubbed)
            if path.name == UNSCRUBBED_TRACE and not raw.exists():
                shutil.copyfile(path, raw)
            return scrub_trace(scrubber, path)

        with pytest.MonkeyPatch.context() as patch:
            for key, value in (env or {}).items():
                patch.setenv(key, value)
            patch.setattr(Scrubber, "trace_zip", keep_raw)
            config = self.bot.config()
            # a screenshot after every step: every picture the bot can take is scanned too
            finished = self.bot.run(RUNBOOK, options=RunOptions(screenshots="every-step"))
        outcome, output = finished.outcome, finished.output
        runbooks = {  # the config's folders and the built-in runbooks, as the run found them
            str(path): path.read_text(encoding="utf-8")
            for folder in Catalog.for_config(config, BUILTIN).folders
            for path in folder.glob("*.yaml")
        }
        planted = issued_secrets(self.sims, self.log)
        for key, value in (env or {}).items():
            planted.setdefault(f"{key} as set for this run", value)
        run = Run(
            name,
            outcome.result.run_id,
            outcome.folder,
            outcome.result.verdict,
            output,
            planted,
            *self._sign_ins(),
            raw if raw.exists() else None,
            notes=list(outcome.notes),
            runbooks=runbooks,
        )
        self.runs.append(run)
        return run

    def run_subprocess(
        self,
        name: str,
        *,
        stop: signal.Signals,
        whole_group: bool = False,
        when: Callable[[Simulators], bool],
        timeout: float = 60,
    ) -> Run:
        """`bot --config … run reauthorize --client sandbox` in its own process group, stopped
        with `stop` (to the bot, or to its whole group like a terminal's Ctrl-C) once `when`."""
        self.fresh(None)
        before = set(self.bot.runs_root.glob(f"{CLIENT}/*"))
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DISPLAY", "WAYLAND_DISPLAY"}
        }
        environment.update(self.env)
        process = subprocess.Popen(
            [BOT, "--config", str(self.bot.config_path), "run", RUNBOOK, "--client", CLIENT],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            cwd=self.home,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            while not when(self.sims):
                if process.poll() is not None or time.monotonic() > deadline:
                    out, err = process.communicate()
                    pytest.fail(
                        f"the run ended (rc {process.returncode}) or timed out before "
                        f"it could be stopped:\n{out.decode()}\n{err.decode()}"
                    )
                time.sleep(0.02)
            if whole_group:
                os.killpg(process.pid, stop)
            else:
                os.kill(process.pid, stop)
            out, err = process.communicate(timeout=timeout)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
            if stop == signal.SIGKILL:  # what the dead bot started (Playwright's driver) goes too
                _kill_group(process.pid)
        (self.controls / f"{name}-console.txt").write_bytes(out + b"\n--- stderr ---\n" + err)
        created = sorted(set(self.bot.runs_root.glob(f"{CLIENT}/*")) - before)
        assert len(created) == 1, f"expected one new run folder, got {created}"
        folder = created[0]
        run = Run(
            name,
            folder.name.rsplit("-", 1)[1],
            folder,
            "stopped",
            out.decode("utf-8", "replace") + err.decode("utf-8", "replace"),
            issued_secrets(self.sims, self.log),
            *self._sign_ins(),
            returncode=process.returncode,
        )
        self.runs.append(run)
        return run

    def _sign_ins(self) -> tuple[list[str], list[str]]:
        """Both simulators' sign-in logs, as `who: outcome`."""
        acumatica = [f"{a.username}: {a.outcome}" for a in self.sims.acumatica.sign_in_log]
        assignar = [
            f"{a['email']}: {'success' if a['ok'] else 'refused'}"
            for a in self.sims.assignar.world.sign_in_attempts
        ]
        return acumatica, assignar

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`bot --config <the same config> ARGS`, as an operator would type it."""
        environment = {**os.environ, **self.env}
        return subprocess.run(
            [BOT, "--config", str(self.bot.config_path), *args],
            env=environment,
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def all_secrets(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for run in self.runs:
            for name, value in run.secrets.items():
                if value not in merged.values():
                    merged[f"{run.name}: {name}"] = value
        return merged


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def acumatica_signed_in(sims: Simulators) -> bool:
    """The integration user got through Acumatica's sign-in (the planted password was typed)."""
    return any(
        a.outcome == "success" and a.username == "assignar.integration"
        for a in list(sims.acumatica.sign_in_log)
    )


def run_sources(world: World, run: Run) -> list[tuple[str, bytes]]:
    """Every byte the run left: its folder (zips opened) and the history database files."""
    sources = list(streams(run.folder))
    for path in world.bot.history_files():
        sources += list(streams(path))
    return sources
