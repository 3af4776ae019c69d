"""Where one run's evidence lives: `runs/<client>/<UTC timestamp>-<runbook>-<run id>/`."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.evidence._owner_only import private_folder

__all__ = ["Retention", "RunFolder", "sweep_unscrubbed"]

Retention = Literal["always", "on-failure"]
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
NO_CLIENT = "_no-client"
UNSCRUBBED_TRACE = ".trace-unscrubbed.zip"


def sweep_unscrubbed(root: Path, client: str) -> None:
    """Delete unscrubbed traces that runs of `client` killed while sealing left behind. Call
    holding the client's lock: no other run of the client is sealing then."""
    for leftover in (root / safe_name(client)).glob(f"*/{UNSCRUBBED_TRACE}"):
        leftover.unlink(missing_ok=True)


@dataclass(frozen=True)
class RunFolder:
    """The run folder and the fixed names of what goes in it."""

    path: Path

    @classmethod
    def create(
        cls,
        root: Path,
        client: str | None,
        runbook: str,
        run_id: str,
        started_at: float | None = None,
    ) -> RunFolder:
        """Make `root/<client>/<YYYYmmddTHHMMSSZ>-<runbook>-<run id>/` with `screenshots/`, for
        the owner only (evidence holds client data)."""
        folder = cls.planned(root, client, runbook, run_id, started_at)
        folder.make()
        return folder

    @classmethod
    def planned(
        cls,
        root: Path,
        client: str | None,
        runbook: str,
        run_id: str,
        started_at: float | None = None,
    ) -> RunFolder:
        """The folder `create` makes, not made yet: a run makes it once its history row exists
        (`make`), so that a run killed before that (during the browser's launch) leaves no
        folder that no record points to."""
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(started_at))
        name = f"{stamp}-{safe_name(runbook)}-{safe_name(run_id)}"
        return cls(root / safe_name(client or NO_CLIENT) / name)

    def make(self) -> None:
        """The folder and its `screenshots/`, for the owner only (evidence holds client data)."""
        private_folder(self.screenshots)

    @property
    def trace(self) -> Path:
        return self.path / "trace.zip"

    @property
    def unscrubbed_trace(self) -> Path:
        """Where Playwright saves the trace before it is scrubbed: never under the evidence's
        name, so that a bot killed while sealing leaves no `trace.zip` holding secrets; a
        leftover is deleted by the client's next run (`sweep_unscrubbed`)."""
        return self.path / UNSCRUBBED_TRACE

    @property
    def screenshots(self) -> Path:
        return self.path / "screenshots"

    @property
    def report_json(self) -> Path:
        return self.path / "report.json"

    @property
    def report_html(self) -> Path:
        return self.path / "report.html"

    @property
    def junit(self) -> Path:
        return self.path / "junit.xml"

    @property
    def log(self) -> Path:
        return self.path / "run.log"

    def screenshot(self, seq: int, label: str) -> Path:
        """`screenshots/003-click-save.png`: ordered by step, named by what the step did."""
        return self.screenshots / f"{seq:03d}-{safe_name(label)[:60]}.png"

    def relative(self, path: Path) -> str:
        """`path` relative to the run folder, as events and reports record it."""
        return path.relative_to(self.path).as_posix()

    def apply_retention(self, verdict: str, retention: Retention) -> bool:
        """Delete the trace after a passing run when retention is "on-failure"; True if deleted."""
        if retention == "on-failure" and verdict == "passed" and self.trace.exists():
            self.trace.unlink()
            return True
        return False


def safe_name(text: str) -> str:
    """A file-name-safe form of a client, runbook or label: `Acme Pty/Ltd` -> `Acme-Pty-Ltd`."""
    cleaned = _UNSAFE.sub("-", text.strip()).strip("-.")
    return cleaned or "_"
