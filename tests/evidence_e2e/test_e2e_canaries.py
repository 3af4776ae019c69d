"""Canaries: real `reauthorize` runs (real Chromium, the simulators, planted passwords) that pass,
fail at Acumatica's sign-in, fail after consent, and are interrupted; then every byte of every
file of the run folder (zip members opened) and of the history database (with -wal/-shm), and
everything the runs and `bot runs` printed, is searched for every spelling of every password,
code, token, client secret and session cookie of the run. Each test first checks that the
planted values really flowed (a control), so that "nothing found" means something."""

from __future__ import annotations

import json

import pytest
from evidence_e2e_helpers import (
    PLANTED,
    WRONG_INTEGRATION_PASSWORD,
    Run,
    World,
    leaks,
    run_sources,
    streams,
    text_source,
)

pytestmark = pytest.mark.browser

INTEGRATION_PASSWORD = "acumatica password of assignar.integration"
WRONG_PASSWORD = "SANDBOX_INTEGRATION_PASSWORD as set for this run"
ASSIGNAR_OK = "admin@acme.example: success"
ACUMATICA_OK = "assignar.integration: success"


def assert_no_secret_anywhere(world: World, run: Run) -> None:
    """The run folder, the history database files and the console: no spelling of any secret."""
    assert run.folder.is_dir()
    found = leaks(run_sources(world, run) + text_source("console output", run.output), run.secrets)
    assert found == [], "\n".join(found)


def assert_raw_trace_held(run: Run, *names: str) -> None:
    """Control: before scrubbing, Playwright's trace held these very values."""
    assert run.raw_trace is not None, "no trace was recorded"
    for name in names:
        assert leaks(streams(run.raw_trace), {name: run.secrets[name]}), (
            f"control failed: the unscrubbed trace never held the {name}"
        )


def assert_trace_kept(run: Run) -> None:
    """The scrubbed trace is still there (deleting it would make a scan vacuous)."""
    assert (run.folder / "trace.zip").is_file(), run.notes
    assert not [note for note in run.notes if "deleted" in note], run.notes


def assert_cookies_issued(run: Run) -> None:
    """Assignar's session, Acumatica's .ASPXAUTH and (only in Set-Cookie) ASP.NET_SessionId."""
    for kind in ("Assignar session", ".ASPXAUTH session", "httpOnly cookie"):
        assert names(run, kind), f"control failed: no {kind} was issued"


def names(run: Run, prefix: str) -> list[str]:
    return [name for name in run.secrets if name.startswith(prefix)]


def test_passed_run(world: World, passed_run: Run) -> None:
    run = passed_run
    assert run.verdict == "passed", run
    assert ACUMATICA_OK in run.acumatica_sign_ins  # the planted password was accepted
    assert ASSIGNAR_OK in run.assignar_sign_ins
    assert run.secrets[INTEGRATION_PASSWORD] == PLANTED["assignar.integration"]
    for kind in ("authorization code", "access token", "refresh token"):
        assert names(run, kind), f"control failed: no {kind} was issued"
    assert_cookies_issued(run)
    assert_raw_trace_held(
        run,
        "assignar password",
        INTEGRATION_PASSWORD,
        "authorization code 0",
        ".ASPXAUTH session 0",
        *names(run, "Assignar session"),
    )
    assert_trace_kept(run)
    assert_no_secret_anywhere(world, run)
    assert "PASSED  reauthorize" in run.output


def test_run_failing_at_acumatica_sign_in(world: World, signin_failed_run: Run) -> None:
    run = signin_failed_run
    assert run.verdict == "failed", run
    assert run.acumatica_sign_ins == ["assignar.integration: bad_credentials"]
    assert run.secrets[WRONG_PASSWORD] == WRONG_INTEGRATION_PASSWORD
    assert not names(run, "authorization code")
    assert_raw_trace_held(run, "assignar password", WRONG_PASSWORD)
    assert_trace_kept(run)
    assert_no_secret_anywhere(world, run)
    assert "refused the sign-in" in run.output


def test_run_failing_at_the_token_exchange_after_consent(
    world: World, token_failed_run: Run
) -> None:
    run = token_failed_run
    assert run.verdict == "failed", run
    assert ACUMATICA_OK in run.acumatica_sign_ins
    # the code was issued and sent through the browser, but never exchanged: no tokens
    assert names(run, "authorization code")
    assert not names(run, "access token")
    assert_raw_trace_held(run, INTEGRATION_PASSWORD, "authorization code 0", ".ASPXAUTH session 0")
    assert_trace_kept(run)
    assert_no_secret_anywhere(world, run)
    assert "Assignar did not renew the authentication" in run.output


def test_run_failing_after_the_tokens_were_issued(world: World, finish_failed_run: Run) -> None:
    run = finish_failed_run
    assert run.verdict == "failed", run
    assert names(run, "access token")
    assert names(run, "refresh token")
    assert_raw_trace_held(run, INTEGRATION_PASSWORD, "authorization code 0")
    assert_trace_kept(run)
    assert_no_secret_anywhere(world, run)
    assert "HTTP 500" in run.output


@pytest.mark.parametrize("fixture", ["sigint_run", "ctrl_c_run"])
def test_interrupted_run(world: World, fixture: str, request: pytest.FixtureRequest) -> None:
    """`bot run` as a subprocess, SIGINT once Acumatica has accepted the planted password: to the
    bot alone, or to its process group as a terminal's Ctrl-C does (the browser dies with it)."""
    run: Run = request.getfixturevalue(fixture)
    assert run.returncode == 130, run
    assert "INTERRUPTED" in run.output, run
    assert ACUMATICA_OK in run.acumatica_sign_ins
    assert ASSIGNAR_OK in run.assignar_sign_ins
    assert_cookies_issued(run)
    report = json.loads((run.folder / "report.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "interrupted"
    assert any(step["status"] == "passed" for step in report["steps"])
    if fixture == "sigint_run":
        assert_trace_kept(run)
    else:  # the browser went with the group: the run says there is no trace
        assert any(note.startswith("no trace") for note in report["notes"]), report["notes"]
    assert_no_secret_anywhere(world, run)


def test_no_secret_in_any_evidence_or_in_bot_runs(world: World, every_run: list[Run]) -> None:
    """After every run: all run folders and the shared history, against every secret of every
    run; and what `bot runs`, `bot runs --json` and `bot runs show` print."""
    secrets = world.all_secrets()
    sources = list(streams(world.bot.runs_root))
    for path in world.bot.history_files():
        sources += list(streams(path))
    listing = world.cli("runs", "--json", "--limit", "100")
    assert listing.returncode == 0, listing.stderr
    rows = {row["id"]: row for row in json.loads(listing.stdout)}
    verdicts = {run.name: rows[run.run_id]["verdict"] for run in every_run}
    assert verdicts == {
        "passed": "passed",
        "signin-failed": "failed",
        "token-failed": "failed",
        "finish-failed": "failed",
        "sigint": "interrupted",
        "ctrl-c": "interrupted",
        "killed": "interrupted",
    }
    printed = [
        listing,
        world.cli("runs"),
        world.cli("runs", "--failed", "--json"),
        *(world.cli("runs", "show", run.run_id) for run in every_run),
    ]
    for number, result in enumerate(printed):
        assert result.returncode == 0, result.stderr
        sources += text_source(f"bot runs output #{number}", result.stdout + result.stderr)
    found = leaks(sources, secrets)
    assert found == [], "\n".join(found)
    assert len(secrets) > 4 * len(every_run)  # codes, tokens and cookies of every run, too
