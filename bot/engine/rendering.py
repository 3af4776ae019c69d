"""A step's arguments with every `{{ … }}` filled in from the run's state (secrets stay Secrets)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.engine.context import RunState
from bot.language.templating import render


def rendered(model: BaseModel, state: RunState) -> BaseModel:
    """A copy of `model` with its templates rendered; nested `steps` are left for later."""
    updates = {
        name: _render_value(getattr(model, name), state)
        for name in type(model).model_fields
        if name != "steps"
    }
    return model.model_copy(update=updates)


def _render_value(value: Any, state: RunState) -> Any:
    if isinstance(value, str):
        return render(value, state.template_context(), state.secret)
    if isinstance(value, BaseModel):
        return rendered(value, state)
    if isinstance(value, list):
        return [_render_value(item, state) for item in value]
    if isinstance(value, dict):
        return {key: _render_value(item, state) for key, item in value.items()}
    return value
