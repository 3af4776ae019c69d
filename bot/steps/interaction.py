"""Actions that change something on the page: click, fill, select, check, uncheck, toggle."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from playwright.sync_api import expect
from pydantic import ConfigDict, Field, WithJsonSchema, field_validator

from bot.engine.step_context import StepContext
from bot.language.secrets import Secret
from bot.steps._args import ElementArgs, button_shorthand, keyed_shorthand, label_shorthand
from bot.steps._builtin import BUILTIN
from bot.steps._locate import locate
from bot.steps._secrets import type_secret


class ClickArgs(ElementArgs):
    model_config = ConfigDict(extra="forbid", frozen=True)


@BUILTIN.step("click", ClickArgs, shorthand=button_shorthand)
def click(ctx: StepContext, args: ClickArgs) -> None:
    """Click an element.

    ```yaml
    - click: Save                       # the button named "Save"
    - click: {role: link, name: Integrations}
    ```
    """
    locate(ctx, args).click(timeout=ctx.timeout_ms)


def _as_text(value: object) -> object:
    """`fill: {Sliding Lifetime (Days): 15}`: YAML numbers are typed as their text."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


class FillArgs(ElementArgs):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)
    value: str = Field(description="the text to type; `{{ secret('name') }}` for a secret")
    _number_as_text = field_validator("value", mode="before")(_as_text)


@BUILTIN.step("fill", FillArgs, shorthand=keyed_shorthand("value"), secret_arg="value")
def fill(ctx: StepContext, args: FillArgs) -> None:
    """Replace a field's text; a secret only on an origin it is allowed for, never read back.

    The secret's origin is its field's own frame, as the browser has it (not as the page says).

    ```yaml
    - fill: {Tenant ID: "{{ client.tenant }}"}          # the field labelled "Tenant ID"
    - fill: {label: Password, value: "{{ secret('acumatica_password') }}"}
    ```
    """
    element = locate(ctx, args)
    value: str | Secret = args.value
    if isinstance(value, Secret):
        type_secret(ctx, element, value)
    else:
        element.fill(value, timeout=ctx.timeout_ms)


class SelectArgs(ElementArgs):
    model_config = ConfigDict(extra="forbid", frozen=True)
    option: str = Field(description="the option's visible label (or its value)")
    _number_as_text = field_validator("option", mode="before")(_as_text)


@BUILTIN.step("select", SelectArgs, shorthand=keyed_shorthand("option"))
def select(ctx: StepContext, args: SelectArgs) -> None:
    """Choose an option of a drop-down, by its label, else by its value.

    ```yaml
    - select: {Time zone: Australia/Sydney}
    - select: {label: Mode, option: Sliding Expiration}
    ```
    """
    element = locate(ctx, args)
    labels = element.evaluate("e => Array.from(e.options || []).map(o => o.label.trim())")
    chosen = {"label": args.option} if args.option in labels else {"value": args.option}
    element.select_option(**chosen, timeout=ctx.timeout_ms)  # type: ignore[arg-type]


class CheckArgs(ElementArgs):
    model_config = ConfigDict(extra="forbid", frozen=True)


@BUILTIN.step("check", CheckArgs, shorthand=label_shorthand)
def check(ctx: StepContext, args: CheckArgs) -> None:
    """Tick a checkbox (no-op when already ticked).

    ```yaml
    - check: Infinite                    # the checkbox labelled "Infinite"
    ```
    """
    locate(ctx, args).check(timeout=ctx.timeout_ms)


@BUILTIN.step("uncheck", CheckArgs, shorthand=label_shorthand)
def uncheck(ctx: StepContext, args: CheckArgs) -> None:
    """Clear a checkbox (no-op when already clear).

    ```yaml
    - uncheck: {label: Remember My Decision}
    ```
    """
    locate(ctx, args).uncheck(timeout=ctx.timeout_ms)


class ToggleArgs(ElementArgs):
    model_config = ConfigDict(extra="forbid", frozen=True)
    state: Annotated[
        Literal["on", "off"],
        WithJsonSchema({"anyOf": [{"enum": ["on", "off"]}, {"type": "boolean"}]}),
    ] = Field(
        description="where the switch must end up (YAML's bare on/off read as true/false too)"
    )

    @field_validator("state", mode="before")
    @classmethod
    def _yaml_booleans(cls, value: object) -> object:
        # YAML 1.1 reads a bare `on`/`off` as true/false
        return {True: "on", False: "off"}.get(value, value) if isinstance(value, bool) else value


@BUILTIN.step("toggle", ToggleArgs, shorthand=keyed_shorthand("state", role="switch"))
def toggle(ctx: StepContext, args: ToggleArgs) -> None:
    """Drive a switch on or off by its accessible state; nothing happens when it is already there.

    ```yaml
    - toggle: {Enable: on}               # the switch named "Enable"
    - toggle: {role: checkbox, name: Active, state: off}
    ```
    """
    element = locate(ctx, args)
    want = args.state == "on"
    if _is_on(element) != want:
        element.click(timeout=ctx.timeout_ms)
        expect(element).to_be_checked(checked=want, timeout=ctx.timeout_ms)


def _is_on(element: Any) -> bool:
    aria = element.get_attribute("aria-checked")
    return aria == "true" if aria is not None else bool(element.is_checked())
