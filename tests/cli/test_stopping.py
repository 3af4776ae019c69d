"""A long-running command (`bot sim up`) stops on Ctrl-C and on SIGTERM, even when it was started
the way a script starts a background job (`bot sim up &`: the shell leaves SIGINT ignored)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BOT = str(Path(sys.executable).with_name("bot"))


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_sim_up_started_with_ctrl_c_ignored_still_stops(
    tmp_path: Path, stop: signal.Signals
) -> None:
    folder = tmp_path / "sims"
    process = subprocess.Popen(
        [BOT, "sim", "up", "--write-config", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ignore_ctrl_c,  # as `bot sim up &` in a script
    )
    try:
        deadline = time.monotonic() + 60
        while not ((folder / ".env").exists() and (folder / ".env").read_text()):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "bot sim up wrote no config"
            time.sleep(0.1)
        process.send_signal(stop)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0, err
    assert "Stopping." in out
    assert "Traceback" not in err
