"""Actions that change something on the page: click, fill, select, check, uncheck, toggle."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from playwright.sync_api import Locator as PWLocator
from playwright.sync_api import expect
from pydantic import ConfigDict, Field, WithJsonSchema, field_validator

from bot.engine.step_context import StepContext
from bot.errors import FailureKind, StepError
from bot.language.secrets import Secret
from bot.steps._args import ElementArgs, keyed_shorthand, label_shorthand, name_shorthand
from bot.steps._builtin import BUILTIN
from bot.steps._dropdowns import choose_option, holds_read_only
from bot.steps._locate import describe_element, locate
from bot.steps._pointer import click_on, use_pointer
from bot.steps._secrets import type_secret
from bot.steps._unrecorded import unrecorded


class ClickArgs(ElementArgs):
    model_config = ConfigDict(extra="forbid", frozen=True)


@BUILTIN.step("click", ClickArgs, shorthand=name_shorthand)
def click(ctx: StepContext, args: ClickArgs) -> None:
    """Click an element, and wait for the page the click leads to.

    ```yaml
    - click: Re-Authorize              # the one button, link, menu item, tab… named so
    - click: {role: link, name: Integrations}
    ```
    """
    click_on(ctx, locate(ctx, args, intent="click"))


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

    A read-only (or disabled) field already holding the text is fine; one holding other text
    fails at once, saying what it holds.

    The secret's origin is its field's own frame, as the browser has it (not as the page says).

    ```yaml
    - fill: {Tenant ID: "{{ client.tenant }}"}   # label "Tenant ID" (or "Tenant ID *"), else
                                                 # placeholder, else accessible name
    - fill: {label: Password, value: "{{ secret('acumatica_password') }}"}
    ```
    """
    element = locate(ctx, args, intent="field")
    value: str | Secret = args.value
    if isinstance(value, Secret):
        type_secret(ctx, element, value)
    elif not holds_read_only(element, value, ctx.timeout_ms):
        element.fill(value, timeout=ctx.timeout_ms)


class SelectArgs(ElementArgs):
    model_config = ConfigDict(extra="forbid", frozen=True)
    option: str = Field(description="the option's visible label (or its value)")
    _number_as_text = field_validator("option", mode="before")(_as_text)


@BUILTIN.step("select", SelectArgs, shorthand=keyed_shorthand("option"))
def select(ctx: StepContext, args: SelectArgs) -> None:
    """Choose an option of a drop-down (native, combobox or listbox), or accept a read-only value.

    A native `<select>` is set by the option's label, else its value; a combobox widget is typed
    into to filter, then its option is picked; a read-only field already holding it is fine.

    ```yaml
    - select: {Time zone: Australia/Sydney}
    - select: {label: Mode, option: Sliding Expiration}
    ```
    """
    choose_option(ctx, locate(ctx, args, intent="field"), args.option)


class CheckArgs(ElementArgs):
    model_config = ConfigDict(extra="forbid", frozen=True)


@BUILTIN.step("check", CheckArgs, shorthand=label_shorthand)
def check(ctx: StepContext, args: CheckArgs) -> None:
    """Tick a checkbox (no-op when already ticked).

    ```yaml
    - check: Infinite                    # the checkbox labelled "Infinite"
    ```
    """
    _set_checked(ctx, locate(ctx, args, intent="check"), True)


@BUILTIN.step("uncheck", CheckArgs, shorthand=label_shorthand)
def uncheck(ctx: StepContext, args: CheckArgs) -> None:
    """Clear a checkbox (no-op when already clear).

    ```yaml
    - uncheck: {label: Remember My Decision}
    ```
    """
    _set_checked(ctx, locate(ctx, args, intent="check"), False)


def _set_checked(ctx: StepContext, element: PWLocator, checked: bool) -> None:
    if _is_on(element) != checked:
        use_pointer(
            ctx,
            element,
            lambda timeout: element.set_checked(
                checked, no_wait_after=True, force=True, timeout=timeout
            ),
        )


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


@BUILTIN.step("toggle", ToggleArgs, shorthand=keyed_shorthand("state", by="name"))
def toggle(ctx: StepContext, args: ToggleArgs) -> None:
    """Drive a switch or checkbox on or off; nothing happens when it is already there.

    ```yaml
    - toggle: {Enable: on}               # the switch or checkbox named "Enable"
    - toggle: {role: checkbox, name: Active, state: off}
    ```
    """
    element = locate(ctx, args, intent="toggle")
    want = args.state == "on"
    if _is_on(element) != want:
        click_on(ctx, element)  # and the page's answer to a switch that saves itself
        _stays(ctx, element, want)


def _stays(ctx: StepContext, element: PWLocator, want: bool) -> None:
    """The switch is (or soon gets) where it was driven; else fail, in the page's words when it
    says why (a switch that could not save itself flips back and says so)."""
    state = "on" if want else "off"
    if _is_on(element) != want:
        said = _visible_alert(ctx)
        if said:
            raise StepError(
                FailureKind.ASSERTION,
                f"{describe_element(element)} did not stay {state}; the page says: “{said}”",
            )
    try:
        expect(element).to_be_checked(checked=want, timeout=ctx.timeout_ms)
    except AssertionError:
        said = _visible_alert(ctx)
        raise StepError(
            FailureKind.ASSERTION,
            f"{describe_element(element)} did not stay {state}"
            + (f"; the page says: “{said}”" if said else ""),
        ) from None


def _visible_alert(ctx: StepContext) -> str:
    """The words of the first visible alert on the page (none holding a secret), or ''."""
    with unrecorded():
        alerts = ctx.page.get_by_role("alert").filter(visible=True)
        if not alerts.count():
            return ""
        words = " ".join(alerts.first.inner_text(timeout=ctx.timeout_ms).split())[:300]
    try:
        ctx.refuse_secret(words, "a failure message")
    except StepError:
        return ""
    return words


def _is_on(element: Any) -> bool:
    with unrecorded():
        aria = element.get_attribute("aria-checked")
        return aria == "true" if aria is not None else bool(element.is_checked())
