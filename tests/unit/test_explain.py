"""Why a run stopped, in the words that explain it: a runbook's own stop after an OAuth error
redirect is reported as that error, however late the redirect was heard."""

from __future__ import annotations

from typing import Any

from bot.engine.explain import explain
from bot.engine.step_context import DeadEnd
from bot.errors import FailureKind, StepError

CLIENT = {"acumatica_url": "https://acme.acumatica.example/AcumaticaERP"}
STOP = StepError(FailureKind.STOPPED, "Assignar did not renew the authentication: consent denied")


class HeardLate:
    """Page services that heard `passed` in the traffic; reading the page is not expected."""

    def __init__(self, passed: DeadEnd | None) -> None:
        self.passed = passed

    def passed_dead_end(self) -> DeadEnd | None:
        passed, self.passed = self.passed, None
        return passed

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"a runbook's own stop must not make the page services {name}")


def test_a_runbooks_stop_after_an_oauth_error_redirect_reports_the_oauth_error() -> None:
    denied = DeadEnd(  # as heard: the redirect to Assignar's callback with ?error=access_denied
        FailureKind.OAUTH_ERROR,
        "https://acme.acumatica.example/AcumaticaERP/identity/connect/authorize",
        "The resource owner denied the request",
        "error=access_denied (the consent was denied)",
    )
    said = explain(STOP, HeardLate(denied), CLIENT)  # type: ignore[arg-type]
    assert said.kind is FailureKind.OAUTH_ERROR
    assert said.message == (
        "Acumatica refused the authorization: error=access_denied (the consent was denied) — "
        "“The resource owner denied the request”"
    )


def test_a_runbooks_stop_with_nothing_heard_keeps_its_own_words() -> None:
    assert explain(STOP, HeardLate(None), CLIENT) is STOP  # type: ignore[arg-type]


def test_a_page_that_could_not_load_is_named_without_its_query_with_its_setting() -> None:
    from playwright.sync_api import Error as PlaywrightError
    from support.fake_page import FakePage

    from bot.steps import PlaywrightServices

    classify = PlaywrightServices(FakePage()).classify  # type: ignore[arg-type]
    raised = PlaywrightError(
        "Page.goto: net::ERR_CONNECTION_REFUSED at "
        "https://acme.acumatica.example/AcumaticaERP/Main?ScreenId=SM303010&code=s3cr3t#x\n"
        "Call log:\n  - navigating to …"
    )
    error = classify(raised)
    assert (error.kind, error.message) == (
        FailureKind.NAVIGATION,
        "could not load https://acme.acumatica.example/AcumaticaERP/Main (ERR_CONNECTION_REFUSED)",
    )
    said = explain(error, HeardLate(None), CLIENT)  # type: ignore[arg-type]
    assert said.message == (
        "could not load https://acme.acumatica.example/AcumaticaERP/Main (ERR_CONNECTION_REFUSED)"
        "; check the client's setting `acumatica_url` and that the site is up"
    )
    elsewhere = classify(PlaywrightError("net::ERR_NAME_NOT_RESOLVED at https://other.test/a?b"))
    assert explain(elsewhere, HeardLate(None), CLIENT).message == (  # type: ignore[arg-type]
        "could not load https://other.test/a (ERR_NAME_NOT_RESOLVED)"
    )
