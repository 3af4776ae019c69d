"""Every spelling a secret takes in an artifact: plain, URL, JSON, HTML, base64 (3 alignments)."""

from __future__ import annotations

import base64
import html
import json
import logging
import re
from urllib.parse import quote, quote_plus

log = logging.getLogger(__name__)

MIN_SECRET_LENGTH = 4
_PERCENT = re.compile(r"%[0-9A-F]{2}")

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
SECRET_PARTS = ("pass", "secret", "token")
NOT_SECRET_SUFFIXES = ("_type", "expires_in", "_uri", "_url", "_endpoint", "_hint")
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)


def is_secret_field(name: str) -> bool:
    """True for a form/query/JSON field whose value is a secret (`password`, `*token*`, `code`)."""
    lowered = name.lower()
    if lowered in SECRET_FIELDS:
        return True
    if lowered.endswith(NOT_SECRET_SUFFIXES):
        return False
    return any(part in lowered for part in SECRET_PARTS)


def named_encodings(secret: str) -> dict[str, str]:
    """`{kind: spelling}` for one secret; empty (with a warning) when it is too short to scrub."""
    if len(secret) < MIN_SECRET_LENGTH:
        log.warning(
            "a secret shorter than %d characters cannot be scrubbed safely; ignored",
            MIN_SECRET_LENGTH,
        )
        return {}
    found = {
        "plain": secret,
        "url": quote(secret, safe=""),
        "url-path": quote(secret),
        "url-plus": quote_plus(secret),
        "url-lower": _PERCENT.sub(lambda m: m.group(0).lower(), quote(secret, safe="")),
        "json": json.dumps(secret)[1:-1],
        "json-utf8": json.dumps(secret, ensure_ascii=False)[1:-1],
        "json-slash": json.dumps(secret)[1:-1].replace("/", "\\/"),
        "html": html.escape(secret),
        "html-text": html.escape(secret, quote=False),
        "html-apos": html.escape(secret).replace("&#x27;", "&#39;"),
        **_base64_spellings(secret.encode()),
    }
    return {kind: value for kind, value in found.items() if len(value) >= MIN_SECRET_LENGTH}


def encodings_of(secret: str) -> set[str]:
    """Every spelling of `secret` to look for (see `named_encodings`)."""
    return set(named_encodings(secret).values())


def _base64_spellings(raw: bytes) -> dict[str, str]:
    """The whole base64 of `raw`, and the characters of `raw` inside any longer base64 string.

    A secret starting at byte offset k (mod 3) of a longer value, as in `client_id:client_secret`,
    shows up as the base64 characters whose six bits all come from the secret.
    """
    spellings = {"base64": base64.b64encode(raw).decode("ascii")}
    for offset in range(3):
        padded = base64.b64encode(b"\0" * offset + raw + b"\0\0").decode("ascii")
        first = -(-8 * offset // 6)  # ceil: the first character free of the prefix's bits
        last = 8 * (offset + len(raw)) // 6  # exclusive: characters free of the suffix's bits
        fragment = padded[first:last]
        spellings[f"base64+{offset}"] = fragment
        spellings[f"base64url+{offset}"] = fragment.replace("+", "-").replace("/", "_")
    return spellings
