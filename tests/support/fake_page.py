"""A fake Playwright page for engine tests without a browser (maestro's FakeDriver idea): `goto`
answers from a script per URL (an HTTP status, or an exception to raise), a server may redirect a
URL, the keyboard records what was pressed (or raises), and the trace the groups opened."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

Outcome = int | BaseException


@dataclass
class FakeKeyboard:
    pressed: list[str] = field(default_factory=list)
    raises: BaseException | None = None

    def press(self, key: str) -> None:
        if self.raises is not None:
            raise self.raises
        self.pressed.append(key)


@dataclass
class FakeTracing:
    """Records the trace groups the engine opens (`open: name`) and closes (`close`)."""

    calls: list[str] = field(default_factory=list)

    def group(self, name: str, *, location: dict[str, Any] | None = None) -> None:
        self.calls.append(f"open: {name}")

    def group_end(self) -> None:
        self.calls.append("close")


class FakeFrame:
    """A frame whose document says nothing (no error page, not leaving), asked directly or
    through its root element (`locator(":root").evaluate`, the bot's bounded questions)."""

    def evaluate(self, script: str, arg: Any = None, **options: Any) -> Any:
        return None

    def locator(self, selector: str) -> FakeFrame:
        return self


@dataclass
class FakePage:
    script: dict[str, list[Outcome]] = field(default_factory=dict)
    url: str = "about:blank"
    visits: list[tuple[str, float]] = field(default_factory=list)
    keyboard: FakeKeyboard = field(default_factory=FakeKeyboard)
    redirects: dict[str, str] = field(default_factory=dict)  # where the server sends a URL
    main_frame: FakeFrame = field(default_factory=FakeFrame)
    tracing: FakeTracing = field(default_factory=FakeTracing)

    @property
    def context(self) -> Any:
        return SimpleNamespace(tracing=self.tracing)

    @property
    def frames(self) -> list[FakeFrame]:
        return [self.main_frame]

    def on(self, event: str, handler: Any) -> None:
        """Page events (requests, navigations): a fake page has none."""

    def remove_listener(self, event: str, handler: Any) -> None:
        """No listeners to remove."""

    def goto(self, url: str, *, wait_until: str, timeout: float) -> Any:
        self.visits.append((url, timeout))
        outcomes = self.script.get(url, [])
        outcome = outcomes.pop(0) if outcomes else 200
        if isinstance(outcome, BaseException):
            raise outcome
        self.url = self.redirects.get(url, url)
        return SimpleNamespace(status=outcome)

    @property
    def visited(self) -> list[str]:
        return [url for url, _ in self.visits]
