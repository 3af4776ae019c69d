"""Failure classification does not depend on the machine's speed: the same faults under a CPU
slowed down 6× (Chromium's own throttling, through CDP) get the verdicts of unthrottled runs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bot_sim.harness import Simulators
from playwright.sync_api import Page
from rel_helpers import RelBot, assert_final_state

from bot import RunOptions, SandboxRun

SAVE = r"/integrations/acumatica/wizard/save$"
FINISH = r"/integrations/acumatica/wizard/finish$"
THROTTLE = 6  # ≥ 4, the brief's bar


@pytest.fixture
def slow_page(page: Page) -> Iterator[Page]:
    """pytest-playwright's page with its renderer's CPU throttled THROTTLE times."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    yield page
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})


def reauthorize_failing(
    sims: Simulators, rbot: RelBot, page: Page, path: str, times: int | None = None
) -> SandboxRun:
    """`reauthorize` in `page` while Assignar answers 500 to POSTs of `path` (`times`: always)."""
    sims.assignar.add_failure(path, status=500, method="POST", times=times)
    return rbot.sandbox.run("reauthorize", {}, RunOptions(page=page))


def test_persistent_500_on_save_is_a_server_error_under_cpu_throttling(
    sims: Simulators, rbot: RelBot, slow_page: Page
) -> None:
    run = reauthorize_failing(sims, rbot, slow_page, SAVE)
    assert run.verdict == "failed", run
    assert run.kind == "server_error", run
    assert "the server answered HTTP 500 for POST" in run.message, run
    assert "/wizard/save" in run.message, run
    assert "the server answered HTTP 500 for POST" in run.output  # the printed verdict says it
    assert_final_state(run)


def test_500_on_finish_is_a_server_error_under_cpu_throttling(
    sims: Simulators, rbot: RelBot, slow_page: Page
) -> None:
    run = reauthorize_failing(sims, rbot, slow_page, FINISH)
    assert run.verdict == "failed", run
    assert run.kind == "server_error", run
    assert "the server answered HTTP 500 for POST" in run.message, run
    assert "/wizard/finish" in run.message, run


def test_transient_502_on_save_is_retried_under_cpu_throttling(
    sims: Simulators, rbot: RelBot, slow_page: Page
) -> None:
    """The Save step itself sees its error page (it waits for the page its click leads to), so
    its own `retry:` applies however slow the renderer is."""
    sims.assignar.add_failure(SAVE, status=502, method="POST", times=1)
    run = rbot.sandbox.run("reauthorize", {}, RunOptions(page=slow_page))
    assert run.verdict == "passed", run
    assert sims.assignar.integration.authorized_user == "assignar.integration"
