"""Attack class: an ordinary password, an ordinary run. The shipped `reauthorize` with an
integration password holding `~`, `*`, `'`, a space and `ü` (the browser's form encoding writes
`~` as `%7E` and keeps `*`, a spelling scrubbers used to miss), and an Assignar password with an
NFD letter: the run passes, and no spelling of either, nor of any code, token or cookie the run
saw, is anywhere: run folder, history database with its -wal, console."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

import pytest
from bot_sim.harness import Simulators
from canaries import INTEGRATION_PASSWORD, PLANTED
from security_helpers import SecRun, assert_no_secret, held, raw_traces
from support.artifacts import streams

from bot import RunOptions, SandboxBot

pytestmark = pytest.mark.browser


def test_the_shipped_reauthorize_passes_and_leaves_no_spelling_of_a_hostile_password(
    sandbox: SandboxBot, hostile_sims: Simulators, browser: Any, tmp_path_factory: Any
) -> None:
    hostile_sims.reset()
    context = browser.new_context()
    with raw_traces(tmp_path_factory.mktemp("raw")) as raw:
        try:
            finished = sandbox.run("reauthorize", options=RunOptions(page=context.new_page()))
        finally:
            context.close()
    run = SecRun(
        finished.outcome, finished.output, [], raw[0] if raw else None, sandbox.history_files()
    )
    assert run.verdict == "passed", finished
    signed_in = [f"{a.username}: {a.outcome}" for a in hostile_sims.acumatica.sign_in_log]
    assert signed_in == ["assignar.integration: success"]  # control: the password was typed
    form = quote_plus(INTEGRATION_PASSWORD, safe="*").replace("~", "%7E")
    assert "%7E" in form
    assert "*" in form
    assert run.raw_trace is not None
    raw_bytes = b"".join(data for _, data in streams(run.raw_trace))
    assert f"txtPass={form}".encode() in raw_bytes  # control: the spelling that used to leak
    passwords = {"integration": INTEGRATION_PASSWORD, "assignar": PLANTED["admin@acme.example"]}
    assert held(run.raw_trace, passwords) == ["assignar", "integration"]
    issued = {
        f"{kind} {n}": value
        for kind, values in (
            ("code", [c.code for c in hostile_sims.acumatica.tokens.codes.values()]),
            ("access token", [t.access_token for t in hostile_sims.acumatica.tokens.tokens]),
            ("refresh token", [t.refresh_token for t in hostile_sims.acumatica.tokens.tokens]),
            ("session", sorted(hostile_sims.acumatica.sessions)),
        )
        for n, value in enumerate(values)
        if value
    }
    assert any(name.startswith("refresh token") for name in issued)  # control: tokens flowed
    assert_no_secret(run, {**passwords, **issued})
