"""What each of the bot's own costs adds to `bot run reauthorize`: the run with one left out.

    .venv/bin/python benchmarks/ablation.py [--runs 3]

An experiment, not an option of the product: each variant is a fresh process running the `bot`
command in-process with one piece replaced (`--child CONFIG VARIANT`), against the same running
simulators (`bot sim up --test-mode`, reset before every run), the variants alternating run by run:

- full:          the run as it is;
- no-describe:   the chosen element is not named for the record (no `ariaSnapshot` per step);
- no-dead-ends:  the page is not read for dead ends (error pages, locked accounts) after a step;
- no-groups:     the steps are not grouped in the trace (no `tracing.group`/`group_end`);
- no-snapshots:  the trace keeps no DOM snapshots;
- no-oracles:    the page is not read for a secret it shows before a locator is matched
                 (`_oracles`: a page that answers differently to a secret);
- no-secret-reads: `capture` and `expect` do not check that the field is not a secret's;
- checks-out:    all of the bot's own questions above left out at once (naming, dead ends,
                 groups, oracles, secret reads): what a run costs without them;
- handwritten:   `benchmarks/handwritten.py`, the same clicks by hand, for reference.

The last two say how far leaving the bot's questions out would go towards the hand-written script.

Prints, per variant, the medians of wall seconds and CPU seconds by process role (Chromium's
renderers, Playwright's driver, Python, the browser process), read from /proc (`measure.TreePeak`),
and what leaving the piece out saves against `full`. Figures go in docs/benchmarks.md.
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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from measure import ENV, TreePeak, machine, role, running_simulators

VARIANTS = (
    "full",
    "no-describe",
    "no-dead-ends",
    "no-groups",
    "no-snapshots",
    "no-oracles",
    "no-secret-reads",
    "checks-out",
    "handwritten",
)
CHECKS = ("no-describe", "no-dead-ends", "no-groups", "no-oracles", "no-secret-reads")


def _leave_out(variant: str) -> None:
    """Replace the piece `variant` names (in this process only)."""
    if variant == "checks-out":
        for check in CHECKS:
            _leave_out(check)
    elif variant == "no-describe":
        from bot.steps import _locate, _outline, _pointer

        def unnamed(element: Any) -> str:
            return "an element"

        _outline.describe_element = _locate.describe_element = _pointer.describe_element = unnamed
    elif variant == "no-dead-ends":
        from bot.steps import page

        page.page_dead_end = lambda *_: None
    elif variant == "no-groups":
        from bot.steps import page

        @contextlib.contextmanager
        def ungrouped(*_: Any) -> Iterator[None]:
            yield

        page.PlaywrightServices.step_group = ungrouped  # type: ignore[assignment,method-assign]
    elif variant == "no-snapshots":
        from playwright.sync_api._generated import Tracing

        start = Tracing.start

        def without_snapshots(self: Tracing, **options: Any) -> None:
            start(self, **{**options, "snapshots": False})

        Tracing.start = without_snapshots  # type: ignore[method-assign]
    elif variant == "no-oracles":
        from bot.steps import _locate, assertions, navigation

        def unasked(*_: Any) -> None:
            return None

        _locate.refuse_secret_dependent = _locate.refuse_secret_named = unasked
        navigation.refuse_secret_dependent = assertions.refuse_secret_dependent = unasked
        assertions.refuse_counting_secrets = unasked
    elif variant == "no-secret-reads":
        from bot.steps import assertions, data

        data.refuse_reading_secret_field = assertions.refuse_reading_secret_field = lambda *_: None


def child(config: str, variant: str) -> None:
    import bot.cli

    _leave_out(variant)
    sys.argv = ["bot", "--config", config, "run", "reauthorize", "--client", "sandbox"]
    with Path(os.devnull).open("w") as quiet, contextlib.redirect_stdout(quiet):
        bot.cli.main()


def one_run(config: str, variant: str) -> dict[str, float]:
    start = time.perf_counter()
    command = [sys.executable, __file__, "--child", config, variant]
    env = ENV
    if variant == "handwritten":  # in the same browser as the bot's runs
        from bot.app.browser import choose_browser, launch_args

        script = Path(__file__).with_name("handwritten.py")
        command = [sys.executable, str(script), str(Path(config).parent)]
        env = {**ENV, "BOT_BENCH_LAUNCH": json.dumps(launch_args(choose_browser()))}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tree = TreePeak(process.pid, every=0.1, label=role)
    output, _ = process.communicate()
    wall = time.perf_counter() - start
    tree.stop()
    if process.returncode != 0:
        raise SystemExit(f"{variant} failed:\n{output.decode()[-3000:]}")
    return {"wall": wall, "CPU": tree.cpu_seconds, **tree.cpu_by()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("CONFIG", "VARIANT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    from compare import reset

    print(f"machine: {machine()}; load average before: {os.getloadavg()}")
    results: dict[str, list[dict[str, float]]] = {variant: [] for variant in VARIANTS}
    with running_simulators() as folder:
        config = str(folder / "config.yaml")
        reset(folder)
        one_run(config, "full")  # warm-up, not counted
        for _ in range(args.runs):
            for variant in VARIANTS:
                reset(folder)
                results[variant].append(one_run(config, variant))
    print(f"load average after: {os.getloadavg()}\n")
    columns = ("wall", "CPU", "renderers", "driver", "python", "browser")
    heading = "".join(f"{c:>11}" for c in columns)
    print(f"{'variant':<16}{heading}   saves (wall, CPU)   wall / handwritten")
    medians = {
        variant: {c: statistics.median(r.get(c, 0.0) for r in runs) for c in columns}
        for variant, runs in results.items()
    }
    full, hand = medians["full"], medians["handwritten"]
    for variant, median in medians.items():
        saves = f"{full['wall'] - median['wall']:+.2f} s, {full['CPU'] - median['CPU']:+.2f} s"
        ratio = f"{median['wall'] / hand['wall']:.2f}x"
        row = "".join(f"{median[c]:11.2f}" for c in columns)
        print(f"{variant:<16}{row}   {saves:<18}  {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
