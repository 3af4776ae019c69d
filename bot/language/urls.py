"""URLs as people type them: with or without scheme, trailing slash or base path."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_HOST = re.compile(r"^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$")


def normalise_url(text: str) -> str:
    """`acme.acumatica.com/` → `https://acme.acumatica.com`; keeps a base path; loopback → http.

    Raises ValueError naming what is wrong.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("an empty URL")
    if "://" not in raw:
        host = raw.split("/", 1)[0].split(":", 1)[0]
        scheme = "http" if host in ("127.0.0.1", "localhost") else "https"
        raw = f"{scheme}://{raw}"
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"'{text}': only http and https URLs are allowed")
    if (
        not parts.hostname
        or not _HOST.match(parts.hostname)
        or ("." not in parts.hostname and parts.hostname != "localhost")
    ):
        raise ValueError(f"'{text}' has no valid host name (e.g. acme.acumatica.com)")
    if parts.query or parts.fragment:
        raise ValueError(f"'{text}': remove the ?query or #fragment; give the site's address only")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"'{text}' has an invalid port") from None
    netloc = parts.hostname.lower() + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
