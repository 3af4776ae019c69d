"""Static checks of how a runbook handles secrets, before any browser starts.

A secret is only ever the whole value of a `fill`; it is never written in a runbook; a param that
names a secret names one the client has; and no `capture` or `expect` reads a password field or a
field a secret was typed into, here or in a runbook `use`d before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.language.diagnostics import Diagnostic, did_you_mean
from bot.language.document import StepNode
from bot.language.locator import Locator

SECRET_LOOKING = re.compile(r"pass(word|code)?|secret|token|api[ _-]?key", re.IGNORECASE)
# a field a person types a password into, by what it is called
PASSWORD_FIELD = re.compile(r"pass(word|code|phrase)?|\bpwd\b|type\s*=\s*['\"]?password", re.I)
_TARGET_FIELDS = ("role", "name", "label", "text", "placeholder", "title", "alt", "testid", "css")
_QUOTED = re.compile(r"['\"]")  # a string constant in a template
Problem = Callable[[str], None]
SecretTarget = tuple[tuple[Any, ...], str]  # (a locator's identity, where the secret was filled)


def check_secret_use(
    node: StepNode,
    where: str,
    whole: bool,
    names: tuple[str, ...],
    secret_names: set[str] | None,
    problem: Problem,
) -> None:
    """`{{ secret('…') }}` only as the whole value of a `fill`, naming a secret the client has."""
    if not (node.action == "fill" and where.endswith(".fill.value")):
        problem(
            "a secret may only be the value of a `fill` step; here it would leak "
            "into a URL, a message, a log or a report"
        )
    elif not whole:
        problem("a secret must be the whole value: `value: \"{{ secret('name') }}\"`")
    for name in names:
        if secret_names is not None and name not in secret_names:
            problem(
                f"the client has no secret '{name}'{did_you_mean(name, secret_names)}"
                " — add it under the client's `secrets:` as a reference"
            )


def check_secret_params(
    found: tuple[str, ...],
    params: dict[str, Any] | None,
    secret_names: set[str] | None,
    problem: Problem,
) -> None:
    """`secret(params.X)`: the value X has (from `--param` or a `use … with:`) names a secret."""
    if params is None or secret_names is None:
        return
    for param in found:
        value = params.get(param)
        if isinstance(value, str) and value not in secret_names:
            problem(
                f"params.{param} is '{value}', which is not one of the client's secrets"
                f"{did_you_mean(value, secret_names)}: pass a secret's name"
            )


def check_literal_secret(node: StepNode) -> Diagnostic | None:
    """A `fill` of a field that looks like a password field with anything but a secret: a
    password written out (refused and masked where it stands), or a template giving no secret."""
    args = node.args
    value = str(getattr(args, "value", ""))
    target = " ".join(str(getattr(args, k) or "") for k in ("label", "name", "placeholder", "css"))
    if not SECRET_LOOKING.search(target) or "secret(" in value:
        return None
    where = f"{node.path}.fill.value"
    if "{{" in value:
        return Diagnostic(
            node.file,
            node.line_of(where),
            where,
            "this field looks like a password field, and its value is a template that gives no "
            "secret: a password-looking field is filled from \"{{ secret('name') }}\" (or "
            "`{{ secret(params.x) }}`, a param naming one), where the name is one of the "
            "client's `secrets:` references; a password is never a param or a setting",
            # a string constant inside the template could be the password itself
            literal=value if _QUOTED.search(value) else None,
        )
    return Diagnostic(
        node.file,
        node.line_of(where),
        where,
        "literal secret: a password is never written in a runbook; use "
        "\"{{ secret('name') }}\" and declare the name under the client's `secrets:`",
        literal=value or None,
    )


def identities(locator: Any) -> list[tuple[Any, ...]]:
    """What makes a locator point where it points (each alternative of an `any:`)."""
    if not isinstance(locator, Locator):
        return []
    if locator.any is not None:
        return [key for _, alternative in locator.alternatives() for key in identities(alternative)]
    key = tuple(getattr(locator, name) for name in _TARGET_FIELDS)
    return [key] if any(part is not None for part in key) else []


def looks_like_password_field(locator: Any) -> bool:
    if not isinstance(locator, Locator):
        return False
    if locator.any is not None:
        return any(looks_like_password_field(alt) for _, alt in locator.alternatives())
    named = [locator.label, locator.placeholder, locator.testid, locator.css]
    if locator.role in (None, "textbox"):
        named.append(locator.name)
    return any(text is not None and PASSWORD_FIELD.search(text) for text in named)


def check_reads_secret_field(node: StepNode, targets: list[SecretTarget], problem: Problem) -> None:
    """`capture`/`expect` on a password field, or on the field an earlier fill typed a secret
    into (in this runbook or one `use`d before): its value would enter vars or messages."""
    if node.action not in ("capture", "expect"):
        return
    keys = identities(node.args)
    filled = next((where for key, where in targets if key in keys), None)
    if filled is not None:
        problem(
            f"{node.action} would read the field a secret is typed into at {filled}: a secret "
            "never enters variables, messages or reports (use `wait_for` to wait for the field)"
        )
    elif looks_like_password_field(node.args):
        problem(
            f"{node.action} would read a password field: a secret never enters variables, "
            "messages or reports (use `wait_for` to wait for the field)"
        )
