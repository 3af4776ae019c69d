"""`bot fleet`: what is known about every client, and who is due — from facts, no browser."""

from __future__ import annotations

import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import History, InputError
from bot.cli import cli

CONFIG = textwrap.dedent("""
    runs: {history: history.sqlite}
    clients:
      old: {settings: {acumatica_url: https://old.example.com}}
      sliding: {settings: {acumatica_url: https://sliding.example.com}}
      later: {settings: {acumatica_url: https://later.example.com}}
      unknown: {settings: {acumatica_url: https://unknown.example.com}}
      demo: {simulators: builtin, settings: {acumatica_url: http://127.0.0.1}}
""")


def _world(tmp_path: Path) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    store = History(tmp_path / "history.sqlite")
    soon = (date.today() + timedelta(days=3)).isoformat()
    later = (date.today() + timedelta(days=25)).isoformat()
    remember(store, "r1", "old", {"acumatica_build": "23.200.0151", "next_due": soon})
    remember(store, "r1", "old", {"authorized_user": "assignar.integration"})
    remember(
        store,
        "r2",
        "sliding",
        {"acumatica_build": "24.105.0012", "sliding_expiration": "configured"},
    )
    remember(store, "r3", "later", {"acumatica_build": "25.101.0153", "next_due": later})
    store.close()
    return config


def remember(history: History, run_id: str, client: str, facts: dict[str, str]) -> None:
    history.remember(run_id, client, facts, facts)


def test_due_lists_clients_running_out_soon_and_unknown_ones(tmp_path: Path) -> None:
    config = _world(tmp_path)
    result = CliRunner().invoke(cli, ["--config", str(config), "fleet", "due", "--within", "7"])
    assert result.exit_code == 0, result.output
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == ["old", "unknown"]  # not sliding (no deadline), not later, not the demo


def test_status_shows_versions_and_who_still_needs_sliding_expiration(tmp_path: Path) -> None:
    config = _world(tmp_path)
    result = CliRunner().invoke(cli, ["--config", str(config), "fleet", "status"])
    assert result.exit_code == 0, result.output
    rows = {line.split()[1]: line for line in result.output.splitlines() if line.startswith("│")}
    assert "not available" in rows["old"]
    assert "23.200.0151" in rows["old"]
    assert "configured" in rows["sliding"]
    assert "possible: run sliding-expiration" in rows["later"]
    assert "demo" not in rows


def test_forgotten_facts_disappear_after_a_passing_run(tmp_path: Path) -> None:
    store = History(tmp_path / "h.sqlite")
    remember(store, "r1", "c", {"next_due": "2030-01-01", "acumatica_build": "24.105.0012"})
    store.remember("r2", "c", {"acumatica_build": "24.105.0012"}, ["next_due", "acumatica_build"])
    assert store.client_facts("c") == {"c": {"acumatica_build": "24.105.0012"}}


def test_sliding_expiration_configured_after_a_reauthorize_ends_its_deadline(
    tmp_path: Path,
) -> None:
    config = _world(tmp_path)
    store = History(tmp_path / "history.sqlite")
    soon = (date.today() + timedelta(days=30)).isoformat()
    # reauthorize (a 30-day deadline), then sliding-expiration (which has none to remember)
    remember(store, "r4", "later", {"acumatica_build": "25.101.0153", "next_due": soon})
    remember(store, "r5", "later", {"acumatica_build": "25.101.0153", "sliding_expiration": "y"})
    store.close()

    due = CliRunner().invoke(cli, ["--config", str(config), "fleet", "due", "--within", "60"])
    status = CliRunner().invoke(cli, ["--config", str(config), "fleet", "status"])

    assert due.exit_code == 0, due.output
    assert [line.split()[0] for line in due.output.splitlines()] == ["old", "unknown"]
    rows = {line.split()[1]: line for line in status.output.splitlines() if line.startswith("│")}
    assert "configured" in rows["later"]
    assert soon not in rows["later"]
    assert "never (Sliding Expiration renews" in rows["later"]


def test_a_deadline_remembered_after_sliding_expiration_still_holds(tmp_path: Path) -> None:
    config = _world(tmp_path)
    store = History(tmp_path / "history.sqlite")
    soon = (date.today() + timedelta(days=5)).isoformat()
    remember(store, "r6", "sliding", {"acumatica_build": "23.200.0151", "next_due": soon})
    store.close()

    due = CliRunner().invoke(cli, ["--config", str(config), "fleet", "due", "--within", "7"])

    assert [line.split()[0] for line in due.output.splitlines()] == ["old", "sliding", "unknown"]


def test_due_says_when_nobody_is_due(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "runs: {history: history.sqlite}\n"
        "clients: {later: {settings: {acumatica_url: https://later.example.com}}}\n",
        encoding="utf-8",
    )
    store = History(tmp_path / "history.sqlite")
    later = (date.today() + timedelta(days=25)).isoformat()
    remember(store, "r1", "later", {"acumatica_build": "25.101.0153", "next_due": later})
    store.close()
    due = CliRunner().invoke(cli, ["--config", str(config), "fleet", "due", "--within", "7"])
    assert (due.exit_code, due.stdout) == (0, "")
    assert due.stderr == "nobody is due within 7 days (`bot fleet status` shows when)\n"


def test_a_headed_fleet_without_a_display_says_so_before_any_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "runbooks" / "hello.yaml").write_text(
        "name: hello\nsteps:\n  - goto: https://example.invalid/\n", encoding="utf-8"
    )
    config = tmp_path / "config.yaml"
    config.write_text(
        "runbooks: [runbooks]\nruns: {root: runs, history: history.sqlite}\n"
        "clients: {acme: {settings: {}}}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("DISPLAY", "")
    monkeypatch.setenv("WAYLAND_DISPLAY", "")
    monkeypatch.setattr(sys, "platform", "linux")
    result = CliRunner().invoke(cli, ["--config", str(config), "fleet", "run", "hello", "--headed"])
    refused = result.exception  # `bot` (main) prints it and exits with its code
    assert isinstance(refused, InputError), result.output
    assert refused.exit_code == 2
    assert refused.message.startswith("--headed: a browser window needs a display, and there is")
    assert not (tmp_path / "runs").exists()
