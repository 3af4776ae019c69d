"""Where the time of `bot run reauthorize` goes, phase by phase (against running simulators).

    .venv/bin/python benchmarks/phases.py [--runs 5]

Each run is a fresh process (`python benchmarks/phases.py --child CONFIG`) running the `bot`
command in-process with timers wrapped around the functions that make up a run: start-up, config
and runbooks, validation, browser launch, trace start, the steps (split into Playwright's own
time, screenshots, event listeners and the engine's own work), trace stop, browser close, sealing
the evidence (trace scrub, reports, scrubbing and scanning every file) and the history. The
simulators (`bot sim up --test-mode`) run in a process of their own and are reset before every run.
Prints the median of each phase over the runs. Figures go in docs/benchmarks.md, never in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from measure import PlaywrightClock, machine, running_simulators

START = time.time()
PHASES = {
    "start-up (interpreter, imports)": 0,
    "config and runbooks": 0,
    "validation (plan, twice)": 0,
    "history (open, facts)": 0,
    "browser launch": 0,
    "trace start": 0,
    "steps": 0,
    "Playwright (the actions)": 1,
    "screenshots": 1,
    "event listeners (console, report, history)": 1,
    "engine (the rest)": 1,
    "trace stop": 0,
    "browser close": 0,
    "sealing": 0,
    "trace scrub": 1,
    "reports": 1,
    "scrub and scan every file": 1,
    "verdict and exit": 0,
    "total": 0,
}


class Timers:
    """Wall time per phase; Playwright calls charged to the innermost phase running."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.playwright: dict[str, float] = defaultdict(float)
        self.stack: list[str] = []
        self.marks: dict[str, float] = {}
        self.steps = 0

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        self.stack.append(name)
        try:
            yield
        finally:
            self.stack.pop()
            self.spent[name] += time.perf_counter() - started

    def wrap(self, owner: Any, attribute: str, name: str) -> None:
        original = getattr(owner, attribute)

        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.phase(name):
                return original(*args, **kwargs)

        setattr(owner, attribute, timed)

    def wrap_session(self, module: Any) -> None:
        """`open_session`: entering it launches the browser, leaving it closes the browser."""
        original = module.open_session

        @contextlib.contextmanager
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            manager = original(*args, **kwargs)
            with self.phase("browser launch"):
                session = manager.__enter__()
            try:
                yield session
            except BaseException:
                with self.phase("browser close"):
                    if not manager.__exit__(*sys.exc_info()):
                        raise
            else:
                with self.phase("browser close"):
                    manager.__exit__(None, None, None)

        module.open_session = timed

    def charge_playwright(self, seconds: float) -> None:
        self.playwright[self.stack[-1] if self.stack else "-"] += seconds


def install(timers: Timers) -> None:
    """Timers around the functions of one run (their modules imported as `bot run` would)."""
    import bot.app.run as run
    import bot.app.session as session
    import bot.cli.run as command
    from bot.engine.context import EngineContext
    from bot.engine.events import EventBus, StepEvent, StepStatus
    from bot.engine.runner import Runner
    from bot.evidence import History, RunEvidence

    timers.wrap(command, "load", "config and runbooks")
    timers.wrap(run, "make_plan", "validation (plan, twice)")
    timers.wrap(run, "History", "history (open, facts)")
    timers.wrap(run, "_state", "history (open, facts)")
    timers.wrap(History, "remember", "history (open, facts)")
    timers.wrap_session(session)
    timers.wrap(RunEvidence, "start", "trace start")
    timers.wrap(Runner, "run", "steps")
    timers.wrap(EngineContext, "step_screenshot", "screenshots")
    timers.wrap(RunEvidence, "stop_browser_side", "trace stop")
    timers.wrap(RunEvidence, "_seal", "sealing")
    timers.wrap(RunEvidence, "_scrub_trace", "trace scrub")
    timers.wrap(RunEvidence, "_write_reports", "reports")
    timers.wrap(RunEvidence, "_scrub_or_delete", "scrub and scan every file")
    PlaywrightClock(timers.charge_playwright).install()
    emit = EventBus.emit

    def counted(bus: EventBus, event: Any) -> None:
        if isinstance(event, StepEvent) and event.status is StepStatus.STARTED:
            timers.steps += 1
        with timers.phase("event listeners (console, report, history)"):
            emit(bus, event)

    EventBus.emit = counted  # type: ignore[method-assign]


def child(config: str) -> None:
    """One run in this process; prints the phases as JSON on the last line."""
    imported = time.time()
    import bot.cli

    timers = Timers()
    install(timers)
    timers.spent["start-up (interpreter, imports)"] = time.time() - imported
    sys.argv = ["bot", "--config", config, "run", "reauthorize", "--client", "sandbox"]
    with Path(os.devnull).open("w") as quiet, contextlib.redirect_stdout(quiet):
        bot.cli.main()
    spent = dict(timers.spent)
    steps = spent["steps"]
    inside = timers.playwright["steps"]
    spent["Playwright (the actions)"] = inside
    spent["engine (the rest)"] = (
        steps - inside - spent["screenshots"] - spent["event listeners (console, report, history)"]
    )
    spent["began"] = START
    spent["step count"] = timers.steps
    print(json.dumps(spent))


def one_run(config: str) -> dict[str, float]:
    started = time.time()
    done = subprocess.run(
        [sys.executable, __file__, "--child", config],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    ended = time.time()
    if done.returncode != 0:
        raise SystemExit(f"the run failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    spent: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    spent["start-up (interpreter, imports)"] += spent["began"] - started  # the interpreter
    spent["total"] = ended - started
    named = [name for name, depth in PHASES.items() if depth == 0][:-2]  # not "verdict", "total"
    spent["verdict and exit"] = spent["total"] - sum(spent.get(name, 0) for name in named)
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    from compare import reset

    print(f"machine: {machine()}; load average before: {os.getloadavg()}")
    results: list[dict[str, float]] = []
    with running_simulators() as folder:
        for _ in range(args.runs + 1):  # the first warms the caches and is not counted
            reset(folder)
            results.append(one_run(str(folder / "config.yaml")))
    results = results[1:]
    print(f"load average after: {os.getloadavg()}\n")
    print(f"{'phase':<46} {'median s':>9} {'share':>6}")
    total = statistics.median(r["total"] for r in results)
    for name, depth in PHASES.items():
        value = statistics.median(r.get(name, 0.0) for r in results)
        label = ("  " * depth) + name
        print(f"{label:<46} {value:9.3f} {value / total:6.1%}")
    steps = statistics.median(r["step count"] for r in results)
    print(f"\nsteps run: {steps:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
