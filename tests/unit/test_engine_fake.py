"""The engine against a fake page (maestro's FakeDriver idea): `when`, `finally`, retries, events.

Only the built-in actions that need nothing but `page.goto`, `page.url` and `page.keyboard` are
used (goto, capture `get: url`, press, fail, use), so no step is registered for the tests.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from support.fake_page import FakePage

from bot import Catalog, Event, EventBus, RunFinished, RunInterrupted, RunStarted, Source, StepEvent
from bot.engine import Runner, RunResult, RunSettings, RunState
from bot.engine import runner as engine
from bot.language import load_source
from bot.steps import BUILTIN, PlaywrightServices


def runner_for(
    page: FakePage,
    bus: EventBus,
    folder: Path,
    timeout: float = 10.0,
    params: dict[str, Any] | None = None,
) -> Runner:
    """The engine with the built-in actions, on the fake page, `use:` finding runbooks in folder."""
    return Runner(
        PlaywrightServices(page),  # type: ignore[arg-type]
        RunState(params=params or {}),
        bus,
        registry=BUILTIN,
        runbooks=Catalog([folder], BUILTIN).get,
        settings=RunSettings(default_timeout=timeout),
        run_id="r1",
    )


@dataclass
class Harness:
    page: FakePage
    events: list[Event]
    folder: Path

    def run(
        self, text: str, params: dict[str, Any] | None = None, timeout: float = 10.0
    ) -> RunResult:
        runbook = load_source(Source("runbooks/t.yaml", textwrap.dedent(text)), BUILTIN)
        return runner_for(
            self.page, EventBus([self.events.append]), self.folder, timeout, params
        ).run(runbook)

    def steps(self) -> list[tuple[str, str, int]]:
        """(path, status, attempt) of every step event, in order."""
        return [(e.path, str(e.status), e.attempt) for e in self.events if isinstance(e, StepEvent)]

    def step_events(self) -> list[StepEvent]:
        return [e for e in self.events if isinstance(e, StepEvent)]


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(FakePage(), [], tmp_path)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff waits, recorded instead of slept."""
    waited: list[float] = []
    monkeypatch.setattr(engine.time, "sleep", waited.append)
    return waited


def timeout_error() -> PlaywrightTimeout:
    return PlaywrightTimeout('Timeout 1000ms exceeded.\n=== logs ===\n- navigating to "/a"')


# -- events and verdicts ------------------------------------------------------------------------


def test_a_passing_run_emits_started_and_passed_per_step_in_order(harness: Harness) -> None:
    result = harness.run("""\
        name: t
        steps:
          - goto: http://a.test/
          - press: Enter
        """)
    assert result.verdict == "passed"
    assert isinstance(harness.events[0], RunStarted)
    assert harness.events[0].runbook == "t"
    assert harness.steps() == [
        ("steps[0]", "started", 1),
        ("steps[0]", "passed", 1),
        ("steps[1]", "started", 1),
        ("steps[1]", "passed", 1),
    ]
    finished = harness.events[-1]
    assert isinstance(finished, RunFinished)
    assert (finished.run_id, finished.verdict, finished.message) == ("r1", "passed", None)
    assert harness.page.keyboard.pressed == ["Enter"]
    passed = harness.step_events()[1]
    assert passed.description == "goto http://a.test/"
    assert passed.source == "runbooks/t.yaml:3"
    assert passed.duration is not None


def test_a_failure_stops_the_run_and_names_the_step(harness: Harness) -> None:
    result = harness.run("""\
        name: t
        steps:
          - goto: http://a.test/
          - fail: The tenant differs
          - goto: http://never.test/
        """)
    assert result.verdict == "failed"
    assert result.error is not None
    assert (str(result.error.kind), result.error.message) == ("stopped", "The tenant differs")
    assert result.failed_step is not None
    assert result.failed_step.where == "runbooks/t.yaml:4"
    assert "http://never.test/" not in harness.page.visited
    assert harness.steps()[-1] == ("steps[1]", "failed", 1)
    failed = harness.step_events()[-1]
    assert (failed.message, failed.failure_kind) == ("The tenant differs", "stopped")
    finished = harness.events[-1]
    assert isinstance(finished, RunFinished)
    assert (finished.verdict, finished.message, finished.failure_kind) == (
        "failed",
        "The tenant differs",
        "stopped",
    )


# -- when -----------------------------------------------------------------------------------------


def test_when_false_skips_the_step_and_says_why(harness: Harness) -> None:
    result = harness.run(
        """\
        name: t
        params: {force: {type: boolean, default: false}}
        steps:
          - goto: http://skipped.test/
            when: params.force
          - goto: http://ran.test/
            when: not params.force
        """,
        params={"force": False},
    )
    assert result.verdict == "passed"
    assert harness.page.visited == ["http://ran.test/"]
    assert harness.steps() == [
        ("steps[0]", "skipped", 1),
        ("steps[1]", "started", 1),
        ("steps[1]", "passed", 1),
    ]
    assert harness.step_events()[0].message == "`when: params.force` is false"


def test_a_folded_when_is_shown_on_one_line(harness: Harness) -> None:
    harness.run(
        """\
        name: t
        params: {force: {type: boolean, default: false}}
        steps:
          - goto: http://skipped.test/
            when: >
              params.force
              and params.force
          - goto: http://failed.test/
            when: |
              vars.nothing
              in vars.none
        """,
        params={"force": False},
    )
    skipped, failed = harness.step_events()
    assert skipped.message == "`when: params.force and params.force` is false"
    assert (failed.message or "").startswith("cannot evaluate `when: vars.nothing in vars.none`:")


def test_when_sees_variables_captured_earlier(harness: Harness) -> None:
    result = harness.run("""\
        name: t
        steps:
          - goto: http://a.test/consent
          - capture: {get: url, regex: "/(\\\\w+)$", as: page}
          - fail: "on the {{ vars.page }} page"
            when: vars.page == 'consent'
        """)
    assert result.verdict == "failed"
    assert result.error is not None
    assert result.error.message == "on the consent page"
    assert result.vars == {"page": "consent"}


def test_a_when_that_cannot_be_evaluated_fails_that_step(harness: Harness) -> None:
    result = harness.run(
        """\
        name: t
        params: {force: {type: boolean, default: false}}
        steps:
          - capture: {get: url, as: here}
            when: params.force
          - goto: http://a.test/
            when: "'consent' in vars.here"
        """,
        params={"force": False},
    )
    assert result.verdict == "failed"
    assert result.failed_step is not None
    assert result.failed_step.path == "steps[1]"
    assert harness.steps() == [("steps[0]", "skipped", 1), ("steps[1]", "failed", 1)]
    assert result.error is not None
    assert result.error.message.startswith("cannot evaluate `when: 'consent' in vars.here`:")
    assert harness.page.visited == []


# -- finally ---------------------------------------------------------------------------------------


def test_finally_runs_after_a_pass(harness: Harness) -> None:
    harness.run("""\
        name: t
        steps:
          - goto: http://a.test/
        finally:
          - goto: http://cleanup.test/
        """)
    assert harness.page.visited == ["http://a.test/", "http://cleanup.test/"]


def test_finally_runs_after_a_failure_and_the_first_error_is_kept(harness: Harness) -> None:
    result = harness.run("""\
        name: t
        steps:
          - fail: broken
          - goto: http://never.test/
        finally:
          - goto: http://cleanup.test/
          - fail: cleanup failed too
        """)
    assert harness.page.visited == ["http://cleanup.test/"]
    assert result.verdict == "failed"
    assert result.error is not None
    assert result.error.message == "broken"
    assert [p for p, s, _ in harness.steps() if s == "failed"] == ["steps[0]", "finally[1]"]


def test_a_failing_finally_fails_a_passing_run(harness: Harness) -> None:
    result = harness.run("""\
        name: t
        steps:
          - goto: http://a.test/
        finally:
          - fail: could not sign out
        """)
    assert result.verdict == "failed"
    assert result.error is not None
    assert result.error.message == "could not sign out"


def test_ctrl_c_stops_at_once_and_reports_interrupted(harness: Harness) -> None:
    harness.page.keyboard.raises = KeyboardInterrupt()
    with pytest.raises(RunInterrupted):
        harness.run("""\
            name: t
            steps:
              - press: Enter
              - goto: http://never.test/
            finally:
              - goto: http://cleanup.test/
            """)
    assert harness.page.visited == []  # Ctrl-C means stop now: not even `finally` runs
    finished = harness.events[-1]
    assert isinstance(finished, RunFinished)
    assert (finished.verdict, finished.message) == ("interrupted", "interrupted (Ctrl-C)")


# -- retries and optional --------------------------------------------------------------------------


def test_timeouts_are_retried_then_pass(harness: Harness, sleeps: list[float]) -> None:
    harness.page.script["http://a.test/"] = [timeout_error(), timeout_error(), 200]
    result = harness.run("""\
        name: t
        steps:
          - goto: http://a.test/
            retry: {count: 3, backoff: 500ms}
        """)
    assert result.verdict == "passed"
    assert harness.steps() == [
        ("steps[0]", "started", 1),
        ("steps[0]", "retried", 1),
        ("steps[0]", "retried", 2),
        ("steps[0]", "passed", 3),
    ]
    assert sleeps == [0.5, 1.0]  # the backoff doubles
    retried = harness.step_events()[1]
    assert retried.failure_kind == "timeout"
    assert retried.message is not None
    assert retried.message.startswith("Timeout 1000ms exceeded.")


def test_retries_run_out_after_count_extra_attempts(harness: Harness, sleeps: list[float]) -> None:
    harness.page.script["http://a.test/"] = [503, 503, 503, 503]
    result = harness.run("""\
        name: t
        steps:
          - goto: http://a.test/
            retry: {count: 2, backoff: 0}
        """)
    assert result.verdict == "failed"
    assert len(harness.page.visits) == 3
    assert [s for _, s, _ in harness.steps()] == ["started", "retried", "retried", "failed"]
    assert harness.steps()[-1][2] == 3
    assert result.error is not None
    assert (str(result.error.kind), result.error.message) == (
        "server_error",
        "the server answered HTTP 503 for GET http://a.test/",
    )


@pytest.mark.parametrize(
    ("outcome", "on", "attempts"),
    [
        (PlaywrightError("net::ERR_CONNECTION_REFUSED at http://a.test/"), None, 3),  # navigation
        (PlaywrightError("net::ERR_CONNECTION_REFUSED at http://a.test/"), "[timeout]", 1),
        (PlaywrightError("something odd"), None, 1),  # error: not retried by default
        (PlaywrightError("something odd"), "[error]", 3),
        (ValueError("bad"), "[not_found, timeout]", 1),
    ],
)
def test_retry_is_chosen_by_failure_kind(
    harness: Harness, sleeps: list[float], outcome: BaseException, on: str | None, attempts: int
) -> None:
    harness.page.script["http://a.test/"] = [outcome] * 5
    retry = f"{{count: 2, backoff: 0, on: {on}}}" if on else "{count: 2, backoff: 0}"
    result = harness.run(f"""\
        name: t
        steps:
          - goto: http://a.test/
            retry: {retry}
        """)
    assert result.verdict == "failed"
    assert len(harness.page.visits) == attempts


def test_a_fail_step_is_never_retried_by_default(harness: Harness, sleeps: list[float]) -> None:
    harness.run("""\
        name: t
        steps:
          - fail: stop
            retry: {count: 5, backoff: 0}
        """)
    assert [s for _, s, _ in harness.steps()] == ["started", "failed"]


def test_without_retry_a_step_is_tried_once(harness: Harness) -> None:
    harness.page.script["http://a.test/"] = [timeout_error(), 200]
    result = harness.run("name: t\nsteps:\n  - goto: http://a.test/\n")
    assert result.verdict == "failed"
    assert len(harness.page.visits) == 1


def test_optional_step_that_times_out_is_skipped_and_reported(harness: Harness) -> None:
    harness.page.script["http://maybe.test/"] = [timeout_error()]
    result = harness.run("""\
        name: t
        steps:
          - goto: http://maybe.test/
            optional: true
          - goto: http://next.test/
        """)
    assert result.verdict == "passed"
    assert harness.steps()[:2] == [("steps[0]", "started", 1), ("steps[0]", "skipped", 1)]
    message = harness.step_events()[1].message
    assert message is not None
    assert message.startswith("optional: Timeout 1000ms exceeded.")
    assert harness.page.visited[-1] == "http://next.test/"


def test_optional_does_not_hide_other_failures(harness: Harness) -> None:
    harness.page.script["http://maybe.test/"] = [500]
    result = harness.run("""\
        name: t
        steps:
          - goto: http://maybe.test/
            optional: true
        """)
    assert result.verdict == "failed"


# -- timeouts, templating, use --------------------------------------------------------------------


def test_step_timeout_overrides_the_navigation_timeout(harness: Harness) -> None:
    harness.run(
        """\
        name: t
        steps:
          - goto: http://a.test/
          - goto: http://b.test/
            timeout: 2.5s
        """,
        timeout=7,
    )
    # a page load waits the navigation timeout (30 s by default), not the element timeout (7 s)
    assert harness.page.visits == [("http://a.test/", 30000), ("http://b.test/", 2500)]


def test_params_are_filled_into_arguments(harness: Harness) -> None:
    harness.run(
        """\
        name: t
        params: {site: {required: true}}
        steps:
          - goto: "{{ params.site }}/login"
        """,
        params={"site": "http://acme.test"},
    )
    assert harness.page.visited == ["http://acme.test/login"]


def test_use_runs_another_runbook_with_params_and_its_captures_come_back(harness: Harness) -> None:
    (harness.folder / "open.yaml").write_text(
        textwrap.dedent("""\
        name: open
        params: {where: {required: true}}
        steps:
          - goto: "http://{{ params.where }}.test/"
          - capture: {get: url, regex: "//(\\\\w+)", as: opened}
        """),
        encoding="utf-8",
    )
    result = harness.run("""\
        name: t
        steps:
          - use: {runbook: open, with: {where: consent}}
          - goto: "http://after.test/{{ vars.opened }}"
        """)
    assert result.verdict == "passed", result.error
    assert harness.page.visited == ["http://consent.test/", "http://after.test/consent"]
    nested = [(e.path, e.depth) for e in harness.step_events() if e.status == "passed"]
    assert nested == [
        ("steps[0].use.steps[0]", 1),
        ("steps[0].use.steps[1]", 1),
        ("steps[0]", 0),
        ("steps[1]", 0),
    ]


def test_a_failure_inside_a_use_names_the_used_runbooks_step(harness: Harness) -> None:
    (harness.folder / "inner.yaml").write_text(
        "name: inner\nsteps:\n  - goto: http://a.test/\n  - fail: Acumatica refused\n",
        encoding="utf-8",
    )
    (harness.folder / "middle.yaml").write_text(
        "name: middle\nsteps:\n  - use: inner\n", encoding="utf-8"
    )
    result = harness.run("""\
        name: t
        steps:
          - goto: http://b.test/
          - use: middle
        """)
    assert result.failed_step is not None
    assert result.failed_step.where.endswith("inner.yaml:4")
    assert result.failed_path == "steps[1].use.steps[0].use.steps[1]"
    finished = harness.events[-1]
    assert isinstance(finished, RunFinished)
    assert finished.failing_step == "steps[1].use.steps[0].use.steps[1]"
    failed = [e.path for e in harness.step_events() if e.status == "failed"]
    assert failed == ["steps[1].use.steps[0].use.steps[1]", "steps[1].use.steps[0]", "steps[1]"]


def test_a_failure_inside_an_optional_step_that_was_skipped_is_not_the_runs(
    harness: Harness,
) -> None:
    (harness.folder / "maybe.yaml").write_text(
        "name: maybe\nsteps:\n  - goto: http://maybe.test/\n", encoding="utf-8"
    )
    harness.page.script["http://maybe.test/"] = [timeout_error()]
    result = harness.run("""\
        name: t
        steps:
          - use: maybe
            optional: true
          - fail: The real reason
        """)
    assert result.failed_step is not None
    assert (result.failed_path, result.failed_step.describe()) == (
        "steps[1]",
        "fail The real reason",
    )


def test_a_broken_listener_does_not_stop_the_run(harness: Harness, tmp_path: Path) -> None:
    def explode(event: Event) -> None:
        raise RuntimeError("reporter bug")

    runbook = load_source(Source("t.yaml", "name: t\nsteps:\n  - goto: http://a.test/\n"), BUILTIN)
    bus = EventBus([explode])
    result = runner_for(harness.page, bus, tmp_path).run(runbook)
    assert result.verdict == "passed"
    assert len(bus.errors) == 4  # run started, step started, step passed, run finished
    assert all(isinstance(error, RuntimeError) for error in bus.errors)
