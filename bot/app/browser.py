"""Which Chromium to use, and why: Playwright's own, else the system's, else a remote one.

Headless runs prefer Chromium's headless shell (Debian's `chromium-headless-shell`, Google's
`chrome-headless-shell`) when the system has one beside its Chromium, as Playwright does with its
own browsers: the same Blink without the desktop browser around it, so a run costs about a third
less CPU and less memory (docs/benchmarks.md). Headed runs use the full Chromium.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.app.config import expand_home

QUIET_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-quic",
    "--metrics-recording-only",
)
# Every site in a renderer process of its own, as desktop Chromium does by default: the headless
# shell does not (a cross-site frame would share its parent's process), and pages are hostile.
ISOLATION_FLAGS = ("--site-per-process",)
# Many contexts in one browser (a fleet): V8's young generation kept at 1 MiB instead of growing to
# 16 MiB semi-spaces in every renderer, and in Playwright's driver (Node.js) too. The pages are
# small, so it costs no time, and a fleet of 20 peaks 60–110 MiB lower (docs/benchmarks.md).
LEAN_HEAP = "--max-semi-space-size=1"
# And the renderers' first full garbage collection due at 8 MiB of heap: a renderer otherwise keeps
# every document a run has left (and their DOM) until its heap reaches V8's much larger initial
# limit. After that collection the limit grows with what the page keeps alive, as before.
LEAN_RENDERER_HEAP = f"{LEAN_HEAP} --initial-heap-size=8"
LEAN_FLAGS = (f"--js-flags={LEAN_RENDERER_HEAP}",)
SYSTEM_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)
HEADLESS_SHELL_NAMES = ("chromium-headless-shell", "chrome-headless-shell")
HEADLESS_SHELL_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "/opt/google/chrome-headless-shell/chrome-headless-shell",
)


@dataclass(frozen=True)
class BrowserChoice:
    """How the browser will be reached. `kind` is managed, system, ws or cdp."""

    kind: str
    target: str | None  # executable path or endpoint URL; None for Playwright's own
    reason: str
    problems: list[str] = field(default_factory=list)
    headless_shell: str | None = None  # launched instead of `target` for headless runs

    def describe(self) -> str:
        where = f" ({self.target})" if self.target else ""
        shell = (
            f"; headless runs use its headless shell ({self.headless_shell})"
            if self.headless_shell
            else ""
        )
        return f"{self.kind}{where}: {self.reason}{shell}"


def _executable(path: str | Path) -> bool:
    """A file that can be run (a folder passes `os.access(X_OK)` too, and then fails to launch)."""
    return Path(path).is_file() and os.access(path, os.X_OK)


def managed_chromium() -> Path | None:
    """Playwright's downloaded Chromium (or headless shell), if `playwright install` ran."""
    root = expand_home(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or "~/.cache/ms-playwright")
    if str(root).startswith("~") or not root.is_dir():  # `~`: no home (a uid without a name)
        return None
    patterns = (
        "chromium_headless_shell-*/chrome-*/chrome-headless-shell",
        "chromium-*/chrome-*/chrome",
    )
    for pattern in patterns:
        for candidate in sorted(root.glob(pattern), reverse=True):
            if _executable(candidate):
                return candidate
    return None


def system_chromium(configured: str | None = None) -> tuple[Path | None, str]:
    """A system Chromium/Chrome: BOT_BROWSER_PATH, then the config key, then common paths."""
    for source, value in (
        ("BOT_BROWSER_PATH", os.environ.get("BOT_BROWSER_PATH")),
        ("config browser.executable_path", configured),
    ):
        if value:
            return expand_home(value), f"set by {source}"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return Path(found), f"found on PATH as {name}"
    for candidate in SYSTEM_CANDIDATES:
        if _executable(candidate):
            return Path(candidate), "found at a common install path"
    shell = system_headless_shell()
    if shell is not None:
        return shell, "only a headless shell found (headless runs only: --headed needs a Chromium)"
    return None, "no system Chromium or Chrome found"


def system_headless_shell() -> Path | None:
    """Chromium's headless shell installed on the system: the binary at its usual path first (a
    PATH entry may be a wrapper script that stays the browser's parent, e.g. Debian's), then PATH.
    """
    for candidate in HEADLESS_SHELL_CANDIDATES:
        if _executable(candidate):
            return Path(candidate)
    for name in HEADLESS_SHELL_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def choose_browser(
    *,
    ws_endpoint: str | None = None,
    cdp_endpoint: str | None = None,
    configured_path: str | None = None,
) -> BrowserChoice:
    """Resolve the browser in the documented order; an explicit remote endpoint wins."""
    if ws_endpoint:
        return BrowserChoice("ws", ws_endpoint, "--browser-ws given: connect to a remote browser")
    if cdp_endpoint:
        return BrowserChoice("cdp", cdp_endpoint, "--cdp given: connect over the DevTools protocol")
    explicit = os.environ.get("BOT_BROWSER_PATH") or configured_path
    managed = None if explicit else managed_chromium()
    if managed is not None:
        return BrowserChoice("managed", None, f"Playwright's own Chromium is installed ({managed})")
    path, why = system_chromium(configured_path)
    if path is not None:
        shell = None if explicit else system_headless_shell()  # an explicit path is used as given
        problems = (
            []
            if _executable(path)
            else [
                f"{path} is not an executable file: fix BOT_BROWSER_PATH or browser.executable_path"
            ]
        )
        return BrowserChoice(
            "system", str(path), why, problems, str(shell) if shell and shell != path else None
        )
    return BrowserChoice(
        "none",
        None,
        why,
        [
            "No browser: run `playwright install chromium`, or `apt-get install -y chromium`, "
            "or set BOT_BROWSER_PATH, or pass --browser-ws ws://host:port/… to use a remote browser"
        ],
    )


def missing_home() -> str | None:
    """Why Playwright cannot start here, or None: its driver (Node.js) needs a home folder, and
    a user without HOME and without an entry in /etc/passwd (a container's arbitrary uid) has
    none; it then dies with "Connection closed while reading from the driver"."""
    if str(expand_home("~")) != "~":
        return None
    return (
        "Playwright needs a home folder, and this user has none (HOME is not set, and the user "
        "has no entry in /etc/passwd): set HOME to a writable folder, e.g. `HOME=/tmp bot …`"
    )


def missing_display(choice: BrowserChoice, headless: bool) -> str | None:
    """Why a browser window cannot open here (Linux without X11 or Wayland), or None. Chromium
    itself only says "Target page, context or browser has been closed"."""
    local = choice.kind in ("managed", "system")
    if headless or not local or not sys.platform.startswith("linux"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "a browser window needs a display, and there is none here (DISPLAY and WAYLAND_DISPLAY "
        "are not set): run headless (without --headed), or under a "
        "virtual display: `xvfb-run bot …`"
    )


def launch_args(
    choice: BrowserChoice, *, headless: bool = True, slow_mo: float = 0, lean: bool = False
) -> dict[str, object]:
    """Keyword arguments for `browser_type.launch` (local choices only); `lean`: for a browser
    that holds many contexts at once (`LEAN_FLAGS`)."""
    flags = [*QUIET_FLAGS, *ISOLATION_FLAGS, *(LEAN_FLAGS if lean else ())]
    args: dict[str, object] = {"headless": headless, "args": flags}
    if slow_mo:
        args["slow_mo"] = slow_mo
    if choice.kind == "system" and choice.target:
        use_shell = headless and choice.headless_shell
        args["executable_path"] = choice.headless_shell if use_shell else choice.target
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args["chromium_sandbox"] = False  # Chromium refuses its sandbox when run as root
    return args


@contextlib.contextmanager
def lean_driver() -> Iterator[None]:
    """While Playwright's driver is started in this block, its Node.js gets `LEAN_HEAP` (through
    NODE_OPTIONS, unless the user set a young generation size there already); the environment
    is as it was afterwards."""
    before = os.environ.get("NODE_OPTIONS")
    if "--max-semi-space-size" not in (before or ""):
        os.environ["NODE_OPTIONS"] = f"{before} {LEAN_HEAP}" if before else LEAN_HEAP
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("NODE_OPTIONS", None)
        else:
            os.environ["NODE_OPTIONS"] = before
