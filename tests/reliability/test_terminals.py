"""`bot run` on terminals and pipes that are not UTF-8 (an old server's `LANG=en_US.ISO-8859-1`,
a Windows code page, `PYTHONIOENCODING=ascii`), with no tty and `TERM=dumb`.

Before: the first `✓` of a step line raised UnicodeEncodeError (the listener's error was swallowed,
so the step lines vanished), and the verdict of a run that had acted on the client ended in a
traceback, exit 1. Now what the stream cannot encode shows as `?`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bot_sim.harness import Simulators
from rel_helpers import RelBot

BOT = Path(sys.executable).parent / "bot"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_run_on_a_terminal_that_is_not_utf8_prints_its_verdict(
    sims: Simulators, rbot: RelBot, encoding: str
) -> None:
    env = {**os.environ, **rbot.sandbox.env, "PYTHONIOENCODING": encoding, "TERM": "dumb"}
    env.pop("PYTHONUTF8", None)
    done = subprocess.run(
        [str(BOT), "--config", str(rbot.sandbox.config_path), "run", "status", "-c", "sandbox"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=300,
        check=False,
    )
    out, err = done.stdout.decode(encoding), done.stderr.decode(encoding)
    assert "Traceback" not in out + err, err
    assert done.returncode == 0, out + err
    assert "Open Assignar" in out  # the step lines are there
    assert "PASSED  status" in out
    assert "run " in out.split("PASSED", 1)[1]  # and the verdict to its end
