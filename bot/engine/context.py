"""What a step sees while it runs: the page, its scope, the step's timeout, variables, secrets."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import FailureKind, StepError
from bot.language.secrets import Secret

if TYPE_CHECKING:
    from bot.engine.runner import Runner


@dataclass
class RunContext:
    """One run's state. The engine owns it; step functions read and call it."""

    page: Any  # playwright Page (or a fake in unit tests)
    headless: bool = True
    default_timeout: float = 10.0
    client: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    vars: dict[str, str] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)
    run: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, Secret] = field(default_factory=dict)
    run_dir: Path | None = None
    say: Callable[[str], None] = print
    scope: Any = None
    timeout_ms: float = 10_000
    runner: Runner | None = None
    matched: str | None = None
    match_index: int | None = None
    secret_fields: list[Any] = field(default_factory=list)
    screenshots: int = 0
    evidence_screenshots: bool = True  # one after each page-changing step, and at a failure
    server_errors: list[str] = field(default_factory=list)  # error pages loaded during the step

    def __post_init__(self) -> None:
        if self.scope is None:
            self.scope = self.page
        if self.page is not None and hasattr(self.page, "on"):
            from bot.steps.page import watch_server_errors

            watch_server_errors(self.page, self.server_errors)

    def leave_error_page(self) -> None:
        from bot.steps.page import back_to_previous_page

        back_to_previous_page(self.page, self.timeout_ms)
        self.server_errors.clear()

    def explain(self, error: StepError) -> StepError:
        """A step that found nothing (or timed out), explained by what happened to the page
        meanwhile: an error page or an unreachable site, or the site ended the session."""
        if error.kind not in (FailureKind.NOT_FOUND, FailureKind.TIMEOUT) or self.page is None:
            return error
        if self.server_errors:
            return StepError(
                FailureKind.NAVIGATION, f"{self.server_errors[-1]}; then: {error.message}"
            )
        from bot.steps.page import signed_out_notice

        notice = signed_out_notice(self.page)
        if notice is None:
            return error
        site = self.site_of(str(getattr(self.page, "url", "")))
        return StepError(
            FailureKind.SIGNED_OUT,
            f'the {site} session expired: the page says "{notice}" (so: '
            f"{error.message}). Nothing more was done there; run the runbook again "
            "(it signs in at the start)",
        )

    def site_of(self, url: str) -> str:
        """`Assignar (assignar_url)` when `url` is under the client's `assignar_url` setting."""
        from bot.language.urls import normalise_url

        for name, value in self.client.items():
            if not name.endswith("_url") or not isinstance(value, str):
                continue
            try:
                base = normalise_url(value)
            except ValueError:
                continue
            if url == base or url.startswith(base + "/"):
                label = name.removesuffix("_url").replace("_", " ")
                return f"{label[:1].upper()}{label[1:]} ({name})"
        return url.split("?", 1)[0] or "site's"

    # -- used by step functions -------------------------------------------------------------
    def note_match(self, description: str) -> None:
        self.matched = description
        self.match_index = int(description.split("]", 1)[0].removeprefix("any["))

    def last_match_index(self) -> str:
        return str(self.match_index if self.match_index is not None else 0)

    def set_var(self, name: str, value: str) -> None:
        self.vars[name] = value

    def secret(self, name: str) -> Secret:
        if name not in self.secrets:
            raise StepError(FailureKind.ERROR, f"the client has no secret '{name}'")
        return self.secrets[name]

    def check_secret_origin(self, secret: Secret, element: Any) -> None:
        """Refuse to type `secret` into a page whose origin it is not allowed for."""
        origin = str(element.evaluate("e => e.ownerDocument.location.origin"))
        if not secret.allows(origin):
            allowed = ", ".join(secret.origins) or "none"
            raise StepError(
                FailureKind.ORIGIN_REFUSED,
                f"refused to type secret '{secret.name}' into {origin}: it is only "
                f"allowed on {allowed}",
            )
        self.secret_fields.append(element)

    def run_children(self, *, scope: Any) -> None:
        assert self.runner is not None
        self.runner.run_children(scope)

    def run_runbook(self, name: str, params: dict[str, Any]) -> None:
        assert self.runner is not None
        self.runner.run_use(name, params)

    def screenshot(self, name: str, *, full_page: bool = False) -> Path | None:
        """A screenshot in the run folder with password and secret fields masked."""
        if self.run_dir is None or self.page is None:
            return None
        self.screenshots += 1
        path = self.run_dir / "screenshots" / f"{self.screenshots:03d}-{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        masks = [self.page.locator("input[type=password]"), *self.secret_fields]
        self.page.screenshot(path=str(path), full_page=full_page, mask=masks, timeout=5_000)
        return path

    def step_screenshot(self, description: str, *, failed: bool) -> str | None:
        """A screenshot after a step (relative to the run folder); None when there is no page."""
        if self.run_dir is None or not self.evidence_screenshots:
            return None
        name = re.sub(r"[^A-Za-z0-9]+", "-", description).strip("-")[:50] or "step"
        try:
            path = self.screenshot(f"{'FAILED-' if failed else ''}{name}")
        except Exception:  # the page is gone (browser closed): the failure is reported anyway
            return None
        return str(path.relative_to(self.run_dir)) if path else None

    def template_context(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "params": self.params,
            "vars": self.vars,
            "facts": self.facts,
            "run": self.run,
        }
