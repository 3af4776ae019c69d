"""Secrets are tainted values in the engine: a value holding one, in any spelling, never enters
variables, a rendered URL, a message or the verdict; the step fails with SECRET_REFUSED and names
the secret, never its value. (A fake page, as in test_engine_fake.py; no browser.)"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Error as PlaywrightError
from support.fake_page import FakePage

from bot import Catalog, Event, EventBus, RunFinished, Source
from bot.engine import Runner, RunResult, RunSettings, RunState, summary_lines
from bot.language import Secret, load_source
from bot.steps import BUILTIN, PlaywrightServices

SECRET = "Tilde~Star*9Kp 'ü"


def run(
    text: str, page: FakePage, folder: Path, params: dict[str, Any] | None = None
) -> tuple[RunResult, RunState, list[Event]]:
    runbook = load_source(Source("runbooks/t.yaml", textwrap.dedent(text)), BUILTIN)
    state = RunState(params=params or {}, secrets={"pw": Secret("pw", SECRET, ("http://a.test",))})
    events: list[Event] = []
    runner = Runner(
        PlaywrightServices(page),  # type: ignore[arg-type]
        state,
        EventBus([events.append]),
        registry=BUILTIN,
        runbooks=Catalog([folder], BUILTIN).get_named,
        settings=RunSettings(say=lambda text: None),
    )
    return runner.run(runbook), state, events


def refused(result: RunResult) -> str:
    assert result.error is not None
    assert str(result.error.kind) == "secret_refused", result.error.message
    assert SECRET not in result.error.message
    return result.error.message


def test_a_captured_url_holding_the_secret_is_refused_and_not_stored(tmp_path: Path) -> None:
    page = FakePage(redirects={"http://a.test/cb": f"http://a.test/cb?p={quote(SECRET, safe='')}"})
    result, state, events = run(
        """\
        name: t
        steps:
          - goto: http://a.test/cb
          - capture: {get: url, as: here}
        """,
        page,
        tmp_path,
    )
    assert "a value for vars.here (the url read) holds the secret 'pw'" in refused(result)
    assert "here" not in state.vars
    finished = events[-1]
    assert isinstance(finished, RunFinished)
    assert finished.variables == {}


@pytest.mark.parametrize(
    ("steps", "where"),
    [
        ('- goto: "http://b.test/?x={{ params.note }}"', "`url`"),
        ('- fail: "the value was {{ params.note }}"', "`message`"),
        ('- set: {copy: "{{ params.note | upper }}"}', "`values.copy`"),
    ],
)
def test_a_rendered_value_holding_the_secret_is_refused_before_it_is_used(
    tmp_path: Path, steps: str, where: str
) -> None:
    page = FakePage()
    result, state, _ = run(
        f"name: t\nparams: {{note: {{type: string}}}}\nsteps:\n  {steps}\n",
        page,
        tmp_path,
        {"note": f"see {SECRET}"},
    )
    assert f"refused: a value for {where} holds the secret 'pw'" in refused(result)
    assert page.visited == []
    assert "copy" not in state.vars


def test_a_secret_anywhere_but_a_fill_value_is_refused_at_run_time(tmp_path: Path) -> None:
    page = FakePage()
    result, _, _ = run(
        "name: t\nsteps:\n  - press: {key: \"{{ secret('pw') }}\"}\n", page, tmp_path
    )
    assert "a value for `key` holds the secret 'pw'" in refused(result)
    assert page.keyboard.pressed == []


def test_an_error_message_holding_the_secret_is_withheld(tmp_path: Path) -> None:
    page = FakePage()
    page.keyboard.raises = PlaywrightError(f'Keyboard.press: unknown key "{SECRET}"')
    result, _, events = run("name: t\nsteps:\n  - press: Enter\n", page, tmp_path)
    message = refused(result)
    assert message.startswith("the step failed (error), and its message held the secret 'pw'")
    assert all(SECRET not in repr(event) for event in events)


def test_a_summary_line_holding_the_secret_is_withheld(tmp_path: Path) -> None:
    text = """\
        name: t
        params: {note: {type: string}}
        summary:
          - message: "Note: {{ params.note }}"
          - message: "All good."
        steps:
          - press: Enter
        """
    result, state, _ = run(text, FakePage(), tmp_path, {"note": SECRET.upper()})
    runbook = load_source(Source("runbooks/t.yaml", textwrap.dedent(text)), BUILTIN)
    assert summary_lines(runbook, state, result.verdict) == [
        "(a summary line was withheld: it held the secret 'pw')",
        "All good.",
    ]


def test_a_use_cycle_stops_at_run_time(tmp_path: Path) -> None:
    (tmp_path / "loop.yaml").write_text("name: loop\nsteps:\n  - use: loop\n", encoding="utf-8")
    result, _, _ = run("name: t\nsteps:\n  - use: loop\n", FakePage(), tmp_path)
    assert result.error is not None
    assert result.error.message == "`use` cycle or nesting too deep: t → loop → loop"
