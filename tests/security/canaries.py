"""Canary secrets, and every spelling of them the tests search for.

The canaries hold `~*'"\\`, a space, a non-ASCII letter in NFC and in NFD, and one is exactly 8
characters long. The spellings are worked out here, independently of the bot: what browsers,
JavaScript, servers and report writers make of a value (WHATWG form encoding, RFC 3986,
`encodeURIComponent`, each twice, JSON, HTML, Python's repr, hex, base64 at every alignment);
the bot's own list is added on top, so a scan misses nothing the bot claims to know either.
"""

from __future__ import annotations

import base64
import html
import json
import secrets
import unicodedata
from collections.abc import Callable
from urllib.parse import quote, quote_plus

from bot.language.spellings import spellings as bot_spellings

TAG = secrets.token_hex(3)
NFC = unicodedata.normalize("NFC", f"Cn~*'\"\\ \u00fc-{TAG}")  # ü as one code point
NFD = unicodedata.normalize("NFD", f"Cd~*'\"\\ \u00fc-{TAG}")  # ü as u + combining diaeresis
EIGHT = f"8~*'\"\\ {TAG[0]}"  # exactly 8 characters
NEWLINE = f"Nl~*'\\\"\nline-{TAG}"  # a browser drops or rewrites the newline
CANARIES = {"pw": NFC, "pw_nfd": NFD, "pw8": EIGHT, "pw_nl": NEWLINE}
#: The shipped `reauthorize` must pass with these: `~`, `*`, `'`, a space and `ü`.
INTEGRATION_PASSWORD = f"Int~*' \u00fc-{TAG}"
PLANTED = {"assignar.integration": INTEGRATION_PASSWORD, "admin@acme.example": f"Asg-{NFD}"}
assert len(EIGHT) == 8
assert unicodedata.normalize("NFC", NFD) == NFC.replace("Cn", "Cd", 1)  # the same letters

_PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F))
_QUERY_KEEPS = "".join(c for c in _PRINTABLE if c not in "\"#<>'")  # a browser keeps in a query
_FRAGMENT_KEEPS = "".join(c for c in _PRINTABLE if c not in '"<>`')  # … in a fragment

_ENCODERS: list[Callable[[str], str]] = [
    lambda v: v,
    lambda v: quote_plus(v, safe="*").replace("~", "%7E"),  # WHATWG form encoding
    lambda v: quote(v, safe=""),  # RFC 3986
    lambda v: quote(v, safe="!~*'()"),  # encodeURIComponent
    lambda v: quote(quote(v, safe="!~*'()"), safe=_QUERY_KEEPS),  # … in a query (`'` escaped)
    lambda v: quote(v, safe=_QUERY_KEEPS),  # as is in a query
    lambda v: quote(v, safe=_FRAGMENT_KEEPS),  # as is in a fragment
    quote_plus,
    lambda v: json.dumps(v)[1:-1],
    lambda v: json.dumps(v, ensure_ascii=False)[1:-1],
    lambda v: html.escape(v),
    lambda v: html.escape(v, quote=False),
    lambda v: repr(v)[1:-1],
    lambda v: v.encode().hex(),
    lambda v: v.encode().hex().upper(),
]


def _base64_inside(raw: bytes) -> set[str]:
    """The base64 characters that come from `raw` alone, at each of the 3 byte alignments."""
    found = set()
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + raw + bytes(2)).decode()
        part = encoded[(8 * offset + 5) // 6 : 8 * (offset + len(raw)) // 6]
        found |= {part, part.replace("+", "-").replace("/", "_")}
    return found


def spellings_of(secret: str) -> set[str]:
    """Every spelling of `secret` a scan looks for (this module's and the bot's)."""
    found: set[str] = set(bot_spellings(secret).values())
    for form in {
        secret,
        unicodedata.normalize("NFC", secret),
        unicodedata.normalize("NFD", secret),
    }:
        once = {encode(form) for encode in _ENCODERS}
        twice = {quote(v, safe="") for v in once} | {quote(v, safe="!~*'()") for v in once}
        found |= once | twice | {v.lower() for v in once if "%" in v}
        whole = base64.b64encode(form.encode()).decode()
        found |= {whole, whole.replace("+", "-").replace("/", "_")} | _base64_inside(form.encode())
    return {spelling for spelling in found if len(spelling) >= min(4, len(secret))}


def spellings_table(values: dict[str, str]) -> dict[str, set[str]]:
    return {name: spellings_of(value) for name, value in values.items()}
