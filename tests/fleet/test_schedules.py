"""docs/scheduling.md's examples, as shipped: the crontab line, the systemd service and timer, and
the GitHub Actions workflow are parsed, and their own command runs in a checkout whose config holds
a client of running simulators; what they keep as evidence is where they say."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bot_sim.worlds import Worlds, start_worlds
from fleet_helpers import history_rows_at

from bot import sandbox_config, sandboxes, write_env_file

DOCS = Path(__file__).resolve().parents[2] / "docs"
CHECKOUT = "/srv/runbook-bot"  # where the examples say the bot is installed
CRON_FIELDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


@pytest.fixture(scope="module")
def world() -> Iterator[Worlds]:
    with start_worlds(1) as running:
        yield running


@pytest.fixture
def checkout(world: Worlds, tmp_path: Path) -> Path:
    """A checkout as the examples expect one: `.venv`, and a config.yaml (with its .env) whose
    one client, client01, is a world of running simulators; runs and history at their defaults."""
    world.reset()
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])
    config = sandbox_config(world, [])  # the built-in runbooks
    (tmp_path / "config.yaml").write_text(config.to_yaml(), encoding="utf-8")
    env = {name: value for box in sandboxes(world).values() for name, value in box.env.items()}
    write_env_file(tmp_path / ".env", env)
    return tmp_path


def in_checkout(command: str, checkout: Path) -> str:
    return command.replace(CHECKOUT, str(checkout))


def environment() -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "160"}
    env.pop("BOT_CONFIG", None)
    return env


def assert_ran_the_due_clients(checkout: Path, output: str) -> None:
    assert re.search(r"^PASSED\s+client01\s+run [0-9a-f]{8}", output, re.MULTILINE), output
    assert list((checkout / "runs" / "client01").iterdir())  # the run's evidence
    rows = history_rows_at(checkout / ".bot" / "history.sqlite")
    assert [(row.client, row.verdict) for row in rows] == [("client01", "passed")]


def test_the_crontab_line(checkout: Path) -> None:
    lines = [
        line
        for line in (DOCS / "scheduling" / "crontab").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert len(lines) == 1
    *schedule, command = lines[0].split(maxsplit=5)
    assert_cron(" ".join(schedule))
    assert "bot fleet run reauthorize --due" in command
    for _ in range(2):  # the second time nobody is due any more: the first run remembered it
        subprocess.run(
            ["/bin/sh", "-c", in_checkout(command, checkout)], env=environment(), check=True
        )
    log = (checkout / "fleet.log").read_text(encoding="utf-8")
    assert_ran_the_due_clients(checkout, log)
    assert log.rstrip().endswith("no clients to run")


def test_the_systemd_service_and_timer(checkout: Path) -> None:
    service, timer = unit("bot-fleet.service"), unit("bot-fleet.timer")
    calendar = timer["Timer"]["OnCalendar"]
    if shutil.which("systemd-analyze"):
        subprocess.run(["systemd-analyze", "calendar", calendar], capture_output=True, check=True)
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert service["Service"]["Type"] == "oneshot"
    command = shlex.split(in_checkout(service["Service"]["ExecStart"], checkout))
    assert command[1:6] == ["fleet", "run", "reauthorize", "--due", "--parallel"]
    name, _, value = service["Service"]["Environment"].partition("=")
    done = subprocess.run(
        command,
        cwd=in_checkout(service["Service"]["WorkingDirectory"], checkout),
        env={**environment(), name: value},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert_ran_the_due_clients(checkout, done.stdout)


def test_the_github_actions_workflow_keeps_the_evidence_as_artifacts(checkout: Path) -> None:
    workflow = yaml.safe_load((DOCS / "ci" / "github-actions-fleet.yml").read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert_cron(triggers["schedule"][0]["cron"])
    steps: list[dict[str, Any]] = workflow["jobs"]["reauthorize"]["steps"]
    fleet = next(step for step in steps if "bot fleet run reauthorize --due" in step.get("run", ""))
    assert fleet["shell"] == "bash"  # GitHub runs it with -eo pipefail
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", fleet["run"]],
        cwd=checkout,
        env=environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert_ran_the_due_clients(checkout, (checkout / "fleet.txt").read_text(encoding="utf-8"))
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload"))
    assert upload["if"] == "always()"  # a failed fleet's evidence is kept too
    for path in upload["with"]["path"].split():
        assert (checkout / path).exists(), path


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string((DOCS / "scheduling" / name).read_text(encoding="utf-8"))
    return parser


def assert_cron(expression: str) -> None:
    """Five fields of numbers, ranges, lists and steps, each within its range."""
    fields = expression.split()
    assert len(fields) == 5, expression
    for field, (low, high) in zip(fields, CRON_FIELDS, strict=True):
        for part in field.split(","):
            base, _, step = part.partition("/")
            assert not step or step.isdigit(), expression
            if base != "*":
                numbers = [int(n) for n in base.split("-")]
                assert all(low <= n <= high for n in numbers), expression
