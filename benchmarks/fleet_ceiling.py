"""How much faster Playwright alone gets from one shared browser here: the ceiling of the fleet's
throughput ratio on this machine. Four contestants, in one alternating run:

    .venv/bin/python benchmarks/fleet_ceiling.py [--clients 20] [--rounds 2] [--parallel 4]

- hand sequential: N × `benchmarks/handwritten.py --client X` (the bare clicks, traced, a
  process, a driver and a browser each), one after another;
- hand shared: the same clicks for the N clients in one process, one driver and one browser, a
  context each, P at once (on the fleet's own scheduler, `bot.app.cooperative`);
- bot sequential and bot fleet: as in `benchmarks/fleet.py`.

Why: a client costs the same work (CPU) run either way, except what sharing saves (a Python
start, a driver, a browser launch). Work added to every client in both ways (the engine's, the
evidence's) moves the ratio of the two towards what the machine's cores allow for work that
cannot be shared; so the bot's fleet can only beat the hand-written ratio by waiting idle in each
sequential run. The hand-written traces carry no screencast frames, as the bot's (its default).
The simulators (`bot sim up --clients N`) run in a process of their own, outside what is measured.
Linux only (/proc). Figures go in docs/benchmarks.md, never in timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from functools import partial
from pathlib import Path

from fleet import Contestant, alternate, measured
from fleet import fleet as bot_fleet
from fleet import sequential as bot_sequential
from handwritten import load_client, one_client
from measure import BIN, ENV

from bot.app.browser import choose_browser, launch_args, lean_driver

HERE = Path(__file__).resolve().parent
Result = tuple[float, float, int]


def hand_sequential(config: Path, clients: list[str], parallel: int) -> Result:
    env = {**ENV, "BOT_BENCH_LAUNCH": json.dumps(launch_args(choose_browser()))}
    script = [str(BIN / "python"), str(HERE / "handwritten.py"), str(config.parent)]
    results = [measured([*script, "--client", c, "--no-screencast"], env) for c in clients]
    failed = sum(1 for _, _, code in results if code != 0)
    return sum(t for t, _, _ in results), max(m for _, m, _ in results), failed


def hand_shared(config: Path, clients: list[str], parallel: int) -> Result:
    command = [str(BIN / "python"), str(HERE / "fleet_ceiling.py"), "--shared", str(config.parent)]
    return measured([*command, "--parallel", str(parallel), *clients], ENV)


def shared_main(folder: Path, clients: list[str], parallel: int) -> int:
    """The `hand shared` contestant itself: launched as the bot's fleet launches its browser."""
    from playwright.sync_api import sync_playwright

    from bot.app.cooperative import Cooperative

    with lean_driver():
        manager = sync_playwright()
        playwright = manager.start()
    try:
        launch = launch_args(choose_browser(), lean=True)  # as the fleet's browser
        browser = playwright.chromium.launch(**launch)  # type: ignore[arg-type]
        jobs = [
            partial(one_client, browser, *load_client(folder, client), False) for client in clients
        ]
        Cooperative(playwright).run(jobs, parallel)
        browser.close()
    finally:
        manager.__exit__(None, None, None)
    return 0


CONTESTANTS: dict[str, Contestant] = {
    "hand seq": hand_sequential,
    "hand shared": hand_shared,
    "bot seq": bot_sequential,
    "bot fleet": bot_fleet,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--shared", type=Path, help=argparse.SUPPRESS)  # the contestant itself
    parser.add_argument("names", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.shared:
        return shared_main(args.shared, args.names, args.parallel)
    results = alternate(CONTESTANTS, args.clients, args.rounds, args.parallel)
    print(f"load average after: {os.getloadavg()}")
    medians = {name: statistics.median(t for t, _, _ in rows) for name, rows in results.items()}
    print(f"\n{'':<12} {'median s':>9} {'s a client':>11}")
    for name, median in medians.items():
        print(f"{name:<12} {median:9.1f} {median / args.clients:11.2f}")
    hand = medians["hand seq"] / medians["hand shared"]
    bot = medians["bot seq"] / medians["bot fleet"]
    print(f"\nPlaywright alone, shared vs sequential: {hand:.2f}x")
    print(f"the bot, fleet vs sequential:           {bot:.2f}x (target >= 2.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
