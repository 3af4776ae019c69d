"""Actions that move around or wait: goto, wait_for, press."""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.engine.step_context import StepContext
from bot.errors import FailureKind, StepError
from bot.language.envelope import ENVELOPE_FIELDS
from bot.language.locator import role_field
from bot.steps._args import ElementArgs
from bot.steps._builtin import BUILTIN
from bot.steps._locate import build, locate
from bot.steps._oracles import refuse_secret_dependent
from bot.steps._pointer import with_settling
from bot.steps._watch import MISSING
from bot.steps.asking import answers, give_up_loading, not_answered

LoadState = Literal["load", "domcontentloaded", "networkidle"]


class GotoArgs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    url: str = Field(description="an absolute URL")
    wait_until: LoadState = Field(
        "load", description="when the page counts as opened: load, domcontentloaded, networkidle"
    )


@BUILTIN.step("goto", GotoArgs, shorthand=lambda raw: {"url": raw} if isinstance(raw, str) else raw)
def goto(ctx: StepContext, args: GotoArgs) -> None:
    """Open a URL in the current tab.

    ```yaml
    - goto: "{{ client.assignar_url }}/login"
    ```
    """
    try:
        response = ctx.page.goto(
            args.url, wait_until=args.wait_until, timeout=ctx.navigation_timeout_ms
        )
    except PlaywrightTimeout:
        if answers(ctx.page.main_frame):  # the page came; something on it is still loading
            raise
        give_up_loading(ctx.page)  # else every later question would wait for it
        raise not_answered(args.url, "GET", ctx.navigation_timeout_ms) from None
    if response is None:
        return
    address = args.url.split("?", 1)[0]
    if response.status >= 500:
        answered = f"the server answered HTTP {response.status} for GET {address}"
        raise ctx.dead_end() or StepError(FailureKind.SERVER_ERROR, answered)
    if response.status in MISSING:  # an optional goto skips it: a probe of an address
        raise ctx.dead_end() or StepError(
            FailureKind.NOT_FOUND,
            f"the server answered HTTP {response.status} for GET {address}: "
            "there is no page at this address",
        )


class _PageWait(BaseModel):
    """`wait_for: {url: …}` or `{load_state: …}`: checked as such (no locator to check)."""

    url: str | None = None
    load_state: LoadState | None = None


class WaitForArgs(ElementArgs):
    """An element (locator fields), a `url` pattern, or a `load_state`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    role: str | None = role_field()
    url: str | None = Field(None, description="a regular expression the page URL must match")
    load_state: LoadState | None = Field(
        None, description="wait until the page reached this state: load, domcontentloaded, …"
    )
    state: Literal["visible", "hidden", "attached", "detached"] = Field(
        "visible",
        description="what to wait for: the element shown (visible), gone (hidden), in the page "
        "even if not shown (attached), or removed (detached)",
    )
    as_: str | None = Field(
        None,
        alias="as",
        description="with `any:`, store the name of the alternative that matched (its index, "
        '"0", "1", …, when they are not named)',
    )

    @model_validator(mode="wrap")
    @classmethod
    def _url_or_state_alone(cls, data: Any, handler: Any) -> Any:
        """`url` or `load_state`: nothing else (a locator, `as:`, a step's `timeout:` written
        inside would be ignored without a word), and no locator to check."""
        if isinstance(data, dict) and ("url" in data or "load_state" in data):
            extra = sorted(str(key) for key in set(data) - {"url", "load_state"})
            if extra:
                step = [key for key in extra if key in ENVELOPE_FIELDS]
                beside = f" ({', '.join(step)}: beside `wait_for:`, as a field of the step)"
                raise ValueError(
                    f"`url`/`load_state` stand alone; remove {', '.join(extra)}"
                    + (beside if step else "")
                )
            checked = _PageWait.model_validate(data)  # `load_state: networkidel` is refused
            return cls.model_construct(**checked.model_dump(exclude_unset=True))
        return handler(data)


@BUILTIN.step(
    "wait_for",
    WaitForArgs,
    shorthand=lambda raw: {"text": raw} if isinstance(raw, str) else raw,
)
def wait_for(ctx: StepContext, args: WaitForArgs) -> None:
    """Wait for an element to reach a state, the URL to match, or the page to load.

    ```yaml
    - wait_for: Integrations                       # the text is visible
    - wait_for: {url: "/integrations/acumatica"}
    - wait_for: {load_state: networkidle}
    - wait_for: {any: [{role: button, name: "Yes, Allow"}, {text: renewed}], as: next_page}
    ```
    """
    seconds = f"{ctx.timeout_ms / 1000:g}s"
    if args.url is not None:
        try:
            ctx.page.wait_for_url(re.compile(args.url), timeout=ctx.timeout_ms)
        except PlaywrightTimeout:
            here = urlsplit(ctx.page.url)._replace(query="", fragment="").geturl()
            raise StepError(
                FailureKind.TIMEOUT,
                f"the page URL did not match /{args.url}/ within {seconds} (it is {here})",
            ) from None
    elif args.load_state is not None:
        try:
            ctx.page.wait_for_load_state(args.load_state, timeout=ctx.timeout_ms)
        except PlaywrightTimeout:
            raise StepError(
                FailureKind.TIMEOUT,
                f"the page did not reach the load state '{args.load_state}' within {seconds}",
            ) from None
    elif args.state in ("visible", "attached"):
        locate(ctx, args, state=args.state)
        if args.as_ is not None:
            ctx.set_var(args.as_, ctx.matched_alternative())
    else:
        refuse_secret_dependent(ctx, args)
        try:
            build(ctx.scope, args).first.wait_for(state=args.state, timeout=ctx.timeout_ms)
        except PlaywrightTimeout:
            raise StepError(
                FailureKind.TIMEOUT,
                f"{args.describe()} did not become {args.state} within {seconds}",
            ) from None


class PressArgs(ElementArgs):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str = Field(description="a key name such as Enter, Tab, Escape, Control+A")
    role: str | None = role_field("the element to press the key in (else the focused one)")

    @model_validator(mode="wrap")
    @classmethod
    def _locator_optional(cls, data: Any, handler: Any) -> Any:
        if isinstance(data, dict) and set(data) == {"key"}:
            return cls.model_construct(**data)
        return handler(data)


@BUILTIN.step(
    "press", PressArgs, shorthand=lambda raw: {"key": raw} if isinstance(raw, str) else raw
)
def press(ctx: StepContext, args: PressArgs) -> None:
    """Press a key, on a field or on whatever has the focus (then wait for the page it leads to).

    ```yaml
    - press: Enter
    - press: {label: Client ID, key: Enter}
    ```
    """
    if args.any is None and args.kind is None:
        with_settling(ctx, None, lambda: ctx.page.keyboard.press(args.key))
    else:
        element = locate(ctx, args, intent="field")
        with_settling(
            ctx,
            element,
            lambda: element.press(args.key, no_wait_after=True, timeout=ctx.timeout_ms),
        )
