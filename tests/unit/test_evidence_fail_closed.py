"""Evidence fails closed: whatever breaks while a run's evidence is finished, every file of the run
folder is still scrubbed and scanned, or deleted, and the verdict's notes say what is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot import RunFinished, RunStarted, Scrubber, StepEvent, StepStatus
from bot.evidence import History, RunEvidence, RunFolder, recording

SECRET = "Fail-Closed-canary-77"


def _record_a_run(evidence: RunEvidence, folder: RunFolder) -> None:
    """A run whose message and files hold the secret: what the seal must clean up."""
    listeners = evidence.listeners()
    for event in (
        RunStarted("r1", "t", "acme", {}, 1.0),
        StepEvent("r1", "steps[0]", "fill", StepStatus.STARTED, 1.0),
        StepEvent("r1", "steps[0]", "fill", StepStatus.FAILED, 2.0, message=f"typed {SECRET}"),
        RunFinished("r1", "failed", 2.0, message=f"typed {SECRET}"),
    ):
        for listener in listeners:
            listener(event)
    (folder.screenshots / "001-note.txt").write_text(f"seen {SECRET}", encoding="utf-8")
    (folder.screenshots / "002-shot.png").write_bytes(b"\x89PNG\r\n\x1a\n\0" + SECRET.encode())


def _seal_with_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str
) -> tuple[RunFolder, RunEvidence]:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(f"disk full while writing, after {SECRET}")

    monkeypatch.setattr(recording, writer, broken)
    folder = RunFolder.create(tmp_path / "runs", "acme", "t", "r1")
    scrubber = Scrubber([SECRET])
    history = History(tmp_path / "history.sqlite", scrubber)
    with RunEvidence.open(folder, scrubber, history, "always") as evidence:
        _record_a_run(evidence, folder)
    history.close()
    return folder, evidence


@pytest.mark.parametrize("writer", ["write_html", "write_json", "write_junit"])
def test_a_report_writer_that_raises_still_leaves_a_scrubbed_and_scanned_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str
) -> None:
    folder, evidence = _seal_with_broken(tmp_path, monkeypatch, writer)
    written = {"write_html": "report.html", "write_json": "report.json", "write_junit": "junit.xml"}
    assert not (folder.path / written[writer]).exists()
    assert {"run.log", *(set(written.values()) - {written[writer]})} <= {
        p.name for p in folder.path.iterdir()
    }
    assert (folder.screenshots / "001-note.txt").read_text(encoding="utf-8") == "seen [secret]"
    assert not (folder.screenshots / "002-shot.png").exists()  # binary with a secret: deleted
    assert Scrubber([SECRET]).assert_clean(folder.path) == []
    assert any(
        written[writer] in note and "could not be written" in note for note in evidence.notes
    )
    assert all(SECRET not in note for note in evidence.notes)


def test_a_file_that_cannot_be_scrubbed_is_deleted_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scrub_file = Scrubber.file

    def failing(self: Scrubber, path: Path) -> object:
        if path.name == "001-note.txt":
            raise PermissionError("cannot rewrite")
        return scrub_file(self, path)

    monkeypatch.setattr(Scrubber, "file", failing)
    folder, evidence = _seal_with_broken(tmp_path, monkeypatch, "write_html")
    assert not (folder.screenshots / "001-note.txt").exists()
    assert any("001-note.txt deleted" in note for note in evidence.notes)
    assert Scrubber([SECRET]).assert_clean(folder.path) == []


def test_a_run_that_never_started_leaves_no_folder(tmp_path: Path) -> None:
    folder = RunFolder.create(tmp_path / "runs", "acme", "t", "r1")
    history = History(tmp_path / "history.sqlite")
    with (
        pytest.raises(RuntimeError, match="no browser"),
        RunEvidence.open(folder, Scrubber(), history, "always"),
    ):
        raise RuntimeError("no browser")
    history.close()
    assert not folder.path.exists()


def test_every_file_of_a_run_and_of_the_history_is_for_the_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evidence is client data: 0600 files and 0700 folders, whatever the umask (Playwright
    writes screenshots and the trace with the umask's mode)."""
    old = os.umask(0o022)
    try:
        folder = RunFolder.create(tmp_path / "runs", "acme", "t", "r1")
        scrubber = Scrubber([SECRET])
        history = History(tmp_path / ".bot" / "history.sqlite", scrubber)
        with RunEvidence.open(folder, scrubber, history, "always") as evidence:
            _record_a_run(evidence, folder)
            (folder.screenshots / "003-plain.png").write_bytes(b"\x89PNG\r\n\x1a\n\0plain")
        made = [folder.path.parent, *folder.path.parent.rglob("*"), *history.path.parent.iterdir()]
        modes = {p.relative_to(tmp_path).as_posix(): p.stat().st_mode & 0o777 for p in made}
        history.close()  # (the -wal and -shm go with the last connection)
    finally:
        os.umask(old)
    assert {f"runs/acme/{folder.path.name}/{name}" for name in ("run.log", "report.json")} | {
        f"runs/acme/{folder.path.name}/screenshots/003-plain.png",
        ".bot/history.sqlite",
        ".bot/history.sqlite-wal",
        ".bot/history.sqlite-shm",
    } <= set(modes)
    assert modes == {name: 0o700 if (tmp_path / name).is_dir() else 0o600 for name in modes}
