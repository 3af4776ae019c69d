"""Smoke tests: the article's runbooks, written once, on the simulators or a real sandbox.

pytest tests/smoke                                       # the bundled simulators
pytest tests/smoke --bot-target sandbox --bot-config sandbox.yaml
"""

from __future__ import annotations

from typing import Any

import pytest


def test_status_reads_the_integration(bot_run: Any) -> None:
    outcome = bot_run("status")
    found = outcome.result.vars
    assert found["enabled"] in ("true", "false")
    assert found["status"] in ("Connected", "Needs re-authorization", "Disabled")
    assert found["authorized_user"]


def test_reauthorize_leaves_it_connected_as_the_integration_user(
    bot_run: Any, bot_target: Any
) -> None:
    outcome = bot_run("reauthorize")
    expected_user = outcome.plan.client["integration_user"]
    assert outcome.result.vars["authorized_user"] == expected_user
    after = bot_run("status").result.vars
    assert (after["status"], after["enabled"]) == ("Connected", "true")


def test_sliding_expiration_is_set_or_refused_with_the_reason(bot_run: Any) -> None:
    outcome = bot_run("sliding-expiration", expect="any")
    if outcome.result.verdict == "passed":
        assert outcome.result.vars["sliding_expiration"] == "configured"
        again = bot_run("sliding-expiration")
        assert again.result.vars["already_configured"] == "True"
    else:
        assert "older than 2024 R1" in (
            outcome.result.error.message if outcome.result.error else ""
        ), outcome.result.error
        pytest.skip(
            f"this Acumatica ({outcome.result.vars.get('acumatica_build')}) is older "
            "than 2024 R1: Sliding Expiration does not exist there"
        )
