"""Argument models shared by several actions, and the shorthand converters that go with them."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

from bot.language.locator import LOCATOR_FIELDS, Locator


class ElementArgs(Locator):
    """A locator as the argument of an element action."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def name_shorthand(raw: Any) -> Any:
    """`click: Save` means `click: {name: Save}`: whatever clickable thing is named "Save"."""
    return {"name": raw} if isinstance(raw, str) else raw


def label_shorthand(raw: Any) -> Any:
    """`check: Infinite` means `check: {label: Infinite}`."""
    return {"label": raw} if isinstance(raw, str) else raw


def keyed_shorthand(value_key: str, *, by: str = "label") -> Any:
    """`fill: {Tenant ID: "x"}` means `fill: {label: Tenant ID, value: "x"}` (one key, not a field).

    With `by="name"`, the key is the element's accessible name instead: `toggle: {Enable: on}`
    means `{name: Enable, state: on}` (a switch or a checkbox named "Enable").
    """

    def convert(raw: Any) -> Any:
        if not isinstance(raw, dict) or len(raw) != 1:
            return raw
        ((key, value),) = raw.items()
        if key in LOCATOR_FIELDS or key == value_key or not isinstance(key, str):
            return raw
        return {by: key, value_key: value}

    convert.json_schema = {  # type: ignore[attr-defined]
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "description": f"shorthand: {{<{by}>: <{value_key}>}}",
    }
    return convert
