"""Speed and memory of what users wait for: `bot --help`, `bot validate`, a demo re-authorization.

    .venv/bin/python benchmarks/run.py [--runs N]

Prints a table of medians (and the spread) and the peak memory of each command's process tree.
Figures go in notes and docs, never in timed tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOT = str(Path(sys.executable).with_name("bot"))
COMMANDS = {
    "bot --help": [BOT, "--help"],
    "bot validate": [BOT, "validate"],
    "bot plan reauthorize --client demo": [BOT, "plan", "reauthorize", "--client", "demo"],
    "bot run reauthorize --client demo": [BOT, "run", "reauthorize", "--client", "demo"],
}
SLOW = {"bot run reauthorize --client demo"}


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and the peak RSS (KiB) of the largest child process of this run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return took, max(peak, before)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each fast command")
    parser.add_argument("--slow-runs", type=int, default=3, help="runs of the demo run")
    args = parser.parse_args()
    print(f"{'command':<40} {'median':>8} {'min':>8} {'max':>8} {'runs':>5} {'peak RSS':>10}")
    for name, command in COMMANDS.items():
        count = args.slow_runs if name in SLOW else args.runs
        results = [measure(command) for _ in range(count)]
        times = [t for t, _ in results]
        peak_mib = max(p for _, p in results) / 1024
        print(
            f"{name:<40} {statistics.median(times):8.3f} {min(times):8.3f} {max(times):8.3f} "
            f"{count:>5} {peak_mib:8.1f}MiB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
