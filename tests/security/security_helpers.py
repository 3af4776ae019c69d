"""The bot as an operator runs it, against the attack pages: a project folder (config.yaml, .env
with the canaries, runbooks/), runs through `bot.execute` in a fresh context of the session's
browser, the unscrubbed trace kept aside as a control, and a scan of everything a run left.

(A module of its own, not conftest.py: test modules import its names.)
"""

from __future__ import annotations

import io
import shutil
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from attack_server import Origin
from canaries import CANARIES, spellings_table
from support.artifacts import found_in, streams

from bot import (
    BUILTIN,
    Catalog,
    Event,
    RunOptions,
    SandboxRun,
    Scrubber,
    execute,
    load_config,
    write_env_file,
)
from bot.evidence.folder import UNSCRUBBED_TRACE

CLIENT = "pages"
ENV = {f"SEC_{name.upper()}": value for name, value in CANARIES.items()}


@dataclass(repr=False)
class SecRun(SandboxRun):
    """One finished run (what `execute` returned and printed), its events, the trace as it was
    before scrubbing, and the history files it wrote to."""

    events: list[Event] = field(default_factory=list)
    raw_trace: Path | None = None
    history: list[Path] = field(default_factory=list)


@dataclass
class Project:
    """A user's project folder for the attack pages: two origins, one client per set-up."""

    root: Path
    site: Origin  # where the client's secrets may be typed
    other: Origin  # another origin
    runs: list[SecRun] = field(default_factory=list)
    counter: int = 0

    def write_config(self, clients: dict[str, Any] | None = None) -> None:
        """config.yaml with the client `pages` (and `pages-film`, its screencast twin)."""
        secrets = {
            name: {"ref": f"env:SEC_{name.upper()}", "origins": ["site_url"]} for name in CANARIES
        }
        client = {
            "settings": {"site_url": self.site.url, "other_url": self.other.url},
            "secrets": secrets,
        }
        config = {
            "runbooks": ["runbooks"],
            "timeout": "5s",
            # a screenshot after every step: every picture the bot can take is checked too
            "runs": {"screenshots": "every-step"},
            "clients": {
                CLIENT: client,
                "pages-film": {**client, "screencast": True},
                **(clients or {}),
            },
        }
        (self.root / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")

    def runbook(self, name: str, text: str) -> Path:
        path = self.root / "runbooks" / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def history_files(self) -> list[Path]:
        base = self.root / ".bot" / "history.sqlite"
        return [p for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists()]

    def run(
        self,
        steps: str,
        browser: Any,
        *,
        client: str = CLIENT,
        head: str = "",
        params: dict[str, str] | None = None,
    ) -> SecRun:
        """Run a runbook of `steps` for `client` as `bot run` would, in a new browser context."""
        self.counter += 1
        name = f"attack-{self.counter}"
        body = f"name: {name}\n{textwrap.dedent(head)}steps:\n"
        body += textwrap.indent(textwrap.dedent(steps), "  ")
        if "requires:" not in head:  # last, so that the lines of the steps stay as written
            body += "\nrequires: [site_url, other_url]\n"
        self.runbook(name, body)
        return self.execute(name, browser, client=client, params=params)

    def execute(
        self, name: str, browser: Any, *, client: str = CLIENT, params: dict[str, str] | None = None
    ) -> SecRun:
        self.site.clear()
        self.other.clear()
        config = load_config(self.root / "config.yaml")
        catalog = Catalog([config.resolve(f) for f in config.runbooks], BUILTIN)
        events: list[Event] = []
        out = io.StringIO()
        context = browser.new_context()
        with raw_traces(self.root / "raw" / name) as raw:
            try:
                options = RunOptions(page=context.new_page(), extra_listeners=[events.append])
                outcome = execute(config, catalog, name, client, params or {}, options, out)
            finally:
                context.close()
        run = SecRun(outcome, out.getvalue(), events, raw[0] if raw else None, self.history_files())
        self.runs.append(run)
        return run


def sources_of(run: SecRun, *extra: tuple[str, bytes]) -> list[tuple[str, bytes]]:
    """Every byte the run left: its folder (zips and gzips opened), the history database with
    its -wal and -shm, and what it printed."""
    found = list(streams(run.folder))
    for path in run.history:
        found += list(streams(path))
    return [*found, ("console output", run.output.encode("utf-8")), *extra]


def assert_no_secret(run: SecRun, secrets: dict[str, str] | None = None) -> None:
    """No spelling of any canary (or of `secrets`) in any byte the run left."""
    table = spellings_table({**CANARIES, **(secrets or {})})
    hits = found_in(sources_of(run), table)
    assert hits == [], "\n".join(hits)


def held(path: Path | None, secrets: dict[str, str]) -> list[str]:
    """Which of `secrets` (by name) some byte under `path` holds in some spelling."""
    if path is None:
        return []
    hits = found_in(streams(path), spellings_table(secrets))
    return sorted({hit.split(": ", 1)[1].split(" (", 1)[0] for hit in hits})


@contextmanager
def raw_traces(folder: Path) -> Iterator[list[Path]]:
    """While the block runs, the first trace is copied to `folder` before it is scrubbed."""
    kept: list[Path] = []
    scrub_trace = Scrubber.trace_zip

    def keep_raw(scrubber: Scrubber, path: Path) -> Any:
        # scrubbed under its hidden name (never `trace.zip` unscrubbed)
        if path.name == UNSCRUBBED_TRACE and not kept:
            folder.mkdir(parents=True, exist_ok=True)
            kept.append(Path(shutil.copyfile(path, folder / "raw-trace.zip")))
        return scrub_trace(scrubber, path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Scrubber, "trace_zip", keep_raw)
        yield kept


def write_env(root: Path, values: dict[str, str] | None = None) -> None:
    write_env_file(root / ".env", values if values is not None else ENV)
