"""The README's main command, exactly as a support engineer types it, from the repository root."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bot_run_reauthorize_client_demo() -> None:
    bot = shutil.which("bot", path=str(Path(sys.executable).parent)) or shutil.which("bot")
    assert bot, "the `bot` command is not installed (pip install -e .)"
    env = {k: v for k, v in os.environ.items() if k != "BOT_CONFIG"}

    done = subprocess.run([bot, "run", "reauthorize", "--client", "demo"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "PASSED  reauthorize" in out
    assert "Authorized as assignar.integration; the integration is enabled." in out
    assert "Acumatica 24.105.0012 (2024 R1 or newer) detected" in out
    assert "`bot run sliding-expiration --client demo`" in out
    evidence = re.search(r"^\s*evidence: (\S.*)$", out, re.MULTILINE)
    assert evidence, out[-2000:]
    assert (REPO / evidence.group(1).strip()).is_dir()
