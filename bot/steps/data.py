"""Actions that read from the page: capture into a variable, screenshot."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_plus

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.engine.step_context import StepContext
from bot.errors import FailureKind, StepError
from bot.language.suggestions import did_you_mean
from bot.steps._args import ElementArgs
from bot.steps._builtin import BUILTIN
from bot.steps._locate import locate
from bot.steps._secrets import refuse_reading_secret_field

READABLE = ("text", "value", "checked", "url")  # and attribute:NAME


class CaptureArgs(ElementArgs):
    """What to read (`get`), from which element (locator fields; none for `url`), into `as`."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    get: str = Field(
        "text",
        description="what to read: text, value (a field's), checked, url, or attribute:NAME",
        json_schema_extra={
            "anyOf": [
                {"enum": ["text", "value", "checked", "url"]},
                {"type": "string", "pattern": "^attribute:.+$"},
            ]
        },
    )
    visited: str | None = Field(
        None,
        description="with `get: url`: the latest address the browser went through (redirects "
        "included) that matches this regular expression, percent-decoded",
    )
    regex: str | None = Field(None, description="keep the first group (or the whole match)")
    as_: str = Field(
        alias="as",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
        description="the variable name, later `{{ vars.NAME }}`",
    )

    @field_validator("get")
    @classmethod
    def _known_get(cls, value: str) -> str:
        """What to read is a closed set: a misspelt `get:` is refused before any browser starts,
        not when the run reaches the step (a template is checked when it is filled in)."""
        if value in READABLE or "{{" in value or re.fullmatch(r"attribute:\S+", value):
            return value
        if value.startswith("attribute:"):
            raise ValueError(
                "`get: attribute:NAME` needs the attribute's name, e.g. attribute:href"
            )
        hint = did_you_mean(value, READABLE)
        raise ValueError(f"get must be text, value, checked, url or attribute:NAME{hint}")

    @model_validator(mode="wrap")
    @classmethod
    def _url_needs_no_locator(cls, data: Any, handler: Any) -> Any:
        if isinstance(data, dict) and data.get("get") == "url":
            extra = set(data) - {"get", "regex", "as", "visited"}
            if extra:
                raise ValueError(
                    f"`get: url` reads the page URL; remove {', '.join(sorted(extra))}"
                )
            if "as" not in data:
                raise ValueError("`as` is required: the variable to store into")
            return cls.model_construct(
                get="url", regex=data.get("regex"), as_=data["as"], visited=data.get("visited")
            )
        return handler(data)


@BUILTIN.step("capture", CaptureArgs, changes_page=False)
def capture(ctx: StepContext, args: CaptureArgs) -> None:
    """Read text, a field's value, an attribute or the URL into a variable for later steps.

    ```yaml
    - capture: {text: "Authorized user:", regex: 'Authorized user:\\s*(\\S+)', as: authorized_user}
    - capture: {get: url, regex: "^(https?://[^/]+)", as: origin}
    - capture: {get: url, visited: "[?&]code=", regex: "[?&]scope=([^&]*)", as: granted}
    ```
    """
    if args.get == "url" and args.visited is not None:
        raw = _visited(ctx, args.visited)
    elif args.get == "url":
        raw = ctx.page.url
    else:
        element = locate(ctx, args, state="attached")
        refuse_reading_secret_field(ctx, element, "capture")
        if args.get == "text":
            raw = element.inner_text(timeout=ctx.timeout_ms)
        elif args.get == "value":
            raw = element.input_value(timeout=ctx.timeout_ms)
        elif args.get == "checked":
            aria = element.get_attribute("aria-checked", timeout=ctx.timeout_ms)
            raw = aria if aria is not None else str(element.is_checked()).lower()
        elif args.get.startswith("attribute:"):
            raw = element.get_attribute(args.get.split(":", 1)[1], timeout=ctx.timeout_ms) or ""
        else:
            raise StepError(FailureKind.ERROR, f"unknown `get: {args.get}`")
    # the whole text is checked, not only what the regex keeps: no secret leaks piece by piece
    ctx.refuse_secret(raw, f"vars.{args.as_} (the {args.get} read)")
    ctx.set_var(args.as_, _apply_regex(raw, args.regex))


def _visited(ctx: StepContext, pattern: str) -> str:
    """The latest address the page went through that matches `pattern`, percent-decoded."""
    for url in reversed(ctx.visited_urls()):
        decoded = unquote_plus(url)
        if re.search(pattern, decoded):
            return decoded
    raise StepError(
        FailureKind.NOT_FOUND, f"the browser went through no address matching /{pattern}/"
    )


def _apply_regex(raw: str, regex: str | None) -> str:
    if regex is None:
        return raw.strip()
    match = re.search(regex, raw)
    if match is None:
        shown = " ".join(raw.split())[:120]
        raise StepError(FailureKind.ASSERTION, f'/{regex}/ does not match the text read: "{shown}"')
    return (match.group(1) if match.groups() else match.group(0)).strip()


class ScreenshotArgs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[\w.-]+$", description="file name, without extension")
    full_page: bool = Field(False, description="the whole page, not only what the window shows")


@BUILTIN.step(
    "screenshot",
    ScreenshotArgs,
    changes_page=False,
    shorthand=lambda raw: {"name": raw} if isinstance(raw, str) else raw,
)
def screenshot(ctx: StepContext, args: ScreenshotArgs) -> None:
    """Save a screenshot into the run's folder (secret fields are masked first).

    ```yaml
    - screenshot: consent-page
    ```
    """
    ctx.screenshot(args.name, full_page=args.full_page)


class SetArgs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    values: dict[str, str] = Field(description="variable name → value (templated)")

    @model_validator(mode="after")
    def _names(self) -> SetArgs:
        bad = [name for name in self.values if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name)]
        if bad:
            raise ValueError(f"not a variable name: {', '.join(bad)}")
        return self


def _set_shorthand(raw: Any) -> Any:
    if isinstance(raw, dict) and set(raw) != {"values"}:
        return {"values": {str(k): "" if v is None else str(v) for k, v in raw.items()}}
    return raw


_set_shorthand.json_schema = {  # type: ignore[attr-defined]
    "type": "object",
    "minProperties": 1,
    "description": "shorthand: {<variable>: <value>, …}",
}


@BUILTIN.step("set", SetArgs, shorthand=_set_shorthand, changes_page=False)
def set_vars(ctx: StepContext, args: SetArgs) -> None:
    """Store values (usually computed from other variables) for later steps.

    ```yaml
    - set: {already_configured: "{{ vars.mode == 'Sliding Expiration' }}"}
    ```
    """
    for name, value in args.values.items():
        ctx.set_var(name, value)
