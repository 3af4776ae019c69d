"""CLI fixtures: a project folder (config, runbooks), a page server, and `bot` as a user runs it.

`bot` runs the installed entry point in a subprocess: that is `bot.cli.main()` with its real exit
codes (BotError → 1/2, Ctrl-C → 130), and `bot run` gets its own Playwright, independent of the
browser pytest-playwright holds for the integration tests in the same session.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from cli_helpers import Bot, Project, run_bot
from support.pages import serve_folder

PAGES = Path(__file__).parents[1] / "integration" / "pages"


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    with serve_folder(PAGES) as url:
        yield url


CONFIG = """\
timeout: 3s
clients:
  acme:
    settings:
      site_url: {site_url}
      tenant: Acme Live
    secrets:
      pw: {{ref: "env:ACME_TEST_PW", origins: [site_url]}}
"""

SIGN_IN = """\
    name: sign-in
    description: Sign in to the site as the integration user.
    params:
      user: {required: true, description: who signs in}
      remember: {type: boolean, default: false}
    steps:
      - goto: "{{ client.site_url }}/login.html"
      - fill: {Username: "{{ params.user }}"}
      - fill: {label: Password, value: "{{ secret('pw') }}"}
      - click: Sign In
      - expect: "Signed in as {{ params.user }}"
      - check: Remember
        when: params.remember
    requires: [site_url]
    """


@pytest.fixture
def project(tmp_path: Path, site_url: str) -> Project:
    (tmp_path / "runbooks").mkdir()
    (tmp_path / "config.yaml").write_text(CONFIG.format(site_url=site_url), encoding="utf-8")
    project = Project(tmp_path)
    project.runbook("sign-in", SIGN_IN)
    return project


@pytest.fixture
def bot(project: Project) -> Bot:
    """`bot ARGS…` in the project folder, with the client's secret in the environment."""
    return partial(run_bot, project.root)
