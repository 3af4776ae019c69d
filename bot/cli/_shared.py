"""Pieces every command uses: loading the config and the runbook catalog, completion helpers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from bot import Catalog, Config

CONFIG_OPTION_HELP = (
    "config file (default: ./config.yaml, else a checkout's ./config.example.yaml; env "
    "BOT_CONFIG); `bot init` creates one"
)


def load(ctx: click.Context) -> tuple[Config, Catalog]:
    from bot import BUILTIN, Catalog, find_config, load_config

    config = load_config(find_config(ctx.obj.get("config_path") if ctx.obj else None))
    return config, Catalog.for_config(config, BUILTIN)


def parse_params(values: tuple[str, ...]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                f"'{item}' is not KEY=VALUE (e.g. --param tenant='Acme Live')", param_hint="--param"
            )
        params[key.strip()] = value
    return params


def complete_runbooks(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    try:
        _, catalog = load(ctx.find_root())
    except Exception:
        return []
    return [name for name in catalog.names() if name.startswith(incomplete)]


def complete_clients(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    try:
        config, _ = load(ctx.find_root())
    except Exception:
        return []
    return [name for name in config.clients if name.startswith(incomplete)]
