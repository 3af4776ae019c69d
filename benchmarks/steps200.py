"""The engine's own cost per step: a 200-step runbook against a local page, through `bot run`'s
path (`execute`: tracing, events, history, reports), against the same 200 actions hand-written.

    .venv/bin/python benchmarks/steps200.py [--rounds 3]

A page served on loopback has 40 fields, buttons and checkboxes; the runbook opens it, then cycles
fill → click → check → expect → capture through them (1 + 199 steps). For each step: its wall time
(from its start to the next step's start: locating, acting, events, history rows), and the time
spent inside Playwright's calls within it. Per step the engine's overhead is the difference (the
issue's measure: total minus Playwright's own time); besides, each step is set against the same
action written by hand (sync API, the same locators, tracing with snapshots): what the bot's extra
calls to the browser cost too. Medians over the steps; rounds alternate the two. Figures go in
docs/benchmarks.md, never in timed tests.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from measure import PlaywrightClock, machine
from support.pages import serve_folder

COUNT = 40  # fields, buttons and checkboxes on the page
STEPS = 200
KINDS = ("fill", "click", "check", "expect", "capture")
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title></head>
<body><main><h1>Form</h1><output id="last">Pressed none</output>
{rows}
</main><script>
for (const button of document.querySelectorAll('button'))
  button.addEventListener('click', () => {{
    document.getElementById('last').textContent = 'Pressed ' + button.dataset.n;
  }});
</script></body></html>"""
ROW = """<p><label>Field {n} <input name="f{n}"></label>
<button type="button" data-n="{n}">Button {n}</button>
<label><input type="checkbox" name="b{n}"> Box {n}</label></p>"""


def actions() -> list[tuple[str, int]]:
    """The 199 actions after opening the page: (kind, which row)."""
    return [(KINDS[i % len(KINDS)], (i // len(KINDS)) % COUNT + 1) for i in range(STEPS - 1)]


def runbook_yaml() -> str:
    lines = [
        "name: steps200",
        "requires: [site_url]",
        "steps:",
        '  - goto: "{{ client.site_url }}/form.html"',
    ]
    said = {
        "fill": "  - fill: {{Field {n}: value {n}}}",
        "click": "  - click: Button {n}",
        "check": "  - check: Box {n}",
        "expect": '  - expect: {{text: "Pressed {n}"}}',
        "capture": "  - capture: {{label: Field {n}, get: value, as: v{n}}}",
    }
    lines += [said[kind].format(n=n) for kind, n in actions()]
    return "\n".join(lines) + "\n"


@contextmanager
def served_page() -> Iterator[str]:
    """The form on a loopback HTTP server (the tests' `serve_folder`); its base URL."""
    folder = Path(tempfile.mkdtemp(prefix="steps200-"))
    rows = "\n".join(ROW.format(n=n) for n in range(1, COUNT + 1))
    (folder / "form.html").write_text(PAGE.format(rows=rows), encoding="utf-8")
    with serve_folder(folder) as url:
        yield url


class StepClock:
    """A listener marking when each step starts, and the Playwright time charged to each."""

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.inside: list[float] = []

    def __call__(self, event: Any) -> None:
        from bot import RunFinished, StepEvent, StepStatus

        if isinstance(event, StepEvent) and event.status is StepStatus.STARTED:
            self.starts.append(time.perf_counter())
            self.inside.append(0.0)
        elif isinstance(event, RunFinished):
            self.starts.append(time.perf_counter())

    def charge(self, seconds: float) -> None:
        if self.inside:
            self.inside[-1] += seconds

    def walls(self) -> list[float]:
        return [b - a for a, b in zip(self.starts, self.starts[1:], strict=False)]


def bot_round(url: str, folder: Path, clock: StepClock) -> list[float]:
    """The runbook through `execute`, as `bot run` does it; each step's wall time."""
    from bot import BUILTIN, Catalog, Config, RunOptions, execute

    (folder / "runbooks").mkdir(parents=True)
    (folder / "runbooks" / "steps200.yaml").write_text(runbook_yaml(), encoding="utf-8")
    config = Config.model_validate(
        {
            "runbooks": [str(folder / "runbooks")],
            "runs": {"root": str(folder / "runs"), "history": str(folder / "history.sqlite")},
            "clients": {"local": {"settings": {"site_url": url}}},
        }
    )
    options = RunOptions(extra_listeners=[clock])
    outcome = execute(
        config, Catalog.for_config(config, BUILTIN), "steps200", "local", {}, options, io.StringIO()
    )
    if outcome.result.verdict != "passed":
        raise SystemExit(f"the runbook failed: {outcome.result.error}")
    # the last step's time runs to the run's end (the final screenshot): left out
    return clock.walls()[:-1]


def hand_round(url: str, launch: dict[str, Any]) -> list[float]:
    """The same actions written by hand; each one's wall time."""
    from playwright.sync_api import Page, expect, sync_playwright

    def do(page: Page, kind: str, n: int) -> None:
        if kind == "fill":
            page.get_by_label(f"Field {n}", exact=True).fill(f"value {n}")
        elif kind == "click":
            page.get_by_role("button", name=f"Button {n}", exact=True).click()
        elif kind == "check":
            page.get_by_label(f"Box {n}", exact=True).check()
        elif kind == "expect":
            expect(page.get_by_text(f"Pressed {n}", exact=True)).to_be_visible()
        else:
            page.get_by_label(f"Field {n}", exact=True).input_value()

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch)
        context = browser.new_context()
        context.tracing.start(snapshots=True, screenshots=False)
        page = context.new_page()
        steps: list[Callable[[], Any]] = [lambda: page.goto(f"{url}/form.html")]
        steps += [partial(do, page, kind, n) for kind, n in actions()]
        for step in steps:
            started = time.perf_counter()
            step()
            times.append(time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as out:
            context.tracing.stop(path=str(Path(out) / "trace.zip"))
        browser.close()
    return times[:-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from bot import choose_browser, launch_args

    launch = launch_args(choose_browser())
    print(f"machine: {machine()}; load average before: {os.getloadavg()}")
    overheads: list[float] = []
    extras: list[float] = []
    bot_totals: list[float] = []
    hand_totals: list[float] = []
    inside_totals: list[float] = []
    playwright_time = PlaywrightClock()
    playwright_time.install()
    with served_page() as url, tempfile.TemporaryDirectory(prefix="steps200-bot-") as home:
        for round_ in range(args.rounds + 1):  # the first warms up and is not counted
            clock = StepClock()
            walls, hand = [], []
            for name in ("hand", "bot") if round_ % 2 == 0 else ("bot", "hand"):
                if name == "bot":
                    playwright_time.charge = clock.charge
                    walls = bot_round(url, Path(home) / f"r{round_}", clock)
                    playwright_time.charge = None
                else:
                    hand = hand_round(url, launch)
            if round_ == 0:
                continue
            inside = clock.inside[: len(walls)]
            overhead = [wall - pw for wall, pw in zip(walls, inside, strict=True)]
            extra = [wall - by_hand for wall, by_hand in zip(walls, hand, strict=True)]
            overheads.append(statistics.median(overhead))
            extras.append(statistics.median(extra))
            bot_totals.append(sum(walls))
            inside_totals.append(sum(inside))
            hand_totals.append(sum(hand))
            print(
                f"round {round_}: bot {sum(walls):6.2f} s ({sum(inside):6.2f} s in Playwright), "
                f"by hand {sum(hand):6.2f} s; per step: engine overhead "
                f"{overheads[-1] * 1000:5.2f} ms, vs by hand {extras[-1] * 1000:6.2f} ms "
                f"(load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    print(f"load average after: {os.getloadavg()}")
    steps = len(actions())
    print(
        f"\n{steps} steps (the last left out), medians of {args.rounds} rounds:\n"
        f"  bot:     {statistics.median(bot_totals):6.2f} s, of which "
        f"{statistics.median(inside_totals):6.2f} s inside Playwright's calls\n"
        f"  by hand: {statistics.median(hand_totals):6.2f} s\n"
        f"  engine overhead per step (wall - Playwright's own time): "
        f"{statistics.median(overheads) * 1000:.2f} ms (target <= 5 ms)\n"
        f"  a step against the same action by hand: "
        f"+{statistics.median(extras) * 1000:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
