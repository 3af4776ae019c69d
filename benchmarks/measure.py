"""What the benchmarks share: running simulators, a process tree's peak memory, the machine.

Linux only (/proc). Imported by the scripts beside it (`python benchmarks/NAME.py`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("VIRTUAL_ENV") or ROOT / ".venv") / "bin"


def descendants(root: int) -> list[int]:
    """`root` and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [root], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def pss_kib(pid: int) -> int:
    """A process's proportional set size (shared pages split between their sharers), KiB."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreePeak:
    """Samples the total PSS of a process tree in a thread; `mib` is the peak once stopped."""

    def __init__(self, pid: int, every: float = 0.1) -> None:
        self.pid, self.every, self.peak_kib = pid, every, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            total = sum(pss_kib(pid) for pid in descendants(self.pid))
            self.peak_kib = max(self.peak_kib, total)
            self._done.wait(self.every)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    @property
    def mib(self) -> float:
        return self.peak_kib / 1024


@contextmanager
def tree_peak(
    command: list[str], env: dict[str, str]
) -> Iterator[tuple[subprocess.Popen[str], TreePeak]]:
    """Start `command` (output captured) with its tree's memory sampled until the block ends."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = TreePeak(process.pid)
    try:
        yield process, peak
    finally:
        peak.stop()


@contextmanager
def running_simulators(*arguments: str) -> Iterator[Path]:
    """`bot sim up --test-mode --write-config DIR` in a process of its own; DIR while it runs."""
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
