"""Which fields are secret by their shape or name, whatever their value: masked whole.

Besides names that say so (`password`, `Authorization`, `apiKey`…), two things make a field
secret: the bot typed a secret into a form field of that name (whatever the page then did to the
value), and a field whose whole value is a prefix of a secret the bot typed (a `maxlength` input
truncated it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from bot.evidence._fields import SECRET_FIELDS, SECRET_HEADERS, is_secret_field
from bot.language.spellings import forms

# String values under these keys are structure the trace viewer relies on: never rewritten.
PROTECTED_KEYS = frozenset(
    {
        "type",
        "callId",
        "pageId",
        "frameId",
        "class",
        "method",
        "phase",
        "sha1",
        "_sha1",
        "file",
        "_file",
        "pageref",
        "_frameref",
        "_resourceType",
        "doctype",
        "waitId",
        "snapshotName",
        "stepId",
        "parentId",
        "guid",
        "mimeType",
        "startedDateTime",
        "httpVersion",
        "browserName",
        "platform",
        "sdkLanguage",
        "playwrightVersion",
        "messageType",
        "origin",
        "version",
    }
)


# String values under these keys are request/response bodies (HAR `postData.text`, `content.text`)
BODY_KEYS = frozenset({"text", "postData"})

PLAYWRIGHT_VALUE = "__playwright_value_"
SECRET_KEYS = SECRET_FIELDS - {"code"}  # `"code": "E42"` is as often an error code
VALUE_KEYS = frozenset({"value", PLAYWRIGHT_VALUE})


@dataclass
class FieldMasks:
    """The field names the bot typed secrets into, and the secrets it typed (their forms)."""

    typed_fields: set[str] = field(default_factory=set)
    typed_forms: list[str] = field(default_factory=list)

    def add_field(self, name: str) -> None:
        if name:
            self.typed_fields.add(name.lower())

    def add_typed(self, secret: str) -> None:
        for form in forms(secret).values():
            if form and form not in self.typed_forms:
                self.typed_forms.append(form)

    def is_secret_name(self, name: str) -> bool:
        return name.lower() in self.typed_fields or is_secret_field(name)

    def is_typed_prefix(self, value: str) -> bool:
        """True when `value` (or its form decoding) is the start of a secret the bot typed."""
        if not value:
            return False
        candidates = {value, unquote_plus(value)} if "%" in value or "+" in value else {value}
        return any(form.startswith(c) for c in candidates if c for form in self.typed_forms)

    def masked_keys(self, record: dict[str, Any], parent_key: str | None) -> set[str]:
        """Keys of `record` whose (non-empty string) value must be masked whole.

        - `{"name": "Authorization", "value": ...}`: a secret header (HAR-style, trace.network);
        - `{"name": "password", "value": ...}`: a secret or typed-into form/query field;
        - any `{"value": ...}` inside a `cookies` list;
        - `{"type": "password", "__playwright_value_": ...}`: a password input in a DOM snapshot;
        - `{"password": ...}`, `{"client_secret": ...}`, a typed-into field's name as a key;
        - a `value` that is the start of a typed secret (truncated by the page).
        """
        hidden = {
            key for key in record if key.lower() in SECRET_KEYS or key.lower() in self.typed_fields
        }
        name = record.get("name")
        if isinstance(name, str) and (name.lower() in SECRET_HEADERS or self.is_secret_name(name)):
            hidden.add("value")
        if parent_key == "cookies":
            hidden.add("value")
        if str(record.get("type", "")).lower() == "password":
            hidden.update(VALUE_KEYS)
        for key in VALUE_KEYS & set(record):
            value = record[key]
            if isinstance(value, str) and self.is_typed_prefix(value):
                hidden.add(key)
        return {key for key in hidden if isinstance(record.get(key), str) and record[key]}
