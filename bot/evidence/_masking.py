"""Which fields of a parsed JSON record are secret by their shape, whatever their value."""

from __future__ import annotations

from typing import Any

from bot.evidence._encodings import SECRET_FIELDS, SECRET_HEADERS, is_secret_field

PLAYWRIGHT_VALUE = "__playwright_value_"
SECRET_KEYS = SECRET_FIELDS - {"code"}  # `"code": "E42"` is as often an error code


def masked_keys(record: dict[str, Any], parent_key: str | None) -> set[str]:
    """Keys of `record` whose (non-empty string) value must be masked whole.

    - `{"name": "Authorization", "value": ...}`: a secret header (HAR-style, as in trace.network);
    - `{"name": "password", "value": ...}`: a secret form/query field, or an input's attributes;
    - any `{"value": ...}` inside a `cookies` list;
    - `{"type": "password", "__playwright_value_": ...}`: a password input in a DOM snapshot;
    - `{"password": ...}`, `{"client_secret": ...}`, `{"refresh_token": ...}`: secret keys.
    """
    hidden = {key for key in record if key.lower() in SECRET_KEYS}
    name = record.get("name")
    if isinstance(name, str) and (name.lower() in SECRET_HEADERS or is_secret_field(name)):
        hidden.add("value")
    if parent_key == "cookies":
        hidden.add("value")
    if str(record.get("type", "")).lower() == "password":
        hidden.update({PLAYWRIGHT_VALUE, "value"})
    return {key for key in hidden if isinstance(record.get(key), str) and record[key]}
