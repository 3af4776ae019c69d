"""Everything checked before a browser starts: the runbook, the client, params and secrets."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.app.catalog import Catalog
from bot.app.config import ClientConfig, Config
from bot.app.partial_checks import Tolerant, get_checked
from bot.app.secret_refs import resolve_reference
from bot.app.secret_values import (
    config_line,
    refuse_secret_values,
    short_secret_problem,
    used_runbooks,
)
from bot.errors import InputError
from bot.language.checks import CheckContext, check_runbook
from bot.language.diagnostics import (
    Diagnostic,
    ValidationFailed,
    concealed,
    did_you_mean,
    mask_text,
)
from bot.language.document import Runbook
from bot.language.params import bind_params
from bot.language.secrets import MASK, Secret, origin_of
from bot.language.urls import normalise_url


@dataclass
class Plan:
    """A runbook bound to a client and params, every secret resolved: ready for a browser."""

    runbook: Runbook
    client_name: str | None
    client: dict[str, Any]
    params: dict[str, Any]
    secrets: dict[str, Secret] = field(default_factory=dict)
    secret_refs: dict[str, str] = field(default_factory=dict)
    simulated: bool = False  # the client runs on simulators started for this run
    screencast: bool = False  # the client asks for the trace's screencast (non-production only)

    def masked_params(self) -> dict[str, Any]:
        return {k: (MASK if "secret(" in str(v) else v) for k, v in self.params.items()}


def client_settings(name: str, client: ClientConfig) -> dict[str, Any]:
    """The `client` namespace of templates: the settings plus `name`; URLs normalised."""
    settings = {
        key: (normalise_url(str(value)) if key.endswith("_url") and value else value)
        for key, value in client.settings.items()
    }
    return {"name": name, **settings}


def validate(
    runbook: Runbook,
    catalog: Catalog,
    client: ClientConfig | None,
    settings: dict[str, Any] | None,
    params: dict[str, Any] | None = None,
) -> dict[str, tuple[str, int]]:
    """Static checks of `runbook` (and those it `use`s), with the client and the params when
    there are some; the client settings they need, each with where it is first needed."""
    lookup = Tolerant(catalog)  # a runbook it uses with problems of its own hides none of its
    ctx = CheckContext(
        settings=settings,
        lookup=lookup,
        secret_names=set(client.secrets) if client is not None else None,
        params=params,
    )
    problems = list(dict.fromkeys([*check_runbook(runbook, ctx), *lookup.problems]))
    if problems:
        raise ValidationFailed(problems, {**ctx.sources, **lookup.sources})
    return ctx.client_uses


def needs_a_client(runbook: Runbook, uses: dict[str, tuple[str, int]], clients: list[str]) -> str:
    """Why `runbook` cannot run without a client, at the first line that needs one."""
    path, line = next(iter(uses.values()))
    names = list(uses)
    listed = ", ".join(names[:4]) + (", …" if len(names) > 4 else "")
    choose = (
        f"clients: {', '.join(clients)}"
        if clients
        else "the config has no clients: add one under `clients:`"
    )
    return (
        f"{path}:{line}: {runbook.name} needs a client (it uses the setting"
        f"{'s' if len(names) > 1 else ''} {listed}): add --client NAME ({choose})"
    )


def resolve_secrets(
    client: ClientConfig, settings: dict[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, Secret]:
    """Every secret of the client, with the origins it may be typed into (`env:` references
    looked up in `environ`, by default the process environment)."""
    secrets, problems = _resolved(client, settings, environ)
    if problems:
        listed = "\n  ".join(message for _, message in problems)
        raise InputError(f"cannot resolve the client's secrets:\n  {listed}")
    return secrets


def _resolved(
    client: ClientConfig, settings: dict[str, Any], environ: Mapping[str, str] | None
) -> tuple[dict[str, Secret], list[tuple[str, str]]]:
    """The secrets that resolve, and (secret name, problem) for those that do not."""
    environ = os.environ if environ is None else environ
    secrets: dict[str, Secret] = {}
    problems = _origin_problems(client, settings)
    for name, spec in client.secrets.items():
        try:
            value = resolve_reference(spec.ref, environ)
        except InputError as exc:
            problems.append((name, f"secret {name}: {exc.message}"))
            continue
        short = short_secret_problem(name, value, spec.allow_short)
        if short is not None:
            problems.append((name, short))
        secrets[name] = Secret(name, value, _origins(spec.origins, settings))
    return secrets, problems


def _origins(names: list[str], settings: dict[str, Any]) -> tuple[str, ...]:
    """The origins of `names`: each a setting holding a URL, or a URL (the others skipped)."""
    return tuple(
        origin_of(str(settings[name])) if name in settings else origin_of(name)
        for name in names
        if name in settings or "://" in name
    )


def _origin_problems(client: ClientConfig, settings: dict[str, Any]) -> list[tuple[str, str]]:
    """(secret name, problem) for each origin that is neither a setting nor a URL."""
    return [
        (
            name,
            f"secret {name}: origin '{origin}' is neither a setting holding a "
            f"URL{did_you_mean(origin, settings)} nor a URL",
        )
        for name, spec in client.secrets.items()
        for origin in spec.origins
        if origin not in settings and "://" not in origin
    ]


def make_plan(
    config: Config,
    catalog: Catalog,
    runbook_name: str,
    client_name: str | None,
    given: dict[str, Any],
    *,
    resolve: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Plan:
    """`runbook_name` checked and bound for the client; its secrets resolved unless not
    `resolve` (`environ`: values that win over the environment, e.g. simulators' passwords).

    Whatever it refuses, it says without any secret's value: a runbook line, a param or a
    message that holds one shows a mask instead."""
    client = config.client(client_name) if client_name else None
    settings = client_settings(client_name, client) if client and client_name else None
    known = _maskable(config, client, settings, environ)
    try:
        runbook = get_checked(catalog, runbook_name, client, settings)
        try:
            params = bind_params(runbook, given)
        except InputError:  # the runbook's own problems first, then the params'
            validate(runbook, catalog, client, settings)
            raise
        refuse_secret_values(known, params, {}, [])  # before a message could quote one
        uses = validate(runbook, catalog, client, settings, params)
        if client is None and uses:  # before a browser could fail on `{{ client.x }}`
            raise InputError(needs_a_client(runbook, uses, list(config.clients)))
        secrets: dict[str, Secret] = {}
        if client is not None and client_name and resolve:
            secrets = _secrets_of(config, client_name, client, settings or {}, environ)
            used = used_runbooks(runbook, catalog.find_named)
            refuse_secret_values(secrets, params, client.settings, used)
        elif client is not None and client_name:  # the values come later (the simulators')
            _refuse(config, client_name, _origin_problems(client, settings or {}))
    except InputError as exc:
        raise concealed(exc, (secret.reveal() for secret in known.values())) from None
    refs = {name: spec.ref for name, spec in client.secrets.items()} if client else {}
    simulated = client is not None and client.simulators == "builtin"
    screencast = client is not None and client.screencast
    return Plan(runbook, client_name, settings or {}, params, secrets, refs, simulated, screencast)


def check_client_secrets(config: Config, client_name: str) -> None:
    """What `bot run` checks of a client's secrets, alone: for a runbook checked without its
    params (a part others `use`), which `bot run` would refuse all the same when one is missing.
    The built-in simulators hand out their passwords only when they start: only origins then."""
    client = config.client(client_name)
    settings = client_settings(client_name, client)
    if client.simulators == "builtin":
        _refuse(config, client_name, _origin_problems(client, settings))
    else:
        _secrets_of(config, client_name, client, settings, None)


def _maskable(
    config: Config,
    client: ClientConfig | None,
    settings: dict[str, Any] | None,
    environ: Mapping[str, str] | None,
) -> dict[str, Secret]:
    """The secrets that resolve now and are long enough to be told apart from text: masked in
    any message, and refused as a param (also by `bot plan`, which resolves nothing else)."""
    if client is None or settings is None:
        return {}
    found, problems = _resolved(client, settings, config.environment(environ))
    refused = {name for name, _ in problems}
    return {name: secret for name, secret in found.items() if name not in refused}


def _secrets_of(
    config: Config,
    name: str,
    client: ClientConfig,
    settings: dict[str, Any],
    environ: Mapping[str, str] | None,
) -> dict[str, Secret]:
    """The client's secrets; ValidationFailed at each secret's line in the config otherwise."""
    secrets, problems = _resolved(client, settings, config.environment(environ))
    _refuse(config, name, problems)
    return secrets


def _refuse(config: Config, name: str, problems: list[tuple[str, str]]) -> None:
    """ValidationFailed at each secret's line in the config, when there are `problems`."""
    if not problems:
        return
    path = config.path or "config"
    raise ValidationFailed(
        [
            Diagnostic(
                path,
                config_line(path, "clients", name, "secrets", secret),
                f"clients.{name}.secrets.{secret}",
                f"client '{name}': {message}",
            )
            for secret, message in problems
        ]
    )


def masked_for_clients(config: Config, clients: Iterable[str], text: str) -> str:
    """`text` with every spelling of every secret of `clients` that resolves now masked: what
    any message about those clients shows (an unknown client has none)."""
    values: list[str] = []
    for name in clients:
        client = config.clients.get(name)
        if client is not None:
            known = _maskable(config, client, client_settings(name, client), None)
            values.extend(secret.reveal() for secret in known.values())
    return mask_text(text, values)
