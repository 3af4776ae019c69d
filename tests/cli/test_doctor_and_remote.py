"""`bot doctor` explains the browser choice; `--cdp` really drives a browser started elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.devtools import devtools_chromium

from bot.app.browser import choose_browser

ROOT = Path(__file__).resolve().parents[2]
BOT = str(Path(sys.executable).with_name("bot"))


def bot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BOT, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_doctor_names_the_browser_the_reason_and_proves_it_starts() -> None:
    done = bot("doctor")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "playwright  1." in done.stdout
    assert f"browser     {choose_browser().describe()}" in done.stdout
    assert "launched    Chromium" in done.stdout
    assert "traces      Playwright's trace viewer serves on 127.0.0.1" in done.stdout


def test_doctor_with_a_broken_path_exits_1_with_the_fix(tmp_path: Path) -> None:
    done = bot("doctor", env={"BOT_BROWSER_PATH": str(tmp_path / "no-chrome")})
    assert done.returncode == 1
    assert "set by BOT_BROWSER_PATH" in done.stdout
    assert "is not an executable file: fix BOT_BROWSER_PATH" in done.stdout


def test_doctor_with_a_broken_config_does_not_say_ready(tmp_path: Path) -> None:
    """A run would refuse the config, and the browser it names is unknown: not "ready to run"."""
    config = tmp_path / "config.yaml"
    config.write_text("browser:\n  executable_path: /opt/chrome/chrome\n  headles: true\n")
    done = bot("--config", str(config), "doctor", "--no-launch")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "problem     the config cannot be used (a run would refuse it)" in done.stdout
    assert f"{config}:3: browser.headles: unknown field 'headles'" in done.stdout
    assert "ready to run" not in done.stdout
    missing = bot("--config", str(tmp_path / "nope.yaml"), "doctor", "--no-launch")
    assert missing.returncode == 1
    assert f"config file {tmp_path / 'nope.yaml'} does not exist" in missing.stdout


def test_doctor_with_an_unreachable_remote_browser_says_why_once() -> None:
    done = bot("doctor", "--cdp", "http://127.0.0.1:1")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "problem     could not start the browser (cdp (http://127.0.0.1:1)" in done.stdout
    assert "ECONNREFUSED" in done.stdout
    assert "`bot doctor` explains" not in done.stdout  # this is bot doctor


@pytest.fixture
def chromium_with_devtools(tmp_path: Path) -> Iterator[str]:
    """A Chromium started outside the bot, listening for CDP on a free loopback port."""
    choice = choose_browser()
    if choice.kind != "system":
        pytest.skip(f"needs a system Chromium to start by hand (found: {choice.describe()})")
    with devtools_chromium(str(choice.target), tmp_path / "profile") as url:
        yield url


@pytest.mark.browser
def test_run_over_cdp_uses_the_remote_browser(chromium_with_devtools: str) -> None:
    done = bot("run", "status", "--client", "demo", "--cdp", chromium_with_devtools)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert "PASSED  status" in done.stdout
    assert (
        bot("doctor", "--cdp", chromium_with_devtools, "--no-launch").stdout.count(
            f"cdp ({chromium_with_devtools})"
        )
        == 1
    )
