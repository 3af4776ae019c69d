"""The step registry: a decorator, a frozen spec per action, and a dict of them by DSL name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

ArgsT = TypeVar("ArgsT", bound=BaseModel)
StepFunction = Callable[[Any, Any], None]
Shorthand = Callable[[Any], Any]


@dataclass(frozen=True)
class StepSpec:
    """An action of the runbook language: its name, function, argument model and documentation."""

    name: str
    function: StepFunction
    args_model: type[BaseModel]
    doc: str
    shorthand: Shorthand | None = None  # turns the short YAML form into the full mapping
    nested: bool = False  # its `steps` are run by the step itself (within, use)
    changes_page: bool = True  # worth a screenshot afterwards

    def parse(self, raw: Any) -> BaseModel:
        data = self.shorthand(raw) if self.shorthand is not None else raw
        return self.args_model.model_validate(data)


REGISTRY: dict[str, StepSpec] = {}


def step(
    name: str,
    args_model: type[ArgsT],
    *,
    shorthand: Shorthand | None = None,
    nested: bool = False,
    changes_page: bool = True,
) -> Callable[[Callable[[Any, ArgsT], None]], Callable[[Any, ArgsT], None]]:
    """Register the decorated function as the action `name`; its docstring is its documentation."""

    def register(function: Callable[[Any, ArgsT], None]) -> Callable[[Any, ArgsT], None]:
        if name in REGISTRY:
            raise ValueError(f"step {name!r} is registered twice")
        REGISTRY[name] = StepSpec(
            name,
            function,
            args_model,
            (function.__doc__ or "").strip(),
            shorthand,
            nested,
            changes_page,
        )
        return function

    return register


def registry() -> dict[str, StepSpec]:
    """Every action, after importing the step modules that register them."""
    import bot.steps  # noqa: F401  (registers the built-in actions)

    return REGISTRY
