"""The variants' set-up: one pair of simulators and one browser for the whole session (each run
gets a fresh browser context), and one `SandboxBot` for those simulators.

The simulators are this suite's own (not the shared `simulators` fixture): every combination
changes their variation, which other suites must not inherit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bot_sim.harness import Simulators, start_simulators
from variants_helpers import Variants

from bot import SandboxBot


@pytest.fixture(scope="session")
def variant_sims() -> Iterator[Simulators]:
    with start_simulators(base_path="/AcumaticaERP") as running:
        yield running


@pytest.fixture(scope="session")
def variants(
    variant_sims: Simulators, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Variants:
    folder: Path = tmp_path_factory.mktemp("variants")
    return Variants(variant_sims, SandboxBot(variant_sims, folder), browser)
