"""`kill -9` of `bot run` while it seals the evidence (scrubbing the trace).

Before: Playwright saved the trace as `trace.zip` in the run folder and the seal scrubbed it in
place, so a bot killed in between (a second or more on a busy machine) left `trace.zip` with the
typed passwords in it, readable by everyone (the umask's mode). Now the unscrubbed trace has a
hidden name and owner-only mode until it is scrubbed; only then is it `trace.zip`. The client's
next run deletes such a leftover.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from bot_sim.harness import Simulators
from rel_helpers import RelBot

from bot.evidence import Scrubber

# the bot, killed (SIGKILL, no clean-up) the moment the seal starts scrubbing the trace
KILLED_WHILE_SEALING = textwrap.dedent("""
    import os, signal, sys
    from bot.cli import main
    from bot.evidence.scrub import Scrubber
    Scrubber.trace_zip = lambda self, path: os.kill(os.getpid(), signal.SIGKILL)
    sys.argv = ["bot", *sys.argv[1:]]
    main()
""")


def test_kill_9_while_sealing_leaves_no_trace_holding_secrets(
    sims: Simulators, rbot: RelBot, tmp_path: Path
) -> None:
    args = ["--config", str(rbot.sandbox.config_path), "run", "status", "-c", "sandbox"]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_SEALING, *args],
        env={**os.environ, **rbot.sandbox.env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert killed.returncode == -9, killed.stderr
    [folder] = (rbot.sandbox.runs_root / "sandbox").iterdir()
    assert not (folder / "trace.zip").exists()
    leftovers = [path for path in folder.iterdir() if path.is_file()]
    assert leftovers, "the unscrubbed trace was saved"
    for path in leftovers:  # whatever holds secrets is the owner's only, and not evidence
        assert path.name.startswith("."), path
        assert path.stat().st_mode & 0o077 == 0, oct(path.stat().st_mode)
    assert Scrubber(rbot.secrets()).assert_clean(folder) != []  # the test saw the secrets

    # the client's next run deletes the leftover; its own trace is scrubbed
    run = rbot.run("status")
    assert run.verdict == "passed", run
    assert not any(path.is_file() for path in folder.iterdir())
    rbot.assert_clean(run.folder)
    assert (run.folder / "trace.zip").is_file()
