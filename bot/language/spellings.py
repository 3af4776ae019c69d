"""Every spelling a secret takes on its way through a browser, a server and into files.

One list, used twice: the engine refuses any value that holds a secret in one of these spellings
before it enters variables, facts, messages or URLs (`SecretMatcher`), and the evidence scrubber
masks every one of them in every artifact.

A secret is first taken in each form the text itself may take (Unicode NFC and NFD, newlines as a
browser rewrites them, runs of white space as one space as HTML text shows them, upper- and
lower-case, reversed), then each form in each encoding a
browser, a server or a report writes: WHATWG form encoding, RFC 3986 percent-encoding,
`encodeURIComponent`/`encodeURI`, each of them twice, each as the browser writes it into an
address's query (`'` escaped), the text as a browser writes it into a query or a fragment, JSON
and HTML (as browsers, Python and .NET write them, and with every character but letters and
digits escaped), Python's `repr`, hex in both cases, and base64/base64url whole and at every byte
alignment inside a longer value. A secret longer than `PART` characters also counts every run of
`PART` consecutive characters of it that mixes letters, digits or other characters: what a page
shows or sends after cutting it short (a `maxlength`, a slice), or a runbook's near-copy.
"""

from __future__ import annotations

import base64
import html
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote, quote_plus

from bot.language.literals import text_pattern

MIN_SPELLING = 4  # shorter fragments (of a short secret's base64) would mask ordinary text
# A piece this long of a secret is the secret: long enough not to occur in ordinary text unless the
# secret is made of words, short enough that a page truncating it still gets caught.
PART = 10
_PERCENT = re.compile(r"%[0-9A-F]{2}")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def spellings(secret: str, *, pieces: bool = True) -> dict[str, str]:
    """`{kind: spelling}` for one secret (kinds such as `nfd/form` or `as-is/base64+1`);
    `pieces`: with its `parts` (a password's, not a token's, whose start may be a plain name)."""
    found: dict[str, str] = {}
    folded = {"upper": secret.upper(), "lower": secret.lower(), "reversed": secret[::-1]}
    for form_name, form in {**forms(secret), **folded}.items():
        for kind, spelling in encodings(form).items():
            found.setdefault(f"{form_name}/{kind}", spelling)
    plain = secret
    for kind, spelling in {
        "upper": plain.upper(),
        "lower": plain.lower(),
        "reversed": plain[::-1],
        **(parts(plain) if pieces else {}),
    }.items():
        found.setdefault(kind, spelling)
    unique: dict[str, str] = {}
    for kind, spelling in found.items():
        # the text itself counts however short (a short secret the config accepted); what is
        # derived from it (hex, base64 fragments…) only from MIN_SPELLING characters on
        whole = kind.endswith("/plain") or kind in ("upper", "lower", "reversed")
        if (
            spelling
            and (whole or len(spelling) >= MIN_SPELLING)
            and spelling not in unique.values()
        ):
            unique[kind] = spelling
    return unique


def parts(secret: str) -> dict[str, str]:
    """`{"part+i": piece}`: every run of PART consecutive characters of a longer secret that
    mixes kinds of characters (letters, digits, others). A piece of plain words or of plain
    digits could be ordinary text ("integratio" of "Pw-0f-the-integration-user")."""
    if len(secret) <= PART:
        return {}
    pieces = {f"part+{i}": secret[i : i + PART] for i in range(len(secret) - PART + 1)}
    return {kind: piece for kind, piece in pieces.items() if _mixed(piece)}


def _mixed(piece: str) -> bool:
    kinds = {"letter" if c.isalpha() else "digit" if c.isdigit() else "other" for c in piece}
    return len(kinds) >= 2


def forms(secret: str) -> dict[str, str]:
    """The text itself as a browser may hold it: as given, NFC, NFD, newlines rewritten, white
    space collapsed."""
    return {
        "as-is": secret,
        "nfc": unicodedata.normalize("NFC", secret),
        "nfd": unicodedata.normalize("NFD", secret),
        "newline-space": _NEWLINES.sub(" ", secret),  # <input> and some servers
        "newline-dropped": _NEWLINES.sub("", secret),  # <input>'s value sanitization
        "crlf": _NEWLINES.sub("\r\n", secret),  # <textarea> in a form submission
        "spaces-collapsed": " ".join(secret.split()),  # HTML text as shown and read (innerText)
    }


def _whatwg_form(text: str) -> str:
    """application/x-www-form-urlencoded as browsers write it: `*` kept, `~` and `'` escaped."""
    return quote_plus(text, safe="*").replace("~", "%7E")


def _lower_hex(encoded: str) -> str:
    return _PERCENT.sub(lambda match: match.group(0).lower(), encoded)


def _python_repr(text: str, quote_mark: str) -> str:
    """The inside of a Python string literal of `text` delimited by `quote_mark`."""
    inner = repr(text)[1:-1]
    if repr(text)[0] == quote_mark:
        return inner
    # repr chose the other delimiter: undo its escaping of it, escape ours instead
    other = '"' if quote_mark == "'" else "'"
    return inner.replace("\\" + other, other).replace(quote_mark, "\\" + quote_mark)


_URL_ENCODERS: dict[str, Callable[[str], str]] = {
    "form": _whatwg_form,  # what a browser posts from a <form>
    "url": lambda t: quote(t, safe=""),  # RFC 3986: only unreserved characters kept
    "url-path": quote,  # `/` kept, as in a path
    "url-plus": quote_plus,  # Python's form encoding: `~` kept
    "uri-component": lambda t: quote(t, safe="!~*'()"),  # JavaScript's encodeURIComponent
    "uri": lambda t: quote(t, safe="!~*'();,/?:@&=+$#"),  # JavaScript's encodeURI
}


_NET_JSON = {'"': "\\u0022", "&": "\\u0026", "'": "\\u0027", "+": "\\u002B", "<": "\\u003C"}
_NET_JSON |= {">": "\\u003E", "`": "\\u0060", "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _utf16_escapes(char: str, upper: bool) -> str:
    """`\\uXXXX` for `char` (two of them, a surrogate pair, above the BMP)."""
    raw = char.encode("utf-16-be")
    found = "".join(f"\\u{raw[i : i + 2].hex()}" for i in range(0, len(raw), 2))
    return found.upper().replace("\\U", "\\u") if upper else found


def _json_net(text: str) -> str:
    """JSON as .NET's System.Text.Json writes it by default (what an Acumatica server echoes):
    HTML-sensitive characters, `'`, `+` and everything outside ASCII as upper-case `\\uXXXX`."""
    return "".join(
        _NET_JSON.get(c) or (c if " " <= c <= "~" else _utf16_escapes(c, True)) for c in text
    )


def _escape_all(text: str, escape: Callable[[str], str]) -> str:
    """Every character but ASCII letters and digits escaped (JSON `\\u`, HTML `&#…;`)."""
    return "".join(c if c.isascii() and c.isalnum() else escape(c) for c in text)


def _html_net(text: str) -> str:
    """HTML as .NET's WebUtility.HtmlEncode writes it: `&#39;`, and U+00A0-U+00FF as `&#NNN;`."""
    escaped = html.escape(text).replace("&#x27;", "&#39;")
    return "".join(f"&#{ord(c)};" if 0xA0 <= ord(c) <= 0xFF else c for c in escaped)


# The URL standard's percent-encode sets: what a browser escapes itself when it writes an address a
# page put text into (in the query of an http(s) address, also the `'` encodeURIComponent keeps).
_QUERY_ESCAPES = frozenset(" \"#<>'")
_FRAGMENT_ESCAPES = frozenset(' "<>`')


def _browser_address(text: str, escapes: frozenset[str]) -> str:
    """`text` as a browser writes it into an address: `escapes`, controls and non-ASCII escaped."""
    return "".join(quote(c, safe="") if c in escapes or not " " < c < "\x7f" else c for c in text)


def encodings(text: str) -> dict[str, str]:
    """`{kind: encoded}` for one form of a secret (see the module's docstring)."""
    found: dict[str, str] = {"plain": text}
    for name, encode in _URL_ENCODERS.items():
        once = encode(text)
        found[name] = once
        found[f"{name}-lower"] = _lower_hex(once)
        found[f"{name}-twice"] = encode(once)
        found[f"{name}-query"] = _browser_address(once, _QUERY_ESCAPES)
        found[f"{name}-twice-query"] = _browser_address(encode(once), _QUERY_ESCAPES)
    found["query"] = _browser_address(text, _QUERY_ESCAPES)
    found["fragment"] = _browser_address(text, _FRAGMENT_ESCAPES)
    json_ascii = json.dumps(text)[1:-1]
    found.update(
        {
            "json": json_ascii,
            "json-utf8": json.dumps(text, ensure_ascii=False)[1:-1],
            "json-slash": json_ascii.replace("/", "\\/"),
            "html": html.escape(text),
            "html-text": html.escape(text, quote=False),
            "html-apos": html.escape(text).replace("&#x27;", "&#39;"),
            "html-attribute": text.replace("&", "&amp;").replace('"', "&quot;"),
            "json-net": _json_net(text),
            "json-escaped": _escape_all(text, lambda c: _utf16_escapes(c, False)),
            "json-escaped-upper": _escape_all(text, lambda c: _utf16_escapes(c, True)),
            "html-net": _html_net(text),
            "html-decimal": _escape_all(text, lambda c: f"&#{ord(c)};"),
            "html-hex": _escape_all(text, lambda c: f"&#x{ord(c):x};"),
            "repr": _python_repr(text, "'"),
            "repr-double": _python_repr(text, '"'),
            "hex": text.encode("utf-8").hex(),
            "HEX": text.encode("utf-8").hex().upper(),
            **_base64_spellings(text.encode("utf-8")),
        }
    )
    return found


def _base64_spellings(raw: bytes) -> dict[str, str]:
    """The whole base64 of `raw`, and the characters of `raw` inside any longer base64 string.

    A secret starting at byte offset k (mod 3) of a longer value, as in `client_id:client_secret`,
    shows up as the base64 characters whose six bits all come from the secret.
    """
    whole = base64.b64encode(raw).decode("ascii")
    found = {"base64": whole, "base64url": whole.replace("+", "-").replace("/", "_")}
    for offset in range(3):
        padded = base64.b64encode(b"\0" * offset + raw + b"\0\0").decode("ascii")
        first = -(-8 * offset // 6)  # ceil: the first character free of the prefix's bits
        last = 8 * (offset + len(raw)) // 6  # exclusive: characters free of the suffix's bits
        fragment = padded[first:last]
        found[f"base64+{offset}"] = fragment
        found[f"base64url+{offset}"] = fragment.replace("+", "-").replace("/", "_")
    return found


def all_spellings(secrets: Iterable[str]) -> set[str]:
    """Every spelling of every secret in `secrets`."""
    return {spelling for secret in secrets for spelling in spellings(secret).values()}


# Characters that show nothing (format characters: zero-width spaces and joiners, the soft hyphen,
# direction marks and isolates, the word joiner, the byte order mark).
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)


def as_read(text: str) -> str:
    """`text` as a person reads it: characters that show nothing left out, no-break spaces as
    spaces."""
    return _INVISIBLE.sub("", text).replace("\u00a0", " ").replace("\u202f", " ")


class SecretMatcher:
    """Finds any spelling of any of a set of named secrets in a text, whatever its letter case.

    `find` answers with the secret's name, never its value, so it can go into a message.
    """

    def __init__(self, secrets: Mapping[str, str]) -> None:
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for name, value in secrets.items():
            found = set(spellings(value).values())
            if found:
                self._patterns.append((name, text_pattern(found)))

    def search(self, text: str) -> tuple[str, str] | None:
        """(the secret's name, the spelling as `text` has it), or None."""
        for name, pattern in self._patterns if text else ():
            match = pattern.search(text)
            if match is not None:
                return name, match.group(0)
        return None

    def replaced(self, text: str, by: Callable[[int], str]) -> str:
        """`text` with every spelling of every secret replaced by `by(its length)`."""
        for _, pattern in self._patterns:
            text = pattern.sub(lambda match: by(len(match.group(0))), text)
        return text

    def find(self, text: str) -> str | None:
        """The name of a secret some spelling of which `text` holds, else None: also when the
        text reads so once characters that show nothing are left out (a page writing zero-width
        spaces, soft hyphens or direction marks between its letters) and no-break spaces read as
        spaces."""
        found = self.search(text)
        if found is None and text:
            visible = as_read(text)
            if visible != text:
                found = self.search(visible)
        return found[0] if found else None
