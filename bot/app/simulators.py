"""The bundled simulators as clients: `simulators: builtin` clients (the demo: started for each
run), and `sandbox_config`, the config of the clients of running simulators (`bot sim up`,
tests): the client `sandbox` of one world, or `client01`… of many (`bot sim up --clients N`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bot.app.config import ClientConfig, Config, SecretSpec
from bot.errors import InputError

if TYPE_CHECKING:
    from bot_sim.harness import Sandbox, Simulators
    from bot_sim.worlds import Worlds

SANDBOX_CLIENT = "sandbox"
SIM_EXTRA = "runbook-bot[sim]"


def require_simulators(what: str) -> None:
    """Raise InputError (exit 2) naming the extra to install when the bundled simulators cannot
    be imported (runbook-bot installed without `[sim]`)."""
    try:
        import_module("bot_sim.harness")
    except ModuleNotFoundError as exc:
        raise InputError(
            f"{what} needs the bundled simulators, which come with the extra `sim` "
            f"(missing module: {exc.name}): pip install '{SIM_EXTRA}' "
            f"(with pipx: pipx install --force '{SIM_EXTRA}')"
        ) from None


def starts_simulators(config: Config, client: str | None) -> bool:
    """True when running for `client` starts the bundled simulators (`simulators: builtin`)."""
    return client is not None and config.client(client).simulators == "builtin"


@contextmanager
def client_world(config: Config, client: str | None) -> Iterator[tuple[Config, dict[str, str]]]:
    """The config (a `simulators: builtin` client pointed at simulators started for the run) and
    the secret values those simulators hand out, by the environment variable that names them."""
    if not starts_simulators(config, client):
        yield config, {}
        return
    spec = config.client(str(client))
    require_simulators(f"client '{client}' (`simulators: builtin`)")
    with builtin_simulators(spec, f"{config.path}: clients.{client}.simulator") as (
        rewired,
        environ,
    ):
        clients = {**config.clients, str(client): rewired}
        yield config.model_copy(update={"clients": clients}), environ


@contextmanager
def builtin_simulators(
    client: ClientConfig, where: str = "simulator"
) -> Iterator[tuple[ClientConfig, dict[str, str]]]:
    """Run the simulators while the block runs; yield the client rewired to them, and the values
    of its secrets (by their `env:` names) as the simulators generated them. A `simulator:`
    value they refuse is an InputError at `where` (the config's key; `config.py` checks the
    options themselves when it is read)."""
    require_simulators("`simulators: builtin`")
    from bot_sim.harness import start_simulators

    options: dict[str, Any] = dict(client.simulator)
    try:
        sims = start_simulators(test_mode=False, **options)
    except ValueError as exc:
        raise InputError(f"{where}: {exc}") from None
    with sims:
        sandbox = sims.sandbox()
        urls = ("assignar_url", "acumatica_url", "acumatica_client_id", "assignar_user")
        settings = {**client.settings, **{name: sandbox.settings[name] for name in urls}}
        environ = {
            spec.ref.removeprefix("env:"): sandbox.secrets[name].value
            for name, spec in client.secrets.items()
            if name in sandbox.secrets and spec.ref.startswith("env:")
        }
        yield client.model_copy(update={"settings": settings}), environ


def sandbox_client(sandbox: Sandbox, settings: Mapping[str, Any] | None = None) -> ClientConfig:
    """The client of running simulators, its secrets referring to `sandbox.env`'s variables."""
    secrets = {
        name: SecretSpec(ref=f"env:{secret.env}", origins=list(secret.origins))
        for name, secret in sandbox.secrets.items()
    }
    return ClientConfig.model_validate(
        {
            "description": "simulators started with `bot sim up`",
            "settings": {**sandbox.settings, **(settings or {})},
            "secrets": secrets,
        }
    )


def sandboxes(sims: Simulators | Worlds) -> dict[str, Sandbox]:
    """The clients of running simulators by name: `sandbox` for one world, each world's own
    name (`client01`…) for many."""
    if hasattr(sims, "by_client"):
        worlds = cast("Worlds", sims)
        return {name: worlds.sandbox(name) for name in worlds.by_client}
    return {SANDBOX_CLIENT: sims.sandbox()}


def sandbox_config(
    sims: Simulators | Worlds,
    runbooks: list[Path],
    *,
    folder: Path | None = None,
    settings: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    browser: Mapping[str, Any] | None = None,
) -> Config:
    """A config with the clients of `sims` (see `sandboxes`); runs and history under `folder`;
    `browser` is the config's `browser:` section (e.g. fleet endpoints)."""
    clients = {name: sandbox_client(box, settings) for name, box in sandboxes(sims).items()}
    data: dict[str, Any] = {"runbooks": [str(path) for path in runbooks], "clients": clients}
    if folder is not None:
        data["runs"] = {"root": str(folder / "runs"), "history": str(folder / "history.sqlite")}
    if timeout is not None:
        data["timeout"] = timeout
    if browser is not None:
        data["browser"] = dict(browser)
    return Config.model_validate(data)
