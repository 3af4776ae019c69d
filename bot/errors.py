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

    @property
    def next_step(self) -> str:
        """What a person should try after a run failed this way (said in report.html)."""
        return _NEXT_STEPS[self]


_NEXT_STEPS = {
    FailureKind.NOT_FOUND: "The page did not show what the step looks for. Compare the step's "
    "screenshot with the elements the message lists: use the locator it suggests (`Try:`), or, if "
    "the page was still loading, give the step more time (`timeout:`). `bot trace RUN_ID` shows "
    "the page as the step saw it. When the message says the address has no page (HTTP "
    "404 or 410), check the client's address settings and the runbook's `goto`.",
    FailureKind.AMBIGUOUS: "Several elements match equally well: use the locator the message gives "
    "for the one meant (or `within:` its region). `nth:` and `first:` pick by place, which breaks "
    "when the page changes.",
    FailureKind.ASSERTION: "The page did not show what the step expected. If the screenshot shows "
    "the right page, correct the expectation in the runbook; if not, the system is not in the "
    "state the runbook assumes: fix that, then run again.",
    FailureKind.NAVIGATION: "A site could not be reached: check the client's address settings "
    "(`bot plan RUNBOOK --client NAME`), the network or VPN, then run again.",
    FailureKind.SERVER_ERROR: "The site answered with a server error: wait and run again (a "
    "`retry:` with `on: [server_error]` does so by itself); if it persists, send the report to "
    "the site's support.",
    FailureKind.OAUTH_ERROR: "The authorization server refused (its `error=` or its page says "
    "why): in Acumatica's Connected Applications (SM303010), check that the client's connected "
    "application exists, is Active and lists the integration's Redirect URI, and check the "
    "integration user's rights; then run again.",
    FailureKind.ACCOUNT_BLOCKED: "The account is locked or its password expired: unlock it or set "
    "a new password in the system, update the secret the config refers to, then run again.",
    FailureKind.APP_INACTIVE: "The connected application is inactive: activate it in the system, "
    "then run again.",
    FailureKind.OVERLAY: "Something stayed on top of the element (a dialog, a banner) and offered "
    "no control that only closes it (the bot presses only Close, ×, Dismiss, Not now, Skip…): add "
    "a step before this one that answers it (`optional: true` when it does not always appear).",
    FailureKind.TIMEOUT: "The step ran out of time: the system may be slow. Raise the step's "
    "`timeout:` (or the client's `timeout` / `navigation_timeout`) and run again; the trace shows "
    "where the time went.",
    FailureKind.ORIGIN_REFUSED: "A secret was not typed into a page of an origin it is not "
    "declared for: check where the browser was sent (the trace); if that origin is right, add it "
    "to the secret's `origins:` in the config.",
    FailureKind.SECRET_REFUSED: "A value holding a secret would have become data (a variable, a "
    "message, an address): change the step so that it neither reads nor writes the secret.",
    FailureKind.BROWSER_CLOSED: "The browser closed during the run: run again; `bot doctor` "
    "checks the browser.",
    FailureKind.SIGNED_OUT: "The site ended the session: run again from the start; if it keeps "
    "happening, check the site's session settings.",
    FailureKind.STOPPED: "The runbook stopped on purpose (a `fail:` step or a guard): its message "
    "says why; nothing after it was done.",
    FailureKind.ERROR: "Something unexpected failed: read the message and the step's YAML; `bot "
    "trace RUN_ID` shows each browser call of the step.",
}


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

    def __init__(self, kind: FailureKind, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.url = url  # the address that failed, when one did (a page that could not load)


class RunInterrupted(BotError):
    """Ctrl-C or SIGTERM: the run stopped cleanly."""

    exit_code = 130
