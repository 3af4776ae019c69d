"""`bot run reauthorize` against the hand-written Playwright script, alternating, pair by pair.

    .venv/bin/python benchmarks/compare.py [--pairs 9]

Both run against the same simulators (`bot sim up --test-mode`, in a process of their own, outside
what is measured), and both simulators are reset (`POST /__sim__/reset`) before every run. Each
pair runs the two in turn (the order swaps every pair, so neither always runs on a warmer
machine); one unmeasured warm-up of each comes first. For each run: wall seconds from start to
exit, CPU seconds (user + system) of every process of the tree (Python, Playwright's driver,
Chromium and its renderers, read from /proc every 0.1 s: `measure.TreePeak`), also by process role
(`measure.role`), and the peak proportional set size (PSS: shared pages split between the
processes sharing them) of the whole tree, sampled with it. Prints each pair with its ratio, then
medians and the ratios of the medians. Linux only (/proc).
Figures go in docs/benchmarks.md, never in timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
import yaml
from measure import BIN, ENV, ROOT, TreePeak, machine, role, running_simulators

from bot.app.browser import choose_browser, launch_args

CLIENT = "sandbox"


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds, user + system of the process tree
    cpu_by: dict[str, float]  # the same, by process role (`measure.role`)
    peak_mib: float  # peak PSS of the process tree


def measured(command: list[str], env: dict[str, str]) -> Sample:
    """Run `command` to its end; a failed run stops the benchmark with its output."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = TreePeak(process.pid, every=0.1, label=role)
    output, _ = process.communicate()
    wall, mib = time.perf_counter() - start, peak.stop()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-4000:]}")
    return Sample(wall, peak.cpu_seconds, peak.cpu_by(), mib)


def reset(folder: Path) -> None:
    """Both simulators back to their seed (consent asked again, tokens dead)."""
    settings = yaml.safe_load((folder / "config.yaml").read_text())["clients"][CLIENT]["settings"]
    for url in (settings["assignar_url"], settings["acumatica_url"]):
        requests.post(f"{url}/__sim__/reset", timeout=10).raise_for_status()


def contestants(folder: Path) -> dict[str, Callable[[], Sample]]:
    launch = json.dumps(launch_args(choose_browser()))
    env = {**ENV, "BOT_BENCH_LAUNCH": launch}
    script = [str(BIN / "python"), str(ROOT / "benchmarks" / "handwritten.py"), str(folder)]
    bot = [str(BIN / "bot"), "--config", str(folder / "config.yaml")]
    bot += ["run", "reauthorize", "--client", CLIENT]
    return {
        "handwritten": lambda: measured(script, env),
        "bot run": lambda: measured(bot, env),
    }


def table(results: dict[str, list[Sample]]) -> None:
    names = list(results)
    print(f"\n{'':<12} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}   (medians)")
    medians = {}
    for name in names:
        rows = results[name]
        roles = sorted({key for r in rows for key in r.cpu_by})
        medians[name] = Sample(
            statistics.median(r.wall for r in rows),
            statistics.median(r.cpu for r in rows),
            {key: statistics.median(r.cpu_by.get(key, 0.0) for r in rows) for key in roles},
            statistics.median(r.peak_mib for r in rows),
        )
        m = medians[name]
        by = ", ".join(f"{key} {spent:.2f}" for key, spent in sorted(m.cpu_by.items()))
        print(f"{name:<12} {m.wall:8.2f} {m.cpu:8.2f} {m.peak_mib:9.0f}   CPU s by role: {by}")
    base, bot = medians[names[0]], medians[names[1]]
    print(
        f"\nbot run / handwritten: wall {bot.wall / base.wall:.2f}x (target <= 1.25x), "
        f"CPU {bot.cpu / base.cpu:.2f}x, peak memory {bot.peak_mib / base.peak_mib:.2f}x"
    )
    ratios = [b.wall / h.wall for h, b in zip(results[names[0]], results[names[1]], strict=True)]
    print(
        f"pair ratios (wall): median {statistics.median(ratios):.2f}x, "
        f"min {min(ratios):.2f}x, max {max(ratios):.2f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=9, help="measured pairs (default 9)")
    args = parser.parse_args()
    print(f"machine: {machine()}; load average before: {os.getloadavg()}")
    with running_simulators() as folder:
        runs = contestants(folder)
        for run in runs.values():  # warm-up: page cache, Chromium's first start
            reset(folder)
            run()
        results: dict[str, list[Sample]] = {name: [] for name in runs}
        for pair in range(args.pairs):
            order = list(runs) if pair % 2 == 0 else list(reversed(runs))
            for name in order:
                reset(folder)
                results[name].append(runs[name]())
            h, b = results["handwritten"][-1], results["bot run"][-1]
            print(
                f"pair {pair + 1:>2}: handwritten {h.wall:5.2f} s {h.cpu:5.2f} cpu "
                f"{h.peak_mib:4.0f} MiB | bot run {b.wall:5.2f} s {b.cpu:5.2f} cpu "
                f"{b.peak_mib:4.0f} MiB | {b.wall / h.wall:.2f}x  (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()}")
    table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
