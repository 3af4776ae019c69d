"""Whether the process that recorded a run is still alive: a run left "running" by a process
that is gone (killed, rebooted, its id given to another process since) was interrupted."""

from __future__ import annotations

import os
from pathlib import Path


def pid_alive(pid: int | None, since: float | None = None) -> bool:
    """True when a process with this id exists (zombies count as gone). With `since` (when the
    run started), a process that started after it is another one that got the id again (after
    a reboot, or once ids wrap around): the run's process is gone."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if _zombie(pid):
        return False
    started = process_started_at(pid)
    return since is None or started is None or started <= since + PID_CLOCK_SLACK


PID_CLOCK_SLACK = 5.0  # seconds: the boot time and the clock tick round the start time


def process_started_at(pid: int) -> float | None:
    """When process `pid` started (seconds since the epoch), from /proc; None elsewhere."""
    try:
        ticks = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def _zombie(pid: int) -> bool:
    status = Path(f"/proc/{pid}/stat")
    try:
        return status.read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
