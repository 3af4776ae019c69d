"""One served Acumatica simulator per test module (under the module's `BASE_PATH`, "" when it has
none), back at its seed before each test that asks for `acu`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from bot_sim.acumatica.testing import RunningAcumatica, start_acumatica


@pytest.fixture(scope="module")
def acumatica(request: pytest.FixtureRequest) -> Iterator[RunningAcumatica]:
    running = start_acumatica(getattr(request.module, "BASE_PATH", ""))
    yield running
    running.stop()


@pytest.fixture
def acu(acumatica: RunningAcumatica) -> RunningAcumatica:
    acumatica.sim.reset()
    return acumatica
