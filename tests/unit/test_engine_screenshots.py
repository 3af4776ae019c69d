"""Which screenshots a run keeps, by policy (`runs.screenshots`): every policy keeps one at a
failure and one of the final state; `on-change` adds one after each step that acts on the page,
`every-step` one after every step. A step around a failed one, or a final state no step changed
since the last screenshot, reuses that screenshot instead of taking the same picture again."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from support.fake_page import FakePage

from bot import EventBus, RunFinished, Source, StepEvent, StepStatus
from bot.engine import Runner, RunSettings, RunState
from bot.evidence import RunFolder
from bot.language import load_source
from bot.steps import BUILTIN, PlaywrightServices

RUNBOOK = """\
name: t
steps:
  - goto: http://a.test/start
  - capture: {get: url, as: here}
  - press: Enter
  - set: {done: "yes"}
"""
FAILING = """\
name: t
steps:
  - goto: http://a.test/start
  - group:
      - press: Enter
      - fail: The tenant differs
"""


class PictureServices(PlaywrightServices):
    """Page services whose screenshots are empty files, named in the order they were taken."""

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        self.taken: list[str] = []

    def screenshot(
        self,
        path: Path,
        *,
        full_page: bool,
        masks: Sequence[Any],
        hides: Callable[[str], str | None] | None = None,
    ) -> None:
        path.write_bytes(b"")
        self.taken.append(path.name)


def run(
    text: str, policy: str | None, folder: Path, services: type[PictureServices] = PictureServices
) -> tuple[list[str], list[StepEvent], RunFinished]:
    """The screenshots taken, the finished step events and the run's end."""
    pictures = services(FakePage())
    events: list[Any] = []
    settings = RunSettings(files=RunFolder.create(folder, "c", "t", "r1"), screenshots=policy)  # type: ignore[arg-type]
    runbook = load_source(Source("runbooks/t.yaml", textwrap.dedent(text)), BUILTIN)
    bus = EventBus([events.append])
    Runner(pictures, RunState(), bus, registry=BUILTIN, settings=settings).run(runbook)
    done = [e for e in events if isinstance(e, StepEvent) and e.status is not StepStatus.STARTED]
    finished = events[-1]
    assert isinstance(finished, RunFinished)
    return pictures.taken, done, finished


def shots(events: list[StepEvent]) -> dict[str, str | None]:
    return {event.path: event.screenshot for event in events}


def test_on_failure_keeps_only_the_final_state_of_a_passing_run(tmp_path: Path) -> None:
    taken, events, finished = run(RUNBOOK, "on-failure", tmp_path)
    assert taken == ["001-final-state.png"]
    assert set(shots(events).values()) == {None}
    assert finished.screenshot == "screenshots/001-final-state.png"


def test_on_change_keeps_one_after_each_step_that_acts_on_the_page(tmp_path: Path) -> None:
    taken, events, finished = run(RUNBOOK, "on-change", tmp_path)
    assert taken == ["001-goto-http-a.test-start.png", "002-press-Enter.png", "003-final-state.png"]
    assert shots(events) == {
        "steps[0]": "screenshots/001-goto-http-a.test-start.png",
        "steps[1]": None,
        "steps[2]": "screenshots/002-press-Enter.png",
        "steps[3]": None,
    }
    assert finished.screenshot == "screenshots/003-final-state.png"  # `set` ran after the last


def test_every_step_keeps_one_after_each_step(tmp_path: Path) -> None:
    taken, events, finished = run(RUNBOOK, "every-step", tmp_path)
    assert len(taken) == 4
    assert all(shots(events).values())
    assert finished.screenshot == shots(events)["steps[3]"]  # no step since: the same picture


def test_a_failure_is_pictured_once_whatever_the_policy(tmp_path: Path) -> None:
    for policy in ("on-failure", "on-change", "every-step"):
        taken, events, finished = run(FAILING, policy, tmp_path / policy)
        failed = [event for event in events if event.status is StepStatus.FAILED]
        assert [event.path for event in failed] == ["steps[1].group[1]", "steps[1]"]
        picture = "screenshots/" + next(name for name in taken if "FAILED" in name)
        # the group around the failed step shows the same page: the same screenshot
        assert [event.screenshot for event in failed] == [picture, picture], policy
        assert finished.screenshot == picture, policy
        assert sum("FAILED" in name for name in taken) == 1, policy
        assert not [name for name in taken if "final" in name], policy


def test_finally_steps_after_a_failure_get_a_final_state_of_their_own(tmp_path: Path) -> None:
    taken, _, finished = run(FAILING + "finally:\n  - goto: http://a.test/after\n", None, tmp_path)
    assert taken == []  # no policy: only what `screenshot` steps take
    taken, _, finished = run(
        FAILING + "finally:\n  - goto: http://a.test/after\n", "on-failure", tmp_path / "p"
    )
    assert [name.split("-", 1)[1] for name in taken] == [
        "FAILED-fail-The-tenant-differs.png",
        "final-state.png",
    ]
    assert finished.screenshot == f"screenshots/{taken[1]}"


def test_a_screenshot_step_is_the_steps_own_picture(tmp_path: Path) -> None:
    taken, events, finished = run(
        "name: t\nsteps:\n  - goto: http://a.test/\n  - screenshot: signed-in\n",
        "every-step",
        tmp_path,
    )
    assert taken == ["001-goto-http-a.test.png", "002-signed-in.png"]
    assert shots(events)["steps[1]"] == "screenshots/002-signed-in.png"
    assert finished.screenshot == "screenshots/002-signed-in.png"


class GoneBrowser(PictureServices):
    def screenshot(self, path: Path, **kwargs: Any) -> None:
        raise RuntimeError("Target page, context or browser has been closed")


@pytest.mark.parametrize("policy", ["on-failure", "on-change", "every-step"])
def test_a_browser_gone_at_the_end_leaves_no_final_state(tmp_path: Path, policy: str) -> None:
    taken, _, finished = run(RUNBOOK, policy, tmp_path, GoneBrowser)
    assert (taken, finished.verdict, finished.screenshot) == ([], "passed", None)
