"""`kill -9` of `bot run` while the browser is still starting (a busy machine makes that seconds).

Before: the run folder was made before the browser's launch and the history row only when the run
started, so the killed run left `runs/<client>/<…>-<run id>/` (an empty `screenshots/`) that no
record pointed to: `bot runs` did not know it, and nothing ever cleaned it up. Now the folder is
made only once the run's history row exists: a run killed before that leaves nothing behind, and
the next run for the client starts normally.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.app.locks import client_lock

BOT = Path(sys.executable).parent / "bot"

FAKE_BROWSER = """#!/bin/sh
# a browser that never finishes starting: says it was reached, then waits
echo $$ > "{marker}"
exec sleep 300 </dev/null >/dev/null 2>&1
"""


def _wait_for(path: Path, process: subprocess.Popen[bytes]) -> None:
    """Until `path` exists (the fake browser was launched); fails if the bot ended first."""
    deadline = time.monotonic() + 120  # a bound against hanging, not a verdict
    while not path.exists():
        if process.poll() is not None:
            said = (path.parent / "bot.out").read_text()
            pytest.fail(f"bot ended before launching the browser: {said}")
        assert time.monotonic() < deadline, "the browser was never launched"
        time.sleep(0.05)


@pytest.mark.timeout(180)
def test_kill_9_while_the_browser_starts_leaves_no_folder_without_a_record(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "browser.pid"
    fake = tmp_path / "fake-chromium"
    fake.write_text(FAKE_BROWSER.format(marker=marker), encoding="utf-8")
    fake.chmod(0o755)
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "open.yaml").write_text(
        'name: open\nrequires: [site_url]\nsteps:\n  - goto: "{{ client.site_url }}/"\n',
        encoding="utf-8",
    )
    (tmp_path / "config.yaml").write_text(
        f"runbooks: [runbooks]\nbrowser:\n  executable_path: {fake}\nclients:\n  local:\n"
        "    settings:\n      site_url: http://127.0.0.1:9\n",
        encoding="utf-8",
    )
    # a file, not a pipe: Playwright's driver keeps a pipe open a while after the bot died
    with (tmp_path / "bot.out").open("w") as out:
        bot = subprocess.Popen(
            [str(BOT), "--config", str(tmp_path / "config.yaml"), "run", "open", "-c", "local"],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(marker, bot)
            bot.send_signal(signal.SIGKILL)
            bot.wait(timeout=60)
        finally:
            if bot.poll() is None:
                bot.kill()
            if marker.exists():
                os.kill(int(marker.read_text()), signal.SIGKILL)

    history = tmp_path / ".bot" / "history.sqlite"
    recorded: set[str] = set()
    if history.exists():
        with sqlite3.connect(history) as db:
            recorded = {row[0] for row in db.execute("SELECT run_dir FROM runs") if row[0]}
    runs = tmp_path / "runs" / "local"
    folders = {str(path) for path in runs.iterdir()} if runs.is_dir() else set()
    assert folders <= recorded, f"run folders no record points to: {folders - recorded}"
    with client_lock(tmp_path / ".bot" / "locks", "local"):  # the next run may start
        pass
