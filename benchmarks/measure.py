"""What the benchmarks share: running simulators, a process tree's peak memory, Playwright's own
time, the machine. Linux only (/proc). Imported by the scripts beside it (`python benchmarks/X.py`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_COLOR": "1"}
sys.path.insert(0, str(ROOT / "tests"))
from support.processes import descendants  # noqa: E402  (the tests' helpers, not installed)


def compile_bot() -> None:
    """Compile the bot's modules to bytecode once, as pip does when it installs the package.

    The project is installed editable, and a machine may set PYTHONDONTWRITEBYTECODE (this one
    does): then every `bot` process compiled all of its modules from source again (~0.1 s a
    start on this machine), which an installed bot never does.
    """
    import compileall

    compileall.compile_dir(ROOT / "bot", quiet=1)


compile_bot()


def pss_kib(pid: int) -> int:
    """A process's proportional set size (shared pages split between their sharers), KiB."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def role(pid: int) -> str:
    """A process of a run by what it does: renderers, browser (Chromium's other processes),
    driver (Playwright's), python."""
    try:
        line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return "other"
    if "chrom" in line:
        return "renderers" if "--type=renderer" in line else "browser"
    if "/node " in line or "driver" in line:
        return "driver"
    return "python" if "python" in line else "other"


class TreePeak:
    """Samples a process tree in a thread: the peak of its total PSS (`stop()` returns it, MiB)
    and the CPU time of every process seen in it (`cpu_seconds`).

    CPU is read from /proc rather than `getrusage(RUSAGE_CHILDREN)`, which misses Chromium's
    renderers (its zygote forks them, and their time never reaches the measured tree's parent);
    a process's last sampling interval before it exits can be missed instead (≤ `every`).
    """

    def __init__(
        self, pid: int, every: float = 0.2, label: Callable[[int], str] | None = None
    ) -> None:
        self.pid, self.every, self.peak_kib = pid, every, 0
        self.label = label  # names a process when first seen (e.g. its role), for `cpu_by`
        self.labels: dict[int, str] = {}
        self._cpu: dict[int, float] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            pids = descendants(self.pid)
            total = sum(pss_kib(pid) for pid in pids)
            self.peak_kib = max(self.peak_kib, total)
            for pid in pids:
                spent = cpu_seconds(pid)
                if spent is not None:
                    self._cpu[pid] = spent
                if self.label is not None and pid not in self.labels:
                    self.labels[pid] = self.label(pid)
            self._done.wait(self.every)

    @property
    def cpu_seconds(self) -> float:
        """User and system time of every process seen in the tree, as last sampled."""
        return sum(self._cpu.values())

    def cpu_by(self) -> dict[str, float]:
        """CPU seconds summed by the `label` of each process seen."""
        by: dict[str, float] = {}
        for pid, spent in self._cpu.items():
            name = self.labels.get(pid, "other")
            by[name] = by.get(name, 0.0) + spent
        return by

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak_kib / 1024


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """A process's user and system time so far, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, ValueError, IndexError):
        return None


@contextmanager
def running_simulators(*arguments: str) -> Iterator[Path]:
    """`bot sim up --test-mode --write-config DIR [arguments]` in a process of its own (outside
    what is measured); DIR (config.yaml and .env) while it runs."""
    folder = Path(tempfile.mkdtemp(prefix="bench-sims-"))
    command = [str(BIN / "bot"), "sim", "up", "--test-mode", "--write-config", str(folder)]
    process = subprocess.Popen(
        [*command, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while not (folder / ".env").exists():
            if process.poll() is not None:
                raise SystemExit("bot sim up stopped before writing its config")
            time.sleep(0.2)
        yield folder
    finally:
        process.send_signal(signal.SIGTERM)  # as Ctrl-C (a background job ignores SIGINT)
        process.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


class PlaywrightClock:
    """Time spent inside Playwright's sync calls (waiting for the driver and the browser), from
    `install()` on: `spent` in seconds, each call also told to `charge`. A call made while another
    waits (a listener's) counts once, in the outer one."""

    def __init__(self, charge: Callable[[float], None] | None = None) -> None:
        self.spent = 0.0
        self.calls = 0
        self.charge = charge
        self._depth = 0

    def install(self) -> None:
        from playwright._impl._sync_base import SyncBase

        original: Callable[..., Any] = SyncBase._sync

        def timed(this: Any, coroutine: Any) -> Any:
            started = time.perf_counter()
            self._depth += 1
            try:
                return original(this, coroutine)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    took = time.perf_counter() - started
                    self.spent += took
                    self.calls += 1
                    if self.charge is not None:
                        self.charge(took)

        SyncBase._sync = timed  # type: ignore[method-assign]


def machine() -> str:
    """Cores, CPU model and memory of this machine."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB"
