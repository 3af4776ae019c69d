"""A run's data (`RunState`), how the runner behaves (`RunSettings`), and the `StepContext` the
runner hands to every step (`EngineContext`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

from bot.engine.explain import dead_end_error
from bot.engine.step_context import PageServices, Scope
from bot.engine.taint import Taint
from bot.errors import FailureKind, StepError
from bot.language.secrets import Secret

if TYPE_CHECKING:
    from playwright.sync_api import ElementHandle, Locator, Page


MAX_VARIABLE = 100_000  # characters: what templates may then copy stays bounded

# which steps a screenshot follows; every policy keeps one at a failure and one of the final state
ScreenshotPolicy = Literal["on-failure", "on-change", "every-step"]
SCREENSHOT_POLICIES: tuple[ScreenshotPolicy, ...] = get_args(ScreenshotPolicy)


@dataclass
class RunState:
    """What a run knows: the client's settings, params, variables, facts, run info, secrets."""

    client: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    vars: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    run: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, Secret] = field(default_factory=dict)
    _taint: Taint | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def taint(self) -> Taint:
        """The run's secrets as tainted values (see `bot.engine.taint`)."""
        if self._taint is None or self._taint.secrets is not self.secrets:
            self._taint = Taint(self.secrets)
        return self._taint

    def secret_in(self, text: str) -> str | None:
        """The name of a secret `text` holds in some spelling, else None."""
        return self.taint.secret_in(text)

    def template_context(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "params": self.params,
            "vars": self.vars,
            "facts": self.facts,
            "run": self.run,
        }

    def secret(self, name: str) -> Secret:
        if name not in self.secrets:
            raise StepError(FailureKind.ERROR, f"the client has no secret '{name}'")
        return self.secrets[name]


class ScreenshotFiles(Protocol):
    """Where screenshots go (a run folder): the file for the n-th one, and its name in reports."""

    def screenshot(self, seq: int, label: str) -> Path: ...

    def relative(self, path: Path) -> str: ...


@dataclass(frozen=True)
class RunSettings:
    """How the runner runs: timeouts, headless or not, where screenshots go.

    `default_timeout` bounds waiting for an element; `navigation_timeout` bounds a page load (a
    `goto`, or the pages a click leads to), so a slow site can get more of one than of the other.
    """

    default_timeout: float = 10.0
    navigation_timeout: float = 30.0
    headless: bool = True
    files: ScreenshotFiles | None = None  # None: no screenshots are kept
    # None: only those a runbook's `screenshot` steps take
    screenshots: ScreenshotPolicy | None = "on-failure"
    say: Callable[[str], None] = print
    # told the name of every form field a secret is typed into (the scrubber masks it whole)
    secret_field: Callable[[str], None] = lambda name: None


class EngineContext:
    """The runner's `StepContext`: the page and scope, the step's timeout, and the run's state.

    `children` and `use` are the runner's own ways to run nested steps and other runbooks.
    """

    def __init__(
        self,
        services: PageServices,
        state: RunState,
        settings: RunSettings,
        children: Callable[[Scope, str | None], None],
        use: Callable[[str, dict[str, Any]], None],
    ) -> None:
        self.services, self.state, self.settings = services, state, settings
        self._children, self._use = children, use
        self.narrowed: Scope | None = None  # None: the page the run acts in (it may change)
        self.timeout_ms = settings.default_timeout * 1000
        self.navigation_timeout_ms = settings.navigation_timeout * 1000
        self.optional = False  # the current step's `optional:`
        self.matched: str | None = None
        self.match_name: str | None = None
        self.masks: list[Locator] = []
        self.secret_elements: list[ElementHandle] = []
        self.screenshots = 0
        # the screenshot showing the page as it is now (taken since the last step began), if any
        self.latest_shot: str | None = None

    @property
    def page(self) -> Page:
        return self.services.page

    @property
    def scope(self) -> Scope:
        """Where locators look: the page the run acts in (the window it followed, too), or what
        `within:` or a frame narrowed it to."""
        return self.services.page if self.narrowed is None else self.narrowed

    @scope.setter
    def scope(self, scope: Scope) -> None:
        self.narrowed = None if scope is self.services.page else scope

    @property
    def headless(self) -> bool:
        return self.settings.headless

    def set_var(self, name: str, value: str) -> None:
        if len(value) > MAX_VARIABLE:
            raise StepError(
                FailureKind.ERROR,
                f"the value for vars.{name} has {len(value)} characters; a variable holds at "
                f"most {MAX_VARIABLE} (capture a smaller element, or use `regex:`)",
            )
        self.state.taint.ensure_clean(value, f"vars.{name}")
        self.state.vars[name] = value

    def refuse_secret(self, text: str, what: str) -> None:
        self.state.taint.ensure_clean(text, what)

    def secret_shown(self, text: str) -> str | None:
        return self.state.taint.secret_in(text)

    def secrets_replaced(self, text: str, by: Callable[[int], str]) -> str:
        return self.state.taint.replaced(text, by)

    def dead_end(self) -> StepError | None:
        dead = self.services.dead_end()
        return None if dead is None else dead_end_error(dead, self.state.client)

    def visited_urls(self) -> list[str]:
        return self.services.visited_urls()

    def note_match(self, alternative: str | None, description: str) -> None:
        if alternative is None:
            self.matched = description
            return
        shown = f"any[{alternative}]" if alternative.isdigit() else f"any.{alternative}"
        self.matched, self.match_name = f"{shown}: {description}", alternative

    def note_aside(self, what: str) -> None:
        self.matched = f"{self.matched}; {what}" if self.matched else what

    def matched_alternative(self) -> str:
        return self.match_name if self.match_name is not None else "0"

    def allow_secret(self, secret: Secret, origin: str) -> None:
        if not secret.allows(origin):
            allowed = ", ".join(secret.origins) or "none"
            raise StepError(
                FailureKind.ORIGIN_REFUSED,
                f"refused to type secret '{secret.name}' into {origin}: it is only "
                f"allowed on {allowed}",
            )

    def mask(self, element: Locator) -> None:
        self.masks.append(element)

    def typed_secret(self, element: ElementHandle, field_names: list[str]) -> None:
        self.secret_elements.append(element)
        for name in field_names:
            self.settings.secret_field(name)

    def screenshot(self, name: str, *, full_page: bool = False) -> Path | None:
        files = self.settings.files
        if files is None:
            return None
        self.screenshots += 1
        path = files.screenshot(self.screenshots, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        hides = self.state.secret_in if self.state.secrets else None
        self.services.screenshot(path, full_page=full_page, masks=self.masks, hides=hides)
        self.latest_shot = files.relative(path)
        return path

    def step_screenshot(self, description: str, *, failed: bool) -> str | None:
        """A screenshot after a step (relative to the run folder); None when there is none."""
        files = self.settings.files
        if files is None or self.settings.screenshots is None:
            return None
        try:
            path = self.screenshot(f"{'FAILED-' if failed else ''}{description}")
        except Exception:  # the page is gone (browser closed): the failure is reported anyway
            return None
        return files.relative(path) if path else None

    def run_children(self, scope: Scope, branch: str | None = None) -> None:
        self._children(scope, branch)

    def run_runbook(self, name: str, params: dict[str, Any]) -> None:
        self._use(name, params)

    def say(self, message: str) -> None:
        self.settings.say(message)
