"""Secrets come only from references (environment, `.env`, OS keyring); they never print."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.errors import InputError

MASK = "••••••"
REF_PATTERN = re.compile(r"^(env|keyring):(.+)$")
REF_HELP = (
    "a secret is a reference: `env:VAR_NAME` (environment or .env) or "
    "`keyring:service/username` (OS keyring)"
)


@dataclass(frozen=True)
class Secret:
    """A resolved secret. `str()` and `repr()` show a mask; only `reveal()` gives the value."""

    name: str
    _value: str = field(repr=False)
    origins: tuple[str, ...] = ()

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({self.name!r}, {MASK})"

    def allows(self, url: str) -> bool:
        """True when `url`'s origin is one this secret may be typed into."""
        return origin_of(url) in self.origins


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def resolve_reference(ref: str) -> str:
    """The value behind `env:NAME` or `keyring:service/user`; InputError naming what is missing."""
    match = REF_PATTERN.match(ref.strip())
    if not match:
        raise InputError(f"'{ref}' is not a secret reference: {REF_HELP}")
    kind, target = match.groups()
    if kind == "env":
        value = os.environ.get(target)
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
