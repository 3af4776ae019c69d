"""Security fixtures: the attack pages on two loopback origins, a project folder whose client
holds the canary secrets (from `.env`), and the simulators with a hostile integration password.
All are started once for the session; each run gets a fresh context of the session's browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from attack_server import Origin, serve_origin
from bot_sim.harness import Simulators, start_simulators
from canaries import PLANTED
from security_helpers import Project, write_env

from bot import SandboxBot


@pytest.fixture(scope="session")
def site() -> Iterator[Origin]:
    """The origin the client's secrets are declared for."""
    with serve_origin() as origin:
        yield origin


@pytest.fixture(scope="session")
def other() -> Iterator[Origin]:
    """Another origin: no secret may ever be typed or sent there."""
    with serve_origin() as origin:
        yield origin


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory, site: Origin, other: Origin) -> Project:
    root = tmp_path_factory.mktemp("security-project")
    (root / "runbooks").mkdir()
    made = Project(root, site, other)
    made.write_config()
    write_env(root)
    return made


@pytest.fixture(scope="session")
def hostile_sims() -> Iterator[Simulators]:
    """The simulators, the integration user's password full of characters encodings change."""
    with start_simulators(base_path="/AcumaticaERP", passwords=PLANTED) as sims:
        yield sims


@pytest.fixture(scope="session")
def sandbox(hostile_sims: Simulators, tmp_path_factory: pytest.TempPathFactory) -> SandboxBot:
    return SandboxBot(hostile_sims, tmp_path_factory.mktemp("security-sandbox"))


@pytest.fixture
def chdir_project(project: Project, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(project.root)
    return project.root
