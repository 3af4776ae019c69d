"""Actions that shape the run: within, group, choose, use, fail, pause."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.engine.step_context import StepContext
from bot.errors import FailureKind, StepError
from bot.language.locator import Locator
from bot.steps._args import ElementArgs
from bot.steps._builtin import BUILTIN
from bot.steps._locate import locate


class WithinArgs(ElementArgs):
    """A region (locator fields) and the steps to run inside it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    frame: bool = Field(False, description="the region is an iframe: run the steps in its page")
    steps: list[Any] = Field(
        min_length=1, description="steps whose locators only look inside the region"
    )


@BUILTIN.step("within", WithinArgs, nested=True, changes_page=False)
def within(ctx: StepContext, args: WithinArgs) -> None:
    """Run steps with their locators limited to one region: a card, a dialog or a frame.

    ```yaml
    - within:
        role: dialog
        name: Re-Authorize Acumatica
        steps:
          - click: Next
    - within: {css: "iframe[name=main]", frame: true, steps: [{click: Save}]}
    ```
    """
    region = locate(ctx, args, state="attached" if args.frame else "visible")
    scope = region.content_frame if args.frame else region
    ctx.run_children(scope=scope)


class GroupArgs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    steps: list[Any] = Field(
        min_length=1, description="steps that share this step's `when`, label and retry"
    )


def _steps_shorthand(raw: Any) -> Any:
    return {"steps": raw} if isinstance(raw, list) else raw


_steps_shorthand.json_schema = {  # type: ignore[attr-defined]
    "type": "array",
    "items": {"$ref": "#/$defs/Step"},
    "description": "shorthand: the steps",
}


@BUILTIN.step("group", GroupArgs, nested=True, changes_page=False, shorthand=_steps_shorthand)
def group(ctx: StepContext, args: GroupArgs) -> None:
    """Run several steps as one: one `when`, one label, one `retry` (which re-runs them all).

    ```yaml
    - label: Consent, when Acumatica asks
      when: "vars.consent_shown == '0'"
      group:
        - check: {label: Offline Access}
        - click: "Yes, Allow"
    ```
    """
    ctx.run_children(scope=ctx.scope)


class ChooseArgs(BaseModel):
    """Named alternatives to wait for (`any`), and the steps to run for the one found (`then`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    any: dict[str, Locator] = Field(
        description="what may appear, by name (a word), tried in order: the first on the page is "
        "the one found; a name may stand for an `any:` list of locators",
        min_length=1,
    )
    then: dict[str, list[Any]] = Field(
        default_factory=dict,
        description="the steps to run for each name found; a name without steps: nothing to do",
    )
    state: Literal["visible", "attached"] = Field(
        "visible",
        description="`attached`: in the page, even if not visible (a field hidden in a collapsed "
        "section)",
    )
    as_: str | None = Field(
        None,
        alias="as",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="also store the name found in this variable, `{{ vars.NAME }}` for later steps",
    )


@BUILTIN.step("choose", ChooseArgs, branches=True, changes_page=False)
def choose(ctx: StepContext, args: ChooseArgs) -> None:
    """Wait for whichever of several named things the page shows, and run the steps for it.

    ```yaml
    - label: Consent page, or straight back?
      choose:
        any:
          consent: {text: "/is requesting your permission/i"}
          renewed: {text: "/Authentication successfully renewed/i"}
        then:
          consent:
            - click: "Yes, Allow"
          renewed: []
    ```
    """
    locate(ctx, Locator.model_validate({"any": args.any}), state=args.state)
    found = ctx.matched_alternative()
    if args.as_ is not None:
        ctx.set_var(args.as_, found)
    ctx.run_children(ctx.scope, branch=found)


class UseArgs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    runbook: str = Field(description="the runbook's name (a file in the runbooks folder)")
    with_: dict[str, Any] = Field(
        default_factory=dict,
        alias="with",
        description="its params; its captured variables come back",
    )


@BUILTIN.step(
    "use",
    UseArgs,
    nested=True,
    changes_page=False,
    shorthand=lambda raw: {"runbook": raw} if isinstance(raw, str) else raw,
)
def use(ctx: StepContext, args: UseArgs) -> None:
    """Run another runbook here, with arguments; the variables it captures are available after.

    ```yaml
    - use: {runbook: acumatica-sign-in, with: {username: "{{ client.integration_user }}"}}
    ```
    """
    ctx.run_runbook(args.runbook, args.with_)


class MessageArgs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    message: str = Field(description="what to say (templated: `{{ vars.x }}`, `{{ client.x }}`)")


def _message(raw: Any) -> Any:
    return {"message": raw} if isinstance(raw, str) else raw


@BUILTIN.step("fail", MessageArgs, shorthand=_message, changes_page=False)
def fail(ctx: StepContext, args: MessageArgs) -> None:
    """Stop the run with a message (usually with `when:`).

    ```yaml
    - fail: "Tenant {{ vars.tenant }}: the Assignar Support Team changes tenants, not the bot."
      when: "vars.tenant != client.tenant"
    ```
    """
    raise StepError(FailureKind.STOPPED, args.message)


@BUILTIN.step("pause", MessageArgs, shorthand=_message)  # the person may change the page
def pause(ctx: StepContext, args: MessageArgs) -> None:
    """Hand the browser to a person (headed runs only) until they press Resume in the inspector.

    ```yaml
    - pause: "Check the consent page, then press Resume"
    ```
    """
    if ctx.headless:
        raise StepError(
            FailureKind.STOPPED,
            f"pause needs a visible browser: run with --headed ({args.message})",
        )
    ctx.say(args.message)
    ctx.page.pause()
