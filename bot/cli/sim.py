"""`bot sim up`: run the bundled Assignar and Acumatica simulators on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

ACUMATICA_VERSIONS = ("23.200.0151", "24.105.0012", "25.101.0153")


@click.group()
def sim() -> None:
    """The bundled simulators of Assignar and Acumatica (loopback only).

    \b
    Example:
      bot sim up --version 23.200.0151
    """


@sim.command()
@click.option(
    "--version",
    "version",
    type=click.Choice(ACUMATICA_VERSIONS),
    default=None,
    help="Acumatica build (default 24.105.0012, 2024 R1)",
)
@click.option(
    "--layout", type=click.Choice(["menu", "pencil"]), default=None, help="Assignar page layout"
)
@click.option("--base-path", default=None, metavar="PATH", help="Acumatica virtual directory")
@click.option(
    "--write-config",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="write DIR/config.yaml (client 'sandbox') and DIR/.env for these simulators",
)
@click.option("--test-mode/--no-test-mode", default=True, help="serve the /__sim__/ control API")
def up(
    version: str | None,
    layout: str | None,
    base_path: str | None,
    write_config: Path | None,
    test_mode: bool,
) -> None:
    """Start both simulators, print their URLs and demo logins; Ctrl-C stops them.

    \b
    Examples:
      bot sim up
      bot sim up --version 23.200.0151 --layout pencil --base-path /AcumaticaERP
      bot sim up --write-config /tmp/sandbox   # then: bot --config /tmp/sandbox/config.yaml …
    """
    from bot_sim.harness import run_forever, start_simulators

    sims = start_simulators(
        version=version, layout=layout, base_path=base_path, test_mode=test_mode
    )
    if write_config is not None:
        _write_config(write_config, sims)
        click.echo(f"wrote {write_config / 'config.yaml'} and {write_config / '.env'}")
    run_forever(sims)


def sandbox_config(sims: Any) -> tuple[str, str]:
    """A config.yaml (client `sandbox`) and a .env pointing at running simulators."""
    import yaml

    client = {
        "description": "simulators started with `bot sim up`",
        "settings": {
            "assignar_url": sims.assignar_url,
            "assignar_user": sims.credentials["assignar"]["email"],
            "acumatica_url": sims.acumatica_url,
            "tenant": "Acme Live",
            "integration_user": "assignar.integration",
            "acumatica_admin_user": "admin",
            "acumatica_client_id": sims.client_id,
            "assignar_client_name": "Assignar",
            "time_zone": "Australia/Sydney",
            "notification_emails": ["ops@acme.example"],
        },
        "secrets": {
            "assignar_password": {
                "ref": "env:SANDBOX_ASSIGNAR_PASSWORD",
                "origins": ["assignar_url"],
            },
            "integration_password": {
                "ref": "env:SANDBOX_INTEGRATION_PASSWORD",
                "origins": ["acumatica_url"],
            },
            "acumatica_admin_password": {
                "ref": "env:SANDBOX_ACUMATICA_ADMIN_PASSWORD",
                "origins": ["acumatica_url"],
            },
        },
    }
    runbooks = str(Path(__file__).resolve().parents[2] / "runbooks")
    config = yaml.safe_dump(
        {"runbooks": [runbooks], "clients": {"sandbox": client}},
        sort_keys=False,
        allow_unicode=True,
    )
    acumatica = sims.credentials["acumatica"]
    env = (
        f"SANDBOX_ASSIGNAR_PASSWORD={sims.credentials['assignar']['password']}\n"
        f"SANDBOX_INTEGRATION_PASSWORD={acumatica['assignar.integration']}\n"
        f"SANDBOX_ACUMATICA_ADMIN_PASSWORD={acumatica['admin']}\n"
    )
    return config, env


def _write_config(folder: Path, sims: Any) -> None:
    config, env = sandbox_config(sims)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml").write_text(config, encoding="utf-8")
    env_path = folder / ".env"
    env_path.touch(mode=0o600)
    env_path.chmod(0o600)
    env_path.write_text(env, encoding="utf-8")
