"""Attack class: input that would exhaust the bot. Alias bombs, deep nesting, huge files, `use`
cycles and chains, template statements and output, `use:` by path, a client name that is a path,
a secret too short to scrub: each ends in `path:line`, a message and exit 2, with no traceback,
no browser started and nothing written (`bot` through its real entry point, in-process)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from bounded_cases import CASES, CONFIG, PASSWORD
from support.cli import bot_without_browser
from support.project import Project as Folder

LOCATED = re.compile(r"^\S+\.yaml:\d+: ", re.MULTILINE)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Folder:
    (tmp_path / "runbooks").mkdir()
    made = Folder(tmp_path)
    made.config(CONFIG)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOUNDED_PW", PASSWORD)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("BOT_CONFIG", raising=False)
    return made


@pytest.mark.timeout(60)  # a hang guard, not a speed test (benchmarks/bounded_input.py times it)
@pytest.mark.parametrize("case", list(CASES))
def test_bounded_input_ends_in_a_located_message_and_exit_2(
    folder: Folder,
    case: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = CASES[case]
    for name, text in spec.files.items():
        (folder.root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    for key, value in spec.env.items():
        monkeypatch.setenv(key, value)
    before = folder.files()
    with bot_without_browser(monkeypatch, capsys) as bot:
        result = bot(*spec.args)
    assert result.code == 2, result
    assert "Traceback" not in result.out + result.err
    assert LOCATED.search(result.err), result.err
    for fragment in spec.says:
        assert fragment in result.err, f"{fragment!r} not in:\n{result.err[:3000]}"
    assert folder.files() == before  # nothing written: no run folder, no history, no lock
    assert PASSWORD not in result.out + result.err
    for value in spec.env.values():
        assert value not in result.out + result.err
