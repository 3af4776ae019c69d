"""docs/writing-runbooks.md's tutorial, as a reader follows it: the site it starts, then every
file it writes and every command it runs, in order, taken from the page itself (the comments
`<!-- tutorial: file PATH -->` before a code block, `<!-- tutorial: run COMMAND; exits N; says
"TEXT" -->`). A change to the language that breaks the tutorial fails here."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import run_bot

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "writing-runbooks.md"
SITE = ROOT / "docs" / "tutorial" / "site.py"
DOCUMENTED_URL = "http://127.0.0.1:8321"
PASSWORD = "correct-horse-42"
DIRECTIVE = re.compile(r"<!-- tutorial: (file|run) (.*?) -->\n```\w*\n(.*?)```", re.DOTALL)
RUN = re.compile(r'^(?P<command>.+?); exits (?P<code>\d); says "(?P<says>.+)"$', re.DOTALL)


@pytest.fixture
def site_url() -> Iterator[str]:
    """The tutorial's site, started as the reader starts it (on a free port here)."""
    process = subprocess.Popen(
        [sys.executable, str(SITE), "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline())
        assert found, "the site did not say where it listens"
        yield found.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_tutorial_runs_as_written(tmp_path: Path, site_url: str) -> None:
    steps = DIRECTIVE.findall(GUIDE.read_text(encoding="utf-8"))
    assert [kind for kind, _, _ in steps].count("run") >= 4
    (tmp_path / "runbooks").mkdir()
    for kind, what, block in steps:
        if kind == "file":
            text = block.replace(DOCUMENTED_URL, site_url)
            (tmp_path / what).write_text(text, encoding="utf-8")
            continue
        expected = RUN.match(what)
        assert expected, f"unreadable tutorial step: {what}"
        command = shlex.split(expected["command"])
        assert command[0] == "bot"
        assert block.strip() == expected["command"]  # the reader's command is the one run
        done = run_bot(tmp_path, *command[1:], env={"TUTORIAL_PASSWORD": PASSWORD}, timeout=120)
        said = done.out + done.err
        assert done.code == int(expected["code"]), said
        assert expected["says"] in said, said
        assert PASSWORD not in said
