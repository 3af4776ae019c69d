"""Which names say "my value is a secret": form and query fields, JSON keys, headers, cookies."""

from __future__ import annotations

import re

# Field names whose values are secrets, in forms, query strings, JSON bodies and trace records.
SECRET_FIELDS = frozenset(
    {
        "password",
        "passwd",
        "code",
        "code_verifier",
        "client_secret",
        "refresh_token",
        "access_token",
        "id_token",
        "assertion",
        "client_assertion",
    }
)
# a name holding one of these words (`apiKey`, `X-Acme-Api-Key`, `session_id`, `jwt`) is secret
SECRET_WORDS = frozenset(
    {
        "token",
        "key",
        "apikey",
        "secret",
        "password",
        "passwd",
        "pass",
        "pwd",
        "passphrase",
        "jwt",
        "assertion",
        "session",
        "sessionid",
        "authorization",
    }
)
SECRET_ENDINGS = ("token", "secret", "apikey", "password", "passwd", "jwt", "sessionid")
NOT_SECRET_SUFFIXES = ("_type", "expires_in", "_uri", "_url", "_endpoint", "_hint")
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def words_of(name: str) -> list[str]:
    """`X-Acme-Api-Key` → x, acme, api, key; `accessToken` → access, token; lower-cased."""
    return [word.lower() for word in _WORDS.findall(name)]


def is_secret_field(name: str) -> bool:
    """True for a field, JSON key or header whose value is a secret by its name: `password`,
    `code`, anything saying token, key, secret, password, jwt, assertion, session or
    authorization (but `token_type`, `expires_in`, `redirect_uri` are not)."""
    lowered = name.lower()
    if lowered in SECRET_FIELDS:
        return True
    if lowered.endswith(NOT_SECRET_SUFFIXES) or lowered.replace("-", "_").endswith(
        NOT_SECRET_SUFFIXES
    ):
        return False
    words = words_of(name)
    return any(word in SECRET_WORDS or word.endswith(SECRET_ENDINGS) for word in words)
