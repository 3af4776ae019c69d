"""Secret references: `env:VAR` (the environment, or the `.env` beside the config) and
`keyring:service/user` (the OS keyring). A secret is never written inline."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.errors import InputError

REF_PATTERN = re.compile(r"^(env|keyring):(.+)$")
REF_HELP = (
    "a secret is a reference: `env:VAR_NAME` (environment or .env) or "
    "`keyring:service/username` (OS keyring)"
)


def resolve_reference(ref: str, environ: Mapping[str, str]) -> str:
    """The value behind `env:NAME` or `keyring:service/user`; InputError naming what is missing."""
    match = REF_PATTERN.match(ref.strip())
    if not match:
        raise InputError(f"'{ref}' is not a secret reference: {REF_HELP}")
    kind, target = match.groups()
    if kind == "env":
        value = environ.get(target)
        if not value:
            raise InputError(
                f"environment variable {target} is not set (add it to .env or export it)"
            )
        return value
    return _from_keyring(target)


def _from_keyring(target: str) -> str:
    service, _, username = target.partition("/")
    if not username:
        raise InputError(f"keyring reference '{target}' needs the form service/username")
    try:
        import keyring
    except ImportError:
        raise InputError("keyring references need `pip install runbook-bot[keyring]`") from None
    value = keyring.get_password(service, username)
    if not value:
        raise InputError(f"no keyring entry for service '{service}', user '{username}'")
    return str(value)
