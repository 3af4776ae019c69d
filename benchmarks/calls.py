"""Where `bot run reauthorize` waits for the browser: its Playwright calls by call site.

    .venv/bin/python benchmarks/calls.py [--runs 2] [--top 30]

Runs the `bot` command in this process against running simulators (`bot sim up --test-mode`,
reset before every run; one unmeasured warm-up run first), and times every sync Playwright call
from its start to its answer, named by the Playwright method and the first line of `bot/` on its
stack (e.g. `Locator.aria_snapshot  steps/_outline.py:81 describe_element`). Prints, per call site,
the calls a run makes and the milliseconds it waits for them, most first.

An experiment, not part of the product: it wraps Playwright's private `SyncBase._sync`, through
which every sync call goes. A call made inside another (an event listener's, while the run waits)
is counted in both. Figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable
from pathlib import Path
from types import FrameType
from typing import Any

from measure import ROOT, machine, running_simulators

BOT = str(ROOT / "bot") + os.sep


def site_of(frame: FrameType | None) -> str:
    """The innermost line of `bot/` on the stack (outside `_unrecorded`), as `path:line name`."""
    while frame is not None:
        path = frame.f_code.co_filename
        if path.startswith(BOT) and not path.endswith("_unrecorded.py"):
            return f"{path.removeprefix(BOT)}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return "(outside bot/)"


class CallClock:
    """Counts and times every sync Playwright call by (method, call site) from `install()` on."""

    def __init__(self) -> None:
        self.calls: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0.0])

    def install(self) -> None:
        from playwright._impl._sync_base import SyncBase

        original = SyncBase._sync
        calls = self.calls

        def timed(base: SyncBase, awaitable: Awaitable[Any]) -> Any:
            method = getattr(awaitable, "__qualname__", type(awaitable).__name__)
            key = (method, site_of(sys._getframe(1)))
            start = time.perf_counter()
            try:
                return original(base, awaitable)
            finally:
                calls[key][0] += 1
                calls[key][1] += time.perf_counter() - start

        SyncBase._sync = timed  # type: ignore[method-assign,assignment]


def one_run(config: str) -> float:
    import bot.cli

    sys.argv = ["bot", "--config", config, "run", "reauthorize", "--client", "sandbox"]
    start = time.perf_counter()
    with Path(os.devnull).open("w") as quiet, contextlib.redirect_stdout(quiet):
        try:
            bot.cli.main()
        except SystemExit as end:
            if end.code:
                raise SystemExit(f"the run failed ({end.code})") from None
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    from compare import reset

    clock = CallClock()
    clock.install()
    print(f"machine: {machine()}; load average before: {os.getloadavg()}")
    walls = []
    with running_simulators() as folder:
        config = str(folder / "config.yaml")
        reset(folder)
        one_run(config)  # warm-up: imports, the page cache, Chromium's first start
        clock.calls.clear()
        for _ in range(args.runs):
            reset(folder)
            walls.append(one_run(config))
    print(f"load average after: {os.getloadavg()}; runs: {', '.join(f'{w:.2f} s' for w in walls)}")
    rows = sorted(clock.calls.items(), key=lambda item: -item[1][1])
    total = sum(spent for _, spent in clock.calls.values()) / args.runs
    header = f"{'calls':>6} {'ms/run':>8} {'ms each':>8}  method at call site"
    print(f"\n{header} (waited {total:.2f} s a run)")
    for (method, site), (count, spent) in rows[: args.top]:
        print(
            f"{count / args.runs:6.1f} {spent / args.runs * 1000:8.1f} "
            f"{spent / count * 1000:8.2f}  {method}  {site}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
