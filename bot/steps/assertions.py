"""`expect`: check what a person would check on the page, failing with what was seen instead."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect as pw_expect
from pydantic import ConfigDict, Field, model_validator

from bot.engine.step_context import StepContext
from bot.errors import FailureKind, StepError
from bot.steps._args import ElementArgs
from bot.steps._builtin import BUILTIN
from bot.steps._locate import build, locate, pattern
from bot.steps._oracles import refuse_counting_secrets, refuse_secret_dependent
from bot.steps._secrets import refuse_reading_secret_field
from bot.steps._shown import shown_now

CHECKS = ("visible", "hidden", "has_text", "has_value", "checked", "enabled", "count")


class ExpectArgs(ElementArgs):
    """An element (locator fields) and one or more checks on it, or `url` alone."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    visible: bool | None = Field(None, description="the element is shown (the default check)")
    hidden: bool | None = Field(None, description="no such element is shown (waits until gone)")
    has_text: str | None = Field(None, description="the element's text contains this (or /regex/)")
    has_value: str | None = Field(None, description="a field's value equals this (or /regex/)")
    checked: bool | None = Field(None, description="a checkbox or switch is on (true) or off")
    enabled: bool | None = Field(None, description="the element can be used (true) or is disabled")
    count: int | None = Field(None, ge=0, description="exactly this many elements match")
    url: str | None = Field(None, description="the page URL matches this regular expression")

    @model_validator(mode="wrap")
    @classmethod
    def _url_alone(cls, data: Any, handler: Any) -> Any:
        if isinstance(data, dict) and "url" in data:
            if set(data) != {"url"}:
                raise ValueError("`url` stands alone in an expect step")
            return cls.model_construct(**data)
        model = handler(data)
        if all(getattr(model, name) is None for name in CHECKS):
            return model.model_copy(update={"visible": True})
        return model


@BUILTIN.step(
    "expect",
    ExpectArgs,
    shorthand=lambda raw: {"text": raw} if isinstance(raw, str) else raw,
    changes_page=False,
)
def expect(ctx: StepContext, args: ExpectArgs) -> None:
    """Assert something about an element or the page; retried until the step's timeout.

    ```yaml
    - expect: Authentication successfully renewed     # this text is visible
    - expect: {role: switch, name: Enable, checked: true}
    - expect: {label: Tenant ID, has_value: "Acme Live"}
    - expect: {url: "/integrations/acumatica$"}
    ```
    """
    timeout = ctx.timeout_ms
    try:
        if args.url is not None:
            pw_expect(ctx.page).to_have_url(re.compile(args.url), timeout=timeout)
            return
        if args.count is not None or args.hidden:
            _check_absence_or_count(ctx, args, timeout)
            return
        element = locate(ctx, args)
        refuse_reading_secret_field(ctx, element, "expect")
        _refuse_secret_content(ctx, element, args)
        _check_element(element, args, timeout)
    except AssertionError as exc:
        raise StepError(FailureKind.ASSERTION, _assertion_message(args, exc)) from None


def _check_absence_or_count(ctx: StepContext, args: ExpectArgs, timeout: float) -> None:
    """`count:` / `hidden:`; when it fails, the message quotes what the page shows instead."""
    loc = build(ctx.scope, args)
    refuse_secret_dependent(ctx, args)  # before the count or absence can tell anything
    try:
        if args.count is not None:
            pw_expect(loc).to_have_count(args.count, timeout=timeout)
            refuse_counting_secrets(ctx, loc, args)
        if args.hidden:
            pw_expect(loc).to_be_hidden(timeout=timeout)
    except AssertionError as exc:
        count, said = shown_now(ctx, loc)
        if not said and not count:
            raise
        what = args.describe()
        wanted = f"no {what}" if args.hidden or args.count == 0 else f"{args.count} × {what}"
        shown = f"{count} {'is' if count == 1 else 'are'} shown"
        raise StepError(
            FailureKind.ASSERTION, f"expected {wanted}, but {shown}" + (f": {said}" if said else "")
        ) from exc


def _refuse_secret_content(ctx: StepContext, element: Any, args: ExpectArgs) -> None:
    """What `has_text`/`has_value` compare against may not hold a secret (no yes/no oracle)."""
    if args.has_text is not None:
        ctx.refuse_secret(
            str(element.inner_text(timeout=ctx.timeout_ms)), "the text expect compares"
        )
    if args.has_value is not None:
        ctx.refuse_secret(
            str(element.input_value(timeout=ctx.timeout_ms)), "the value expect compares"
        )


def _check_element(element: Any, args: ExpectArgs, timeout: float) -> None:
    if args.visible is not None:
        pw_expect(element).to_be_visible(visible=args.visible, timeout=timeout)
    if args.has_text is not None:
        pw_expect(element).to_contain_text(pattern(args.has_text) or "", timeout=timeout)
    if args.has_value is not None:
        pw_expect(element).to_have_value(pattern(args.has_value) or "", timeout=timeout)
    if args.checked is not None:
        pw_expect(element).to_be_checked(checked=args.checked, timeout=timeout)
    if args.enabled is not None:
        pw_expect(element).to_be_enabled(enabled=args.enabled, timeout=timeout)


def _assertion_message(args: ExpectArgs, exc: AssertionError) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    detail = "; ".join(line for line in lines[:3] if not line.startswith("Call log"))
    return (
        f"expectation not met for {args.describe() if args.url is None else 'the page'}: {detail}"
    )
