"""Argument models shared by several actions, and the shorthand converters that go with them."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

from bot.language.locator import LOCATOR_FIELDS, Locator


class ElementArgs(Locator):
    """A locator as the argument of an element action."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def button_shorthand(raw: Any) -> Any:
    """`click: Save` means `click: {role: button, name: Save}`."""
    return {"role": "button", "name": raw} if isinstance(raw, str) else raw


def label_shorthand(raw: Any) -> Any:
    """`check: Infinite` means `check: {label: Infinite}`."""
    return {"label": raw} if isinstance(raw, str) else raw


def keyed_shorthand(value_key: str, *, role: str | None = None) -> Any:
    """`fill: {Tenant ID: "x"}` means `fill: {label: Tenant ID, value: "x"}` (one key, not a field).

    With `role`, the key is the element's accessible name instead: `toggle: {Enable: on}` means
    `{role: switch, name: Enable, state: on}`.
    """

    def convert(raw: Any) -> Any:
        if not isinstance(raw, dict) or len(raw) != 1:
            return raw
        ((key, value),) = raw.items()
        if key in LOCATOR_FIELDS or key == value_key or not isinstance(key, str):
            return raw
        where = {"role": role, "name": key} if role else {"label": key}
        return {**where, value_key: value}

    convert.json_schema = {  # type: ignore[attr-defined]
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "description": f"shorthand: {{<{'name' if role else 'label'}>: <{value_key}>}}",
    }
    return convert
