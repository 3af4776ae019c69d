"""Secret references: `env:VAR` (the environment, or the `.env` beside the config) and
`keyring:service/user` (the OS keyring). A secret is never written inline."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.errors import InputError

REF_PATTERN = re.compile(r"^(env|keyring):(.+)$")
EXPORTED = "the environment"  # where an exported variable was set
REF_HELP = (
    "a secret is a reference: `env:VAR_NAME` (environment or .env) or "
    "`keyring:service/username` (OS keyring)"
)


class Environment(dict[str, str]):
    """Variables by name, each with where it was set (`origins`: `.env:3`, the environment),
    for a message about one set but empty."""

    def __init__(self, values: Mapping[str, str], origins: Mapping[str, str]) -> None:
        super().__init__(values)
        self.origins = dict(origins)


def resolve_reference(ref: str, environ: Mapping[str, str]) -> str:
    """The value behind `env:NAME` or `keyring:service/user`; InputError naming what is missing."""
    match = REF_PATTERN.match(ref.strip())
    if not match:
        raise InputError(f"'{ref}' is not a secret reference: {REF_HELP}")
    kind, target = match.groups()
    if kind == "env":
        value = environ.get(target)
        if value is None:
            raise InputError(
                f"environment variable {target} is not set (add it to .env or export it)"
            )
        if not value:
            raise InputError(_empty(target, environ))
        return value
    return _from_keyring(target)


def _empty(name: str, environ: Mapping[str, str]) -> str:
    where = environ.origins.get(name) if isinstance(environ, Environment) else None
    if where is None:
        return f"environment variable {name} is set but empty: give it the secret's value"
    if where == EXPORTED:
        return (
            f"environment variable {name} is exported but empty (an exported variable wins over "
            f".env): export it with the secret's value, or unset it (`unset {name}`) to use .env"
        )
    return (
        f"environment variable {name} is set but empty in {where}: write the secret's value "
        f"after `{name}=` there"
    )


def _from_keyring(target: str) -> str:
    service, _, username = target.partition("/")
    if not username:
        raise InputError(f"keyring reference '{target}' needs the form service/username")
    try:
        import keyring
    except ImportError:
        raise InputError(
            "keyring references need the extra `keyring`: pip install 'runbook-bot[keyring]' "
            "(with pipx: pipx inject runbook-bot keyring)"
        ) from None
    value = keyring.get_password(service, username)
    if not value:
        raise InputError(f"no keyring entry for service '{service}', user '{username}'")
    return str(value)
