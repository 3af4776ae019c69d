"""Where fleet runs get their browser contexts: the browser `bot run` would use, and the configured
endpoints (Playwright servers, DevTools URLs), each with a capacity.

A site holds one browser at a time and gives each run a context of its own. When its browser is
lost (crashed, or the endpoint went away), the next run that asks for a context gets a new browser
(launched again, or connected again); when that fails too, the site is down for the rest of the
fleet and runs go to the others. The runs wait for a free slot without holding the thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.app.cooperative import Cooperative

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext


class BrowserUnavailable(Exception):
    """The site could not give a context: its browser is gone and could not be had again."""


@dataclass
class BrowserSite:
    """One browser at a time from `connect` (launch or connect), and its runs' contexts."""

    label: str
    capacity: int
    connect: Callable[[], Browser]
    coop: Cooperative
    running: int = 0
    browsers: int = 0  # how many browsers this site has had (a lost one is replaced)
    down: str | None = None  # why the site is out of use, once it is
    _browser: Browser | None = field(default=None, repr=False)
    _starting: Any = field(default=None, repr=False)  # the future of a (re)connect under way

    @property
    def load(self) -> float:
        return self.running / self.capacity

    def has_room(self) -> bool:
        return self.down is None and self.running < self.capacity

    def describe(self) -> str:
        """The site and which of its browsers is the current one (`local chromium #2`)."""
        return f"{self.label} #{self.browsers}"

    def lost(self) -> bool:
        """The browser of this site went away (crashed, killed, endpoint gone)."""
        return self._browser is not None and not self._browser.is_connected()

    def new_context(self) -> BrowserContext:
        browser = self._current_browser()
        try:
            return browser.new_context()
        except Exception as exc:
            raise BrowserUnavailable(f"{self.label}: {_first_line(exc)}") from None

    def _current_browser(self) -> Browser:
        while self._starting is not None:  # another run is getting the browser: wait for it
            self.coop.wait(self._starting)
        if self.down is not None:
            raise BrowserUnavailable(f"{self.label} is down: {self.down}")
        if self._browser is None or not self._browser.is_connected():
            self._start()
        assert self._browser is not None
        return self._browser

    def _start(self) -> None:
        self._starting = self.coop.future()
        try:
            self._browser = self.connect()
            self.browsers += 1
        except Exception as exc:
            self._browser, self.down = None, _first_line(exc)
            raise BrowserUnavailable(f"{self.label} is down: {self.down}") from None
        finally:
            self._starting.set_result(None)
            self._starting = None

    def close(self) -> None:
        if self._browser is not None:
            with contextlib.suppress(Exception):  # already gone
                self._browser.close()


class Sites:
    """The sites of a fleet; `acquire` picks the least loaded one with room."""

    def __init__(self, sites: Sequence[BrowserSite], coop: Cooperative) -> None:
        self.sites, self.coop = list(sites), coop
        self._freed: Any = None

    def acquire(self, avoid: Sequence[BrowserSite] = ()) -> BrowserSite | None:
        """A slot on the least loaded site (not one of `avoid` while another is up), waiting
        for one to free up; None when every site is down."""
        while True:
            up = [site for site in self.sites if site.down is None]
            if not up:
                return None
            preferred = [site for site in up if site not in avoid] or up
            site = least_loaded(preferred)
            if site is not None:
                site.running += 1
                return site
            self._freed = self._freed or self.coop.future()
            self.coop.wait(self._freed)

    def release(self, site: BrowserSite) -> None:
        site.running -= 1
        if self._freed is not None:
            freed, self._freed = self._freed, None
            freed.set_result(None)

    def close(self) -> None:
        for site in self.sites:
            site.close()


def least_loaded(sites: Sequence[BrowserSite]) -> BrowserSite | None:
    """The site with room and the lowest share of its capacity in use; the first on a tie."""
    candidates = [site for site in sites if site.has_room()]
    return min(candidates, key=lambda site: site.load) if candidates else None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
