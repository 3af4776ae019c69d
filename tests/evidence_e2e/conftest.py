"""End-to-end evidence fixtures: one set of simulators for the session, started with planted
passwords, and one bot home (a `SandboxBot`: config, .env, run folders, history database).

Each run is a session fixture: the simulators are reset before it, and what they issued during
it (codes, tokens, session cookies) is collected right after, before the next reset. The runs
share the history database, as an operator's runs do.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest
from bot_sim.harness import Simulators, start_simulators
from evidence_e2e_helpers import (
    INTEGRATION_ENV,
    PLANTED,
    WRONG_INTEGRATION_PASSWORD,
    IssuedLog,
    Run,
    World,
    acumatica_signed_in,
)

TOKEN_PATH = r"/identity/connect/token$"
FINISH_PATH = r"/integrations/acumatica/wizard/finish$"


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with start_simulators(base_path="/AcumaticaERP", passwords=PLANTED) as sims:
        log = IssuedLog()
        log.attach(sims)
        made = World(
            sims, log, tmp_path_factory.mktemp("bot-home"), tmp_path_factory.mktemp("controls")
        )
        made.write()
        yield made


@pytest.fixture(scope="session")
def passed_run(world: World) -> Run:
    return world.run_in_process("passed")


@pytest.fixture(scope="session")
def signin_failed_run(world: World) -> Run:
    """The integration user's password is wrong: Acumatica refuses the sign-in."""
    return world.run_in_process("signin-failed", env={INTEGRATION_ENV: WRONG_INTEGRATION_PASSWORD})


def _token_endpoint_fails(sims: Simulators) -> None:
    sims.acumatica.add_failure(TOKEN_PATH, 500, "POST", times=None)


def _finish_fails(sims: Simulators) -> None:
    sims.assignar.add_failure(FINISH_PATH, 500, "POST", times=None)


@pytest.fixture(scope="session")
def token_failed_run(world: World) -> Run:
    """After consent, Assignar's code exchange gets a 500 from Acumatica's token endpoint: the
    code was issued, and stays unexchanged (valid) in Acumatica."""
    return world.run_in_process("token-failed", arrange=_token_endpoint_fails)


@pytest.fixture(scope="session")
def finish_failed_run(world: World) -> Run:
    """After consent and a successful exchange (tokens issued), Assignar's Finish answers 500."""
    return world.run_in_process("finish-failed", arrange=_finish_fails)


@pytest.fixture(scope="session")
def sigint_run(world: World) -> Run:
    """SIGINT to the bot once the integration user is signed into Acumatica."""
    return world.run_subprocess("sigint", stop=signal.SIGINT, when=acumatica_signed_in)


@pytest.fixture(scope="session")
def ctrl_c_run(world: World) -> Run:
    """SIGINT to the bot's whole process group (a terminal's Ctrl-C: the browser gets it too)."""
    return world.run_subprocess(
        "ctrl-c", stop=signal.SIGINT, whole_group=True, when=acumatica_signed_in
    )


@pytest.fixture(scope="session")
def killed_run(world: World) -> Run:
    """`kill -9` of the bot once the integration user is signed into Acumatica."""
    return world.run_subprocess("killed", stop=signal.SIGKILL, when=acumatica_signed_in)


RUNS = [
    "passed_run",
    "signin_failed_run",
    "token_failed_run",
    "finish_failed_run",
    "sigint_run",
    "ctrl_c_run",
    "killed_run",
]


@pytest.fixture
def every_run(request: pytest.FixtureRequest) -> list[Run]:
    return [request.getfixturevalue(name) for name in RUNS]
