"""Fleet throughput and memory: N clients re-authorized three ways, in one alternating run.

    .venv/bin/python benchmarks/fleet.py [--clients 20] [--rounds 3] [--parallel 4]

- fleet:      `bot fleet run reauthorize --parallel P` (one process, one browser, a context each)
- sequential: N × `bot run reauthorize --client X`, one after another
- xdist:      `pytest -n P benchmarks/smoke_per_client.py` (the smoke test per client)

The simulators (`bot sim up --clients N`) run in a process of their own, outside what is measured.
Each contestant starts from a copy of the written config (its own runs and history). Peak memory
is the largest sum, sampled every 0.2 s, of the proportional set size (PSS: shared pages split
between the processes sharing them) of the contestant's whole process tree, Chromium and the
Playwright drivers included. Linux only (/proc). Figures go in docs, never in timed tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from measure import BIN, ENV, ROOT, TreePeak, machine, running_simulators


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, peak tree PSS (MiB) and exit code of `command`."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = TreePeak(process.pid)
    output, _ = process.communicate()
    took, mib = time.perf_counter() - start, peak.stop()
    if process.returncode != 0:
        print(output[-3000:], file=sys.stderr)
    return took, mib, process.returncode


Contestant = Callable[[Path, list[str], int], tuple[float, float, int]]


def fleet(config: Path, clients: list[str], parallel: int) -> tuple[float, float, int]:
    bot = [str(BIN / "bot"), "--config", str(config)]
    return measured([*bot, "fleet", "run", "reauthorize", "--parallel", str(parallel)], ENV)


def sequential(config: Path, clients: list[str], parallel: int) -> tuple[float, float, int]:
    bot = [str(BIN / "bot"), "--config", str(config)]
    results = [measured([*bot, "run", "reauthorize", "--client", c], ENV) for c in clients]
    failed = sum(1 for _, _, code in results if code != 0)
    return sum(t for t, _, _ in results), max(m for _, m, _ in results), failed


def xdist(config: Path, clients: list[str], parallel: int) -> tuple[float, float, int]:
    command = [str(BIN / "python"), "-m", "pytest", "-q", "-p", "bot.pytest_plugin.launch"]
    command += ["-n", str(parallel), "benchmarks/smoke_per_client.py"]
    return measured(command, {**ENV, "BOT_BENCH_CONFIG": str(config)})


CONTESTANTS: dict[str, Contestant] = {
    "fleet": fleet,
    "sequential": sequential,
    "xdist": xdist,
}


def fresh_copy(written: Path) -> Path:
    """The written config and .env in a new folder: runs and history of one measurement."""
    folder = Path(tempfile.mkdtemp(prefix="bench-run-"))
    for name in ("config.yaml", ".env"):
        shutil.copy(written / name, folder / name)
    return folder / "config.yaml"


def alternate(
    contestants: dict[str, Contestant], clients: int, rounds: int, parallel: int
) -> dict[str, list[tuple[float, float, int]]]:
    """Run each contestant `rounds` times on `bot sim up --clients N`, the order rotating each
    round, each from a fresh copy of the config; print a line a run; return the results."""
    names = list(contestants)
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in names}
    print(f"machine: {machine()}; load average before: {os.getloadavg()}")
    with running_simulators("--clients", str(clients)) as written:
        chosen = [f"client{n:02d}" for n in range(1, clients + 1)]
        for round_ in range(rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]  # alternate
            for name in order:
                config = fresh_copy(written)
                load = os.getloadavg()[0]
                result = contestants[name](config, chosen, parallel)
                shutil.rmtree(config.parent, ignore_errors=True)
                results[name].append(result)
                took, mib, failed = result
                print(
                    f"round {round_ + 1} {name:<12} {took:7.1f} s {mib:8.0f} MiB "
                    f"failed {failed}  (load {load:.1f})",
                    flush=True,
                )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--parallel", type=int, default=4)
    args = parser.parse_args()
    names = list(CONTESTANTS)
    results = alternate(CONTESTANTS, args.clients, args.rounds, args.parallel)
    print(f"load average after: {os.getloadavg()}")
    print(f"\n{'':<11} {'median s':>9} {'clients/min':>12} {'peak MiB':>9}")
    medians = {name: statistics.median(t for t, _, _ in rows) for name, rows in results.items()}
    peaks = {name: max(m for _, m, _ in rows) for name, rows in results.items()}
    for name in names:
        per_minute = args.clients / medians[name] * 60
        print(f"{name:<11} {medians[name]:9.1f} {per_minute:12.2f} {peaks[name]:9.0f}")
    print(
        f"\nfleet throughput vs sequential: {medians['sequential'] / medians['fleet']:.2f}x "
        f"(target >= 2.5x)"
    )
    print(
        f"fleet peak memory vs xdist:     {peaks['fleet'] / peaks['xdist']:.2f}x (target <= 0.5x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
