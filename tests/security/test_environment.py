"""Attack class: what a config folder can make the bot do besides its secrets. A `.env` beside the
config sets `NODE_OPTIONS` (which would run a script inside Playwright's driver) and other
variables: `bot run`, a real process, uses `.env` only for the variables secret references name,
and never changes its environment. A secret shorter than 8 characters is refused unless the
config says `allow_short: true`, and is then scrubbed all the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import playwright
import pytest
import yaml
from attack_server import Origin
from canaries import CANARIES, TAG
from security_helpers import ENV, Project, assert_no_secret, held
from support.artifacts import found_in, streams

from bot import write_env_file

pytestmark = pytest.mark.browser

BOT = str(Path(sys.executable).with_name("bot"))
NODE = Path(playwright.__file__).parent / "driver" / "node"
SHORT = f"S~*' \u00fc{TAG[0]}"  # 7 characters


def payload(folder: Path) -> tuple[Path, Path]:
    """A script that, when it runs, leaves a marker file; and where the marker would be."""
    marker = folder / "the-script-ran"
    script = folder / "payload.js"
    script.write_text(f"require('fs').writeFileSync({str(marker)!r}, 'ran');\n", encoding="utf-8")
    return script, marker


def bot_run(folder: Path, runbook: str, client: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SEC_", "NODE_"))}
    return subprocess.run(
        [BOT, "--config", str(folder / "config.yaml"), "run", runbook, "--client", client],
        cwd=folder,
        env={**environment, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_dotenv_supplies_secrets_only_and_never_the_environment(
    tmp_path: Path, project: Project, site: Origin
) -> None:
    script, marker = payload(tmp_path)
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "config.yaml").write_text(
        (project.root / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "runbooks" / "typed.yaml").write_text(
        'name: typed\nsteps:\n  - goto: "{{ client.site_url }}/echo.html"\n'
        "  - fill: {label: Secret field, value: \"{{ secret('pw') }}\"}\n"
        "requires: [site_url]\n",
        encoding="utf-8",
    )
    write_env_file(
        tmp_path / ".env",
        {**ENV, "NODE_OPTIONS": f"--require={script}", "PLAYWRIGHT_BROWSERS_PATH": "/nowhere"},
    )
    done = bot_run(tmp_path, "typed", "pages")
    assert done.returncode == 0, done.stdout + done.stderr  # the secret came from .env
    assert "/echo.html" in site.paths()
    assert not marker.exists()  # NODE_OPTIONS never reached Playwright's driver
    sources = [*streams(tmp_path / "runs"), ("output", (done.stdout + done.stderr).encode())]
    assert found_in(sources, {n: {v} for n, v in CANARIES.items()}) == []
    # control: the same NODE_OPTIONS, were it in the environment, runs the script in the driver
    subprocess.run(
        [str(NODE), "-e", "0"],
        env={**os.environ, "NODE_OPTIONS": f"--require={script}"},
        check=True,
        timeout=60,
    )
    assert marker.exists()


def test_a_short_secret_is_refused_unless_allowed_and_then_scrubbed(
    project: Project, browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = yaml.safe_load((project.root / "config.yaml").read_text(encoding="utf-8"))
    short = {"ref": "env:SEC_SHORT", "origins": ["site_url"]}
    pages = config["clients"]["pages"]
    config["clients"]["short"] = {**pages, "secrets": {**pages["secrets"], "short": short}}
    project.write_config({"short": config["clients"]["short"]})
    monkeypatch.setenv("SEC_SHORT", SHORT)
    steps = """\
        - goto: "{{ client.site_url }}/encodings.html"
        - fill: {Password: "{{ secret('short') }}"}
        - click: Sign in
        - wait_for: Form received
        """
    from bot import InputError

    with pytest.raises(InputError) as refused:
        project.run(steps, browser, client="short")
    assert "secrets.short: client 'short': secret short: its value has only 7 character(s)" in (
        refused.value.message
    )
    assert "allow_short: true" in refused.value.message
    config["clients"]["short"]["secrets"]["short"]["allow_short"] = True
    project.write_config({"short": config["clients"]["short"]})
    run = project.run(steps, browser, client="short")
    assert run.verdict == "passed", run
    assert held(run.raw_trace, {"short": SHORT}) == ["short"]  # control: typed and posted
    assert_no_secret(run, {"short": SHORT})
    project.write_config()
