"""The step registry: a decorator, a frozen spec per action, and a mapping of them by DSL name.

The language knows actions only through a `Registry` it is given (the loader, the checks and the
schema take one as an argument); `bot.steps.BUILTIN` is the registry of the built-in actions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

ArgsT = TypeVar("ArgsT", bound=BaseModel)
ContextT = TypeVar("ContextT")
# (the step context, the rendered argument model); typed precisely where each step is defined
StepFunction = Callable[[Any, Any], None]
Shorthand = Callable[[Any], Any]
# the argument fields that hold nested steps (run by the step itself, never rendered in advance):
# `steps` (within, group) and `then` (choose: the steps of each branch, by name)
STEP_FIELDS = frozenset({"steps", "then"})


@dataclass(frozen=True)
class StepSpec:
    """An action of the runbook language: its name, function, argument model and documentation."""

    name: str
    function: StepFunction
    args_model: type[BaseModel]
    doc: str
    shorthand: Shorthand | None = None  # turns the short YAML form into the full mapping
    nested: bool = False  # its `steps` are run by the step itself (within, use)
    branches: bool = False  # its `then:` holds named lists of steps; it runs one of them (choose)
    # acts on the page or waits for it to change: worth a look for a dead end afterwards (and a
    # screenshot, `on-change`); False for steps that only read it (expect, capture) or data
    changes_page: bool = True
    secret_arg: str | None = None  # the one argument that may be `{{ secret('…') }}` (fill's value)

    def parse(self, raw: Any) -> BaseModel:
        data = self.shorthand(raw) if self.shorthand is not None else raw
        return self.args_model.model_validate(data)


class Registry(Mapping[str, StepSpec]):
    """Actions by their DSL name. `@registry.step("click", ClickArgs)` registers a function."""

    def __init__(self) -> None:
        self._specs: dict[str, StepSpec] = {}

    def __getitem__(self, name: str) -> StepSpec:
        return self._specs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def step(
        self,
        name: str,
        args_model: type[ArgsT],
        *,
        shorthand: Shorthand | None = None,
        nested: bool = False,
        branches: bool = False,
        changes_page: bool = True,
        secret_arg: str | None = None,
    ) -> Callable[[Callable[[ContextT, ArgsT], None]], Callable[[ContextT, ArgsT], None]]:
        """Register the decorated function as the action `name`; its docstring documents it."""

        def register(
            function: Callable[[ContextT, ArgsT], None],
        ) -> Callable[[ContextT, ArgsT], None]:
            if name in self._specs:
                raise ValueError(f"step {name!r} is registered twice")
            doc = (function.__doc__ or "").strip()
            self._specs[name] = StepSpec(
                name,
                function,
                args_model,
                doc,
                shorthand,
                nested or branches,
                branches,
                changes_page,
                secret_arg,
            )
            return function

        return register
