"""The guards, each against a simulator that misbehaves in one way: they stop the run before harm
and say why, in words a support engineer can act on."""

from __future__ import annotations

import pytest
from variants_helpers import Variants, world

pytestmark = pytest.mark.browser


def test_another_user_authorized_leaves_enable_as_it_was(variants: Variants) -> None:
    """Someone else is already signed into Acumatica in the browser: the authorization goes to
    them. The run stops before Enable (here: off, and left off)."""
    variants.sims.vary({"fault": "other_user"})
    variants.sims.assignar.set_integration(enabled=False)
    run, before = variants.run_prepared("reauthorize")
    assert (run.verdict, run.kind) == ("failed", "stopped"), run
    assert run.message.startswith(
        "Acumatica authorized 'jane.doe', not the integration user 'assignar.integration'. "
        "The Enable switch was left as it was"
    ), run
    after = world(variants.sims)
    assert before["integration"]["enabled"] is False
    assert after["integration"]["enabled"] is False
    assert "it was disabled before the run" in run.summary_text


def test_a_tenant_that_differs_by_a_suffix_stops_before_save(variants: Variants) -> None:
    run, before = variants.run("reauthorize", {"tenant": "suffix"})
    assert (run.verdict, run.kind) == ("failed", "stopped"), run
    assert "Assignar is connected to tenant 'Acme Live Sandbox' but the client's tenant is " in (
        run.message
    )
    assert "nothing was changed" in run.message
    assert world(variants.sims) == before
    assert variants.sims.acumatica.snapshot()["sign_in_attempts"] == []


def test_a_tenant_renamed_on_renewal_is_caught_before_enable(variants: Variants) -> None:
    run, before = variants.run("reauthorize", {"tenant": "renamed"})
    assert (run.verdict, run.kind) == ("failed", "stopped"), run
    assert run.message.startswith(
        "Assignar now shows tenant 'Acme Live Sandbox', not the client's 'Acme Live'"
    ), run
    assert world(variants.sims)["integration"]["enabled"] == before["integration"]["enabled"]


def test_consent_for_another_application_is_not_answered(variants: Variants) -> None:
    run, before = variants.run("reauthorize", {"fault": "other_app"})
    assert (run.verdict, run.kind) == ("failed", "stopped"), run
    assert run.message.startswith(
        "Acumatica asks consent for 'Assignar Sandbox', not for the client's connected "
        "application 'Assignar' (setting assignar_client_name): the consent was not answered"
    ), run
    assert world(variants.sims) == before  # no code, no token, no remembered consent


def test_consent_without_api_and_offline_access_is_named(variants: Variants) -> None:
    """The consent page names its scopes otherwise and leaves them unticked: "Yes, Allow" grants
    only `openid`, which the redirect's `scope=` says."""
    run, before = variants.run("reauthorize", {"scopes": "fewer"})
    assert (run.verdict, run.kind) == ("failed", "stopped"), run
    assert run.message.startswith("Acumatica granted only 'openid': the integration needs API")
    assert world(variants.sims)["integration"]["enabled"] == before["integration"]["enabled"]


def test_an_inactive_application_is_named_in_acumatica_words(variants: Variants) -> None:
    variants.sims.vary({})
    (app,) = variants.sims.acumatica.apps.values()
    app.active = False
    run, before = variants.run_prepared("reauthorize")
    assert (run.verdict, run.kind) == ("failed", "oauth_error"), run
    assert "Acumatica refused the authorization: HTTP 400" in run.message, run
    assert "The client application is not known or is not authorized." in run.message
    assert world(variants.sims) == before
