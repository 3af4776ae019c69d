"""The README's main command, exactly as a support engineer types it, from the repository root."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bot_run_reauthorize_client_demo() -> None:
    bot = shutil.which("bot", path=str(Path(sys.executable).parent)) or shutil.which("bot")
    assert bot, "the `bot` command is not installed (pip install -e .)"
    env = {k: v for k, v in os.environ.items() if k != "BOT_CONFIG"}

    for _ in range(30):  # someone else's demo run in this checkout holds the client lock: wait
        done = subprocess.run(
            [bot, "run", "reauthorize", "--client", "demo"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if "another run for client 'demo' is in progress" not in done.stderr:
            break
        time.sleep(2)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "PASSED  reauthorize" in out
    assert "Authorized as assignar.integration; the integration is enabled." in out
    assert "Acumatica 24.105.0012 (2024 R1 or newer) detected" in out
    assert "`bot run sliding-expiration --client demo`" in out
    report = re.search(r"^\s*report:\s*(\S+)", out, re.MULTILINE)  # where the evidence is
    trace = re.search(r"^\s*trace:\s*(\S+)", out, re.MULTILINE)
    assert report, out[-2000:]
    assert trace, out[-2000:]
    assert (REPO / report.group(1)).is_file()
    assert (REPO / trace.group(1)).is_file()
