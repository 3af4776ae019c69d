"""One root exception, a handful of subclasses, exit codes as class attributes."""

from __future__ import annotations

from enum import StrEnum


class FailureKind(StrEnum):
    """Why a step failed; retries are chosen per kind."""

    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"
    ASSERTION = "assertion"
    NAVIGATION = "navigation"  # a site could not be reached
    SERVER_ERROR = "server_error"  # a page or frame came back as an HTTP 5xx error page
    OAUTH_ERROR = "oauth_error"  # the authorization server answered `error=` (or its error page)
    ACCOUNT_BLOCKED = "account_blocked"  # the page says the account is locked / password expired
    APP_INACTIVE = "app_inactive"  # the page says the application is inactive
    OVERLAY = "overlay"  # something stays on top of the element the step must use
    TIMEOUT = "timeout"
    ORIGIN_REFUSED = "origin_refused"
    SECRET_REFUSED = "secret_refused"  # a value holding a secret would have entered data: dropped
    BROWSER_CLOSED = "browser_closed"
    SIGNED_OUT = "signed_out"  # the site ended the session (the page says so): never retried
    STOPPED = "stopped"  # a `fail:` step or a guard said stop
    ERROR = "error"  # anything else


class BotError(Exception):
    """Root of every error the bot reports; `exit_code` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(BotError):
    """Bad input (runbook, config, CLI): nothing was started."""

    exit_code = 2


class StepError(BotError):
    """A step failed while running."""

    exit_code = 1

    def __init__(self, kind: FailureKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class RunInterrupted(BotError):
    """Ctrl-C or SIGTERM: the run stopped cleanly."""

    exit_code = 130
