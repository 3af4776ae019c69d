"""Why a step found nothing: what happened to the page meanwhile, in the page's own words."""

from __future__ import annotations

from typing import Any

from bot.engine.step_context import PageServices
from bot.errors import FailureKind, StepError
from bot.language.urls import normalise_url


def explain(error: StepError, services: PageServices, client: dict[str, Any]) -> StepError:
    """A NOT_FOUND or TIMEOUT explained by an error page or an unreachable site loaded during the
    step (NAVIGATION), or by a page saying the session ended (SIGNED_OUT)."""
    if error.kind not in (FailureKind.NOT_FOUND, FailureKind.TIMEOUT):
        return error
    errors = services.server_errors()
    if errors:
        return StepError(FailureKind.NAVIGATION, f"{errors[-1]}; then: {error.message}")
    notice = services.signed_out_notice()
    if notice is None:
        return error
    site = site_of(services.current_url(), client)
    return StepError(
        FailureKind.SIGNED_OUT,
        f'the {site} session expired: the page says "{notice}" (so: '
        f"{error.message}). Nothing more was done there; run the runbook again "
        "(it signs in at the start)",
    )


def site_of(url: str, client: dict[str, Any]) -> str:
    """`Assignar (assignar_url)` when `url` is under the client's `assignar_url` setting."""
    for name, value in client.items():
        if not name.endswith("_url") or not isinstance(value, str):
            continue
        try:
            base = normalise_url(value)
        except ValueError:
            continue
        if url == base or url.startswith(base + "/"):
            label = name.removesuffix("_url").replace("_", " ")
            return f"{label[:1].upper()}{label[1:]} ({name})"
    return url.split("?", 1)[0] or "site's"
