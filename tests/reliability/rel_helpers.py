"""What the reliability tests share: the bot run in-process against the simulators, evidence checks,
and a look at the process tree (which Chromium processes a run left behind).

(A module of its own, not conftest.py: test modules import its names.)
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from bot_sim.harness import Simulators

from bot import Event, RunOptions, SandboxBot, SandboxRun, Scrubber, builtin_runbooks
from bot.language import parse_duration

CLIENT = "sandbox"
RUNBOOKS = builtin_runbooks()


Run = SandboxRun


class RelBot:
    """`bot run RUNBOOK --client sandbox`, in-process, for one test's folder and the simulators
    (a `SandboxBot`, rewritten by `write` when a test changes settings, timeout or runbooks)."""

    def __init__(self, sims: Simulators, folder: Path) -> None:
        self.sims, self.folder = sims, folder
        self.sandbox = SandboxBot(sims, folder)

    def secrets(self) -> list[str]:
        """Every password the simulators know: none may appear in any evidence."""
        creds = self.sims.credentials
        return [creds["assignar"]["password"], *creds["acumatica"].values()]

    def write(
        self,
        *,
        settings: dict[str, Any] | None = None,
        timeout: str | None = None,
        runbooks: Path | None = None,
    ) -> None:
        self.sandbox = SandboxBot(
            self.sims,
            self.folder,
            settings=settings,
            timeout=parse_duration(timeout) if timeout else None,
            runbooks=[runbooks] if runbooks else None,
        )

    def run(
        self,
        runbook: str = "reauthorize",
        *,
        listeners: list[Callable[[Event], None]] | None = None,
        **params: Any,
    ) -> Run:
        options = RunOptions(extra_listeners=list(listeners or []))
        return self.sandbox.run(runbook, params, options)

    def history_rows(self) -> list[dict[str, Any]]:
        with sqlite3.connect(self.sandbox.history_path) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM runs ORDER BY started_at")]

    def assert_clean(self, folder: Path) -> None:
        """No simulator password anywhere in the run folder (trace, screenshots, reports, log)."""
        leaks = Scrubber(self.secrets()).assert_clean(folder)
        assert leaks == [], f"secrets leaked into {folder}: {leaks}"

    def assert_evidence(self, run: Run, *, pictures: bool = True) -> None:
        """The run left its folder (report, log, screenshots unless the browser that would take
        them is gone: `pictures=False`) and no secret in it."""
        folder = run.folder
        assert (folder / "report.html").is_file(), sorted(p.name for p in folder.iterdir())
        assert (folder / "report.json").is_file()
        assert bool(list((folder / "screenshots").glob("*.png"))) == pictures, "screenshots"
        self.assert_clean(folder)


READ_STATE = (
    'The integration is now enabled, status "Needs re-authorization", authorized as '
    "assignar.integration (it was enabled before the run)."
)
UNREAD_STATE = "The integration's state after this run could not be read"


def assert_final_state(run: Run, expected: str = READ_STATE) -> None:
    """The verdict ends with the integration's state (reauthorize's `finally` + `summary`)."""
    assert expected in run.summary_text, run
    assert expected.split("(", 1)[0].strip() in run.output  # printed with the verdict too


def copy_runbooks(target: Path, edit: Callable[[str, str], str] | None = None) -> Path:
    """The shipped runbooks copied to `target`, each text passed through `edit(name, text)`."""
    target.mkdir(parents=True, exist_ok=True)
    for path in RUNBOOKS.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        (target / path.name).write_text(edit(path.stem, text) if edit else text, encoding="utf-8")
    return target


# -- processes --------------------------------------------------------------------------------
def _ppid_map() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def descendants(pid: int) -> list[int]:
    """Every live process below `pid`."""
    parents = _ppid_map()
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def is_chromium(pid: int) -> bool:
    line = cmdline(pid).lower()
    return "chrom" in line and "node" not in line.split(" ", 1)[0]


def chromium_processes(root: int | None = None) -> list[int]:
    """Chromium processes below `root` (default: this process)."""
    return [pid for pid in descendants(root or os.getpid()) if is_chromium(pid)]


def browser_main_process(root: int | None = None, ignore: Iterable[int] = ()) -> int | None:
    """The browser process itself (not a renderer, GPU or zygote helper), skipping `ignore`
    (e.g. the browser pytest-playwright keeps open for other tests)."""
    skip = set(ignore)
    mains = [
        pid for pid in chromium_processes(root) if "--type=" not in cmdline(pid) and pid not in skip
    ]
    return mains[0] if mains else None


def alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
