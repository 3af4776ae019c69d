"""Why a step could not go on, in the page's own words: dead ends (error pages, OAuth errors, a
locked account…) and pages saying the session ended."""

from __future__ import annotations

from typing import Any

from bot.engine.step_context import DeadEnd, PageServices
from bot.errors import FailureKind, StepError
from bot.language.urls import normalise_url


def explain(error: StepError, services: PageServices, client: dict[str, Any]) -> StepError:
    """A NOT_FOUND or TIMEOUT explained by a dead end the page is at, or by a page saying the
    session ended (SIGNED_OUT); a runbook's own stop (STOPPED) by a dead end passed on the way.

    The traffic that tells of a passed dead end (an OAuth error redirect) may be heard only after
    the step that led there was checked, on a busy machine; the runbook then stops on what the
    page shows next, and the dead end it passed is still the cause, whatever the timing.
    """
    if error.kind is FailureKind.NAVIGATION and error.url:
        return StepError(error.kind, error.message + setting_hint(error.url, client), url=error.url)
    if error.kind is FailureKind.TIMEOUT and error.url:  # a site that accepted and never answered
        site = site_name(error.url, client)
        named = error.message if error.message.startswith(site) else f"{site}: {error.message}"
        return StepError(error.kind, named + setting_hint(error.url, client), url=error.url)
    if error.kind is FailureKind.STOPPED:
        passed = services.passed_dead_end()
        return error if passed is None else dead_end_error(passed, client)
    if error.kind not in (FailureKind.NOT_FOUND, FailureKind.TIMEOUT):
        return error
    dead = services.dead_end()
    if dead is not None:
        return dead_end_error(dead, client)
    notice = services.signed_out_notice()
    if notice is None:
        hung = services.unanswered()
        if hung is None:
            return error
        site = site_name(hung.url, client)
        return StepError(
            FailureKind.TIMEOUT,
            f"{site} did not answer: {hung.detail} (so: {error.message})"
            + setting_hint(hung.url, client),
        )
    site = site_of(services.current_url(), client)
    return StepError(
        FailureKind.SIGNED_OUT,
        f'the {site} session expired: the page says "{notice}" (so: '
        f"{error.message}). Nothing more was done there; run the runbook again "
        "(it signs in at the start)",
    )


def dead_end_error(dead: DeadEnd, client: dict[str, Any]) -> StepError:
    """The failure for a dead end: its kind, the site's name and its own words."""
    site = site_name(dead.url, client)
    quoted = f"“{dead.words}”" if dead.words else ""
    if dead.kind is FailureKind.SERVER_ERROR:
        message = f"{dead.detail} — {site} says: {quoted}" if quoted else dead.detail
    elif dead.kind is FailureKind.OAUTH_ERROR:
        message = f"{site} refused the authorization: {dead.detail}"
        message += f" — {quoted}" if quoted else ""
    elif dead.kind in (FailureKind.NAVIGATION, FailureKind.NOT_FOUND):  # no site / no page
        message = dead.detail + setting_hint(dead.url, client)
    elif not quoted:
        message = dead.detail
    else:
        message = f"{site} says: {quoted}" + (f" ({dead.detail})" if dead.detail else "")
    return StepError(dead.kind, message)


def setting_hint(url: str, client: dict[str, Any]) -> str:
    """`; check the client's setting acumatica_url …` when `url` is under one of the client's
    `*_url` settings: the address a person can correct."""
    setting = _setting_of(url, client)
    if setting is None:
        return ""
    return f"; check the client's setting `{setting}` and that the site is up"


def site_name(url: str, client: dict[str, Any]) -> str:
    """`Acumatica` when `url` is under the client's `acumatica_url` setting; else its origin."""
    setting = _setting_of(url, client)
    if setting is None:
        parts = url.split("/", 3)
        return "/".join(parts[:3]) if len(parts) >= 3 and "://" in url else "the site"
    label = setting.removesuffix("_url").replace("_", " ")
    return f"{label[:1].upper()}{label[1:]}"


def site_of(url: str, client: dict[str, Any]) -> str:
    """`Assignar (assignar_url)` when `url` is under the client's `assignar_url` setting."""
    setting = _setting_of(url, client)
    if setting is None:
        return url.split("?", 1)[0] or "site's"
    return f"{site_name(url, client)} ({setting})"


def _setting_of(url: str, client: dict[str, Any]) -> str | None:
    for name, value in client.items():
        if not name.endswith("_url") or not isinstance(value, str):
            continue
        try:
            base = normalise_url(value)
        except ValueError:
            continue
        if url == base or url.startswith(base + "/") or url.startswith(base + "?"):
            return name
    return None
