"""A run's data (`RunState`), how the runner behaves (`RunSettings`), and the `StepContext` the
runner hands to every step (`EngineContext`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.engine.explain import dead_end_error
from bot.engine.step_context import PageServices, Scope
from bot.errors import FailureKind, StepError
from bot.language.secrets import Secret

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


@dataclass
class RunState:
    """What a run knows: the client's settings, params, variables, facts, run info, secrets."""

    client: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    vars: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    run: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, Secret] = field(default_factory=dict)

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
    screenshots: bool = True  # one after each page-changing step, and at a failure
    say: Callable[[str], None] = print


class EngineContext:
    """The runner's `StepContext`: the page and scope, the step's timeout, and the run's state.

    `children` and `use` are the runner's own ways to run nested steps and other runbooks.
    """

    def __init__(
        self,
        services: PageServices,
        state: RunState,
        settings: RunSettings,
        children: Callable[[Scope], None],
        use: Callable[[str, dict[str, Any]], None],
    ) -> None:
        self.services, self.state, self.settings = services, state, settings
        self._children, self._use = children, use
        self.scope: Scope = services.page
        self.timeout_ms = settings.default_timeout * 1000
        self.navigation_timeout_ms = settings.navigation_timeout * 1000
        self.matched: str | None = None
        self.match_index: int | None = None
        self.masks: list[Locator] = []
        self.screenshots = 0

    @property
    def page(self) -> Page:
        return self.services.page

    @property
    def headless(self) -> bool:
        return self.settings.headless

    def set_var(self, name: str, value: str) -> None:
        self.state.vars[name] = value

    def dead_end(self) -> StepError | None:
        dead = self.services.dead_end()
        return None if dead is None else dead_end_error(dead, self.state.client)

    def visited_urls(self) -> list[str]:
        return self.services.visited_urls()

    def note_match(self, index: int | None, description: str) -> None:
        self.matched = description if index is None else f"any[{index}]: {description}"
        if index is not None:
            self.match_index = index

    def last_match_index(self) -> str:
        return str(self.match_index if self.match_index is not None else 0)

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

    def screenshot(self, name: str, *, full_page: bool = False) -> Path | None:
        files = self.settings.files
        if files is None:
            return None
        self.screenshots += 1
        path = files.screenshot(self.screenshots, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.services.screenshot(path, full_page=full_page, masks=self.masks)
        return path

    def step_screenshot(self, description: str, *, failed: bool) -> str | None:
        """A screenshot after a step (relative to the run folder); None when there is none."""
        files = self.settings.files
        if files is None or not self.settings.screenshots:
            return None
        try:
            path = self.screenshot(f"{'FAILED-' if failed else ''}{description}")
        except Exception:  # the page is gone (browser closed): the failure is reported anyway
            return None
        return files.relative(path) if path else None

    def run_children(self, scope: Scope) -> None:
        self._children(scope)

    def run_runbook(self, name: str, params: dict[str, Any]) -> None:
        self._use(name, params)

    def say(self, message: str) -> None:
        self.settings.say(message)
