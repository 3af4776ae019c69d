"""Clients with `simulators: builtin`: start the bundled simulators for the run and point the
client's settings and secrets at them (the demo needs no accounts)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.app.config import ClientConfig
from bot.errors import InputError

# which simulator login each conventional secret name stands for
SECRET_SOURCES = {
    "assignar_password": ("assignar", "password"),
    "integration_password": ("acumatica", "assignar.integration"),
    "acumatica_admin_password": ("acumatica", "admin"),
}


@contextmanager
def builtin_simulators(client: ClientConfig) -> Iterator[ClientConfig]:
    """Run the simulators while the block runs; yield the client rewired to them."""
    try:
        from bot_sim.harness import start_simulators
    except ImportError:
        raise InputError(
            "`simulators: builtin` needs the bundled simulators (package bot_sim) "
            "(install runbook-bot from its source tree)"
        ) from None
    options: dict[str, Any] = dict(client.simulator)
    sims = start_simulators(test_mode=False, **options)
    try:
        settings = {
            **client.settings,
            "assignar_url": sims.assignar_url,
            "acumatica_url": sims.acumatica_url,
            "acumatica_client_id": sims.client_id,
            "assignar_user": sims.credentials["assignar"]["email"],
        }
        for name, spec in client.secrets.items():
            if name in SECRET_SOURCES and spec.ref.startswith("env:"):
                system, login = SECRET_SOURCES[name]
                os.environ[spec.ref.removeprefix("env:")] = sims.credentials[system][login]
        yield client.model_copy(update={"settings": settings})
    finally:
        sims.stop()
