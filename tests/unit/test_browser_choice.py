"""Which browser a run uses, and why: Playwright's own → the system's → a remote one."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from bot import BrowserChoice, choose_browser, launch_args
from bot.app import browser
from bot.app.browser import missing_display


def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def no_browsers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A machine with nothing installed: empty Playwright cache, empty PATH, no common paths."""
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("BOT_BROWSER_PATH", raising=False)
    monkeypatch.setattr(browser, "SYSTEM_CANDIDATES", ())
    monkeypatch.setattr(browser, "HEADLESS_SHELL_CANDIDATES", ())
    return tmp_path


def test_playwrights_own_chromium_comes_first(no_browsers: Path) -> None:
    _executable(no_browsers / "bin" / "chromium")
    own = _executable(no_browsers / "ms-playwright/chromium-1200/chrome-linux/chrome")
    choice = choose_browser()
    assert choice.kind == "managed"
    assert str(own) in choice.reason
    assert "executable_path" not in launch_args(choice)


def test_then_the_systems_chromium_with_its_path(no_browsers: Path) -> None:
    system = _executable(no_browsers / "bin" / "chromium")
    choice = choose_browser()
    assert (choice.kind, choice.target) == ("system", str(system))
    assert choice.reason == "found on PATH as chromium"
    args = launch_args(choice)
    assert args["executable_path"] == str(system)
    assert "--disable-background-networking" in args["args"]  # type: ignore[operator]


def test_headless_runs_use_the_systems_headless_shell_and_headed_runs_the_chromium(
    no_browsers: Path,
) -> None:
    system = _executable(no_browsers / "bin" / "chromium")
    shell = _executable(no_browsers / "bin" / "chromium-headless-shell")
    choice = choose_browser()
    assert (choice.kind, choice.target, choice.headless_shell) == (
        "system",
        str(system),
        str(shell),
    )
    assert launch_args(choice)["executable_path"] == str(shell)
    assert launch_args(choice, headless=False)["executable_path"] == str(system)
    assert choice.describe() == (
        f"system ({system}): found on PATH as chromium; headless runs use its headless shell "
        f"({shell})"
    )


def test_the_headless_shell_binary_comes_before_a_wrapper_script_on_path(
    no_browsers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _executable(no_browsers / "bin" / "chromium")
    _executable(no_browsers / "bin" / "chromium-headless-shell")  # Debian's: `sh` stays the parent
    binary = _executable(no_browsers / "lib/chromium/chromium-headless-shell")
    monkeypatch.setattr(browser, "HEADLESS_SHELL_CANDIDATES", (str(binary),))
    assert launch_args(choose_browser())["executable_path"] == str(binary)


def test_an_explicit_path_is_launched_as_given_even_with_a_headless_shell_beside_it(
    no_browsers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _executable(no_browsers / "bin" / "chromium-headless-shell")
    chosen = _executable(no_browsers / "opt" / "chrome")
    monkeypatch.setenv("BOT_BROWSER_PATH", str(chosen))
    choice = choose_browser()
    assert choice.headless_shell is None
    assert launch_args(choice)["executable_path"] == str(chosen)


def test_a_headless_shell_alone_serves_headless_runs_and_says_headed_needs_more(
    no_browsers: Path,
) -> None:
    shell = _executable(no_browsers / "bin" / "chrome-headless-shell")
    choice = choose_browser()
    assert (choice.kind, choice.target, choice.headless_shell) == ("system", str(shell), None)
    assert "--headed needs a Chromium" in choice.reason
    assert launch_args(choice)["executable_path"] == str(shell)


def test_an_explicit_path_wins_and_a_bad_one_is_a_problem_with_its_fix(
    no_browsers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _executable(no_browsers / "ms-playwright/chromium-1200/chrome-linux/chrome")
    monkeypatch.setenv("BOT_BROWSER_PATH", str(no_browsers / "nowhere/chrome"))
    choice = choose_browser()
    assert (choice.kind, choice.reason) == ("system", "set by BOT_BROWSER_PATH")
    assert choice.problems == [
        f"{no_browsers / 'nowhere/chrome'} is not an executable file: fix BOT_BROWSER_PATH or "
        "browser.executable_path"
    ]


def test_a_folder_is_not_a_browser(no_browsers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder passes `os.access(X_OK)`: given as the path, it is a problem with its fix (not a
    launch failing with EACCES); found at a usual place, the next candidate is chosen."""
    (no_browsers / "ms-playwright/chromium-1200/chrome-linux/chrome").mkdir(parents=True)
    (no_browsers / "opt-chrome").mkdir()
    system = _executable(no_browsers / "usr-chromium")
    monkeypatch.setattr(
        browser, "SYSTEM_CANDIDATES", (str(no_browsers / "opt-chrome"), str(system))
    )
    found = choose_browser()
    assert (found.kind, found.target, found.problems) == ("system", str(system), [])
    monkeypatch.setenv("BOT_BROWSER_PATH", str(no_browsers))
    given = choose_browser()
    assert given.problems == [
        f"{no_browsers} is not an executable file: fix BOT_BROWSER_PATH or browser.executable_path"
    ]


def test_remote_endpoints_win_over_local_browsers(no_browsers: Path) -> None:
    _executable(no_browsers / "bin" / "chromium")
    assert choose_browser(ws_endpoint="ws://10.0.0.5:3000/").kind == "ws"
    assert choose_browser(cdp_endpoint="http://127.0.0.1:9222").kind == "cdp"


def test_nothing_at_all_says_what_to_install(no_browsers: Path) -> None:
    choice = choose_browser()
    assert choice.kind == "none"
    assert "apt-get install -y chromium" in choice.problems[0]
    assert "playwright install chromium" in choice.problems[0]
    assert "--browser-ws" in choice.problems[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland: Linux")
def test_a_window_without_a_display_is_said_before_chromium_fails_vaguely(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    system = BrowserChoice("system", "/usr/bin/chromium", "found on PATH as chromium")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    said = missing_display(system, headless=False)
    assert said is not None
    assert said.startswith("a browser window needs a display, and there is none here")
    assert "xvfb-run bot" in said
    assert missing_display(system, headless=True) is None
    remote = BrowserChoice("cdp", "http://127.0.0.1:9222", "--cdp given")
    assert missing_display(remote, headless=False) is None  # its window is elsewhere
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert missing_display(system, headless=False) is None


def test_a_configured_path_with_a_tilde_is_under_the_home_folder(
    no_browsers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`browser.executable_path: ~/chrome/chrome` in config.yaml: no shell expands it."""
    monkeypatch.setenv("HOME", str(no_browsers))
    mine = _executable(no_browsers / "chrome" / "chrome")
    choice = choose_browser(configured_path="~/chrome/chrome")
    assert (choice.kind, choice.target, choice.problems) == ("system", str(mine), [])


def test_the_fleets_driver_gets_a_small_young_generation_and_the_environment_is_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NODE_OPTIONS", "--trace-warnings")
    with browser.lean_driver():
        assert os.environ["NODE_OPTIONS"] == "--trace-warnings --max-semi-space-size=1"
    assert os.environ["NODE_OPTIONS"] == "--trace-warnings"
    monkeypatch.delenv("NODE_OPTIONS")
    seen: list[str] = []

    def driver_fails_to_start() -> None:
        with browser.lean_driver():
            seen.append(os.environ["NODE_OPTIONS"])
            raise RuntimeError("the driver did not start")

    with pytest.raises(RuntimeError):
        driver_fails_to_start()
    assert seen == ["--max-semi-space-size=1"]
    assert "NODE_OPTIONS" not in os.environ


def test_a_young_generation_size_the_user_chose_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NODE_OPTIONS", "--max-semi-space-size=8")
    with browser.lean_driver():
        assert os.environ["NODE_OPTIONS"] == "--max-semi-space-size=8"


def test_only_a_browser_for_many_contexts_is_launched_lean() -> None:
    choice = BrowserChoice("managed", None, "Playwright's own Chromium")
    lean = launch_args(choice, lean=True)["args"]
    assert isinstance(lean, list)
    assert "--js-flags=--max-semi-space-size=1 --initial-heap-size=8" in lean
    assert "--js-flags" not in str(launch_args(choice)["args"])
