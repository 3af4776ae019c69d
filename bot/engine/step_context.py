"""The contract between the engine and the actions: what a step function sees (`StepContext`) and
what the engine needs from the browser besides the steps (`PageServices`).

Both are protocols typed with Playwright's own classes, so `mypy --strict` checks every step at the
boundary; the engine itself never calls Playwright (`bot.steps` implements both sides).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from bot.errors import FailureKind, StepError
from bot.language.secrets import Secret

if TYPE_CHECKING:
    from playwright.sync_api import ElementHandle, Frame, FrameLocator, Locator, Page

# Begins every script with which the bot reads a page's texts to find secrets on it (to mask them
# in a screenshot): the evidence keeps no result of such a script.
PRIVATE_LOOK = "/* runbook-bot: read to mask secrets, not evidence */"

# where a step's locators look: the page, a frame, or an element (`within`)
Scope: TypeAlias = "Page | Frame | Locator | FrameLocator"


@dataclass(frozen=True)
class DeadEnd:
    """A page the run cannot go on from, as the page itself says it: a server error page, an
    OAuth error, a locked account… `url` is where it was seen (it names the site), `words` the
    page's own words, `detail` what the bot saw besides (e.g. `HTTP 500 for POST /save`)."""

    kind: FailureKind
    url: str
    words: str
    detail: str = ""


class StepContext(Protocol):
    """What one step may read and do while it runs."""

    @property
    def page(self) -> Page: ...

    @property
    def scope(self) -> Scope: ...

    @property
    def timeout_ms(self) -> float: ...

    @property
    def navigation_timeout_ms(self) -> float:
        """How long a page may take to load (per client: `navigation_timeout`)."""

    @property
    def headless(self) -> bool: ...

    @property
    def optional(self) -> bool:
        """The step may be absent (`optional: true`): a miss is expected, not worth explaining at
        length (no look around the page for what is there instead)."""

    def dead_end(self) -> StepError | None:
        """The failure to report now when the page is a known dead end (an error page, an OAuth
        error, a locked account…), in the page's own words; None when it is not."""

    def visited_urls(self) -> list[str]:
        """Every page address the browser went through this run (redirects included), oldest
        first."""

    def set_var(self, name: str, value: str) -> None:
        """Store a variable for later steps (`{{ vars.NAME }}`); SECRET_REFUSED (and nothing
        stored) when the value holds a secret."""

    def refuse_secret(self, text: str, what: str) -> None:
        """Raise SECRET_REFUSED when `text` (read from the page as `what`) holds a secret."""

    def secret_shown(self, text: str) -> str | None:
        """The name of a secret `text` (read from the page) holds in some spelling, else None."""

    def secrets_replaced(self, text: str, by: Callable[[int], str]) -> str:
        """`text` with every spelling of every secret of the run replaced by `by(its length)`."""

    def note_match(self, alternative: str | None, description: str) -> None:
        """Record the element the step chose and why; `alternative`: which `any:` alternative
        matched, by name (or index "0", "1", … in a list; None without `any:`), for events and
        `as:`."""

    def note_aside(self, what: str) -> None:
        """Record something the step did besides its action (closed an overlay) with the element
        it chose, for events and the console."""

    def matched_alternative(self) -> str:
        """The name (or index) of the `any:` alternative the step matched ("0" without `any:`)."""

    def allow_secret(self, secret: Secret, origin: str) -> None:
        """Raise ORIGIN_REFUSED unless `secret` may be typed into a page of `origin`."""

    def mask(self, element: Locator) -> None:
        """Hide `element` in every later screenshot (a field holding a secret)."""

    def typed_secret(self, element: ElementHandle, field_names: list[str]) -> None:
        """A secret was typed into `element` (form field names `field_names`): it may not be read
        back, and those fields are masked whole in the evidence."""

    @property
    def secret_elements(self) -> Sequence[ElementHandle]:
        """The elements secrets were typed into so far."""

    def screenshot(self, name: str, *, full_page: bool = False) -> Path | None:
        """A masked screenshot in the run folder; None when the run keeps none."""

    def run_children(self, scope: Scope, branch: str | None = None) -> None:
        """Run the step's nested steps with their locators limited to `scope`: its `steps`, or
        with `branch`, the steps of that branch (`choose`; none when it has no such branch)."""

    def run_runbook(self, name: str, params: dict[str, Any]) -> None:
        """Run another runbook here (`use`); its captured variables stay."""

    def say(self, message: str) -> None:
        """Tell the person running the bot something (e.g. why it paused)."""


class PageServices(Protocol):
    """The browser-side services the engine uses around steps."""

    @property
    def page(self) -> Page: ...

    def classify(self, error: BaseException) -> StepError:
        """A StepError (with a failure kind) for whatever a step raised."""

    def dead_end(self) -> DeadEnd | None:
        """The dead end the page (or a frame of it) is at, or one passed on the way here (an
        OAuth error redirect, an unreachable site) and not reported yet; reported once."""

    def passed_dead_end(self) -> DeadEnd | None:
        """A dead end passed on the way here and not reported yet (heard in the traffic: an OAuth
        error redirect, an unreachable site), without reading the page; reported once."""

    def unanswered(self) -> DeadEnd | None:
        """The page's document the browser asked for and got no answer to yet (a site that
        hangs), as a TIMEOUT dead end naming its address; None when every one was answered."""

    def visited_urls(self) -> list[str]:
        """Every document address loaded this run, redirect hops included, oldest first."""

    def window_open(self) -> bool:
        """The window the run acts in is open: after a pop-up it followed closed, the one that
        opened it (a step that failed as the pop-up closed may run again there)."""

    def leave_error_page(self, timeout_ms: float) -> None:
        """Go back from an error page, as a person would, before a retry."""

    def signed_out_notice(self) -> str | None:
        """The sentence with which the page says the session ended, if it says so."""

    def current_url(self) -> str: ...

    def screenshot(
        self,
        path: Path,
        *,
        full_page: bool,
        masks: Sequence[Locator],
        hides: Callable[[str], str | None] | None = None,
    ) -> None:
        """Save a screenshot with password fields, `masks`, and every element whose text or value
        `hides` says holds a secret, hidden."""

    def pause(self) -> None:
        """Hand the browser to a person (the Playwright inspector) until they resume."""

    def step_group(self, name: str, file: str, line: int) -> AbstractContextManager[None]:
        """Group what the browser does inside it under `name` in the trace, at the runbook's
        `file:line`, so the trace viewer shows the runbook; groups of nested steps nest."""
