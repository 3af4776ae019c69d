"""A step's arguments with every `{{ … }}` filled in from the run's state.

Secrets stay `Secret`s, and only in the one argument the action types (`fill`'s `value`); any
other rendered string that holds a secret in some spelling is refused (SECRET_REFUSED).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.engine.context import RunState
from bot.engine.taint import refused
from bot.language.registry import STEP_FIELDS
from bot.language.secrets import Secret
from bot.language.templating import render


def rendered(model: BaseModel, state: RunState, secret_arg: str | None = None) -> BaseModel:
    """A copy of `model` with its templates rendered; nested steps (`steps`, `then`) are left for
    later.

    `secret_arg` names the argument that may be a whole `{{ secret('…') }}`.
    """
    updates = {
        name: _render_value(getattr(model, name), state, name, name == secret_arg)
        for name in type(model).model_fields
        if name not in STEP_FIELDS
    }
    return model.model_copy(update=updates)


def _render_value(value: Any, state: RunState, where: str, may_be_secret: bool) -> Any:
    if isinstance(value, str):
        text = render(value, state.template_context(), state.secret)
        if isinstance(text, Secret):
            if not may_be_secret:
                raise refused(text.name, f"`{where}`")
            return text
        state.taint.ensure_clean(text, f"`{where}`")
        return text
    if isinstance(value, BaseModel):
        return rendered(value, state)
    if isinstance(value, list):
        return [_render_value(item, state, where, False) for item in value]
    if isinstance(value, dict):
        return {
            key: _render_value(item, state, f"{where}.{key}", False) for key, item in value.items()
        }
    return value
