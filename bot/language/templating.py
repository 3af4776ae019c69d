"""`{{ … }}` in runbooks: Jinja2's sandbox, strict about undefined names; secrets stay Secrets."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from bot.errors import FailureKind, StepError
from bot.language.secrets import Secret

NAMESPACES = ("client", "params", "vars", "facts", "run")
FUNCTIONS = ("secret",)


def without_scheme(url: str) -> str:
    """`https://acme.acumatica.com/ERP` → `acme.acumatica.com/ERP` (how Assignar asks for it)."""
    return str(url).split("://", 1)[-1]


def version_at_least(version: object, minimum: str) -> bool:
    """`'24.105.0012' | version_at_least('24.100')`: numeric, part by part; False when unknown."""
    try:
        have = tuple(int(part) for part in str(version).split("."))
        need = tuple(int(part) for part in minimum.split("."))
    except ValueError:
        return False
    return have[: len(need)] >= need


def days_from_now(days: object) -> str:
    """`30 | days_from_now` → the date 30 days from today, e.g. `2026-12-27`."""
    return (date.today() + timedelta(days=float(str(days)))).isoformat()


MAX_POWER, MAX_REPEAT = 1000, 100_000


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, also refusing arithmetic that would hang or fill the memory."""

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_POWER:
            raise SecurityError(f"a power above {MAX_POWER} is not allowed")
        if (
            operator == "*"
            and any(isinstance(a, str | list | tuple) for a in (left, right))
            and any(isinstance(n, int) and n > MAX_REPEAT for n in (left, right))
        ):
            raise SecurityError(f"repeating text more than {MAX_REPEAT} times is not allowed")
        return super().call_binop(context, operator, left, right)


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    env = _Sandbox(undefined=StrictUndefined, autoescape=False)
    env.globals.clear()
    env.filters.update(
        without_scheme=without_scheme,
        version_at_least=version_at_least,
        days_from_now=days_from_now,
    )
    return env


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text


@dataclass(frozen=True)
class TemplateReferences:
    """What a template refers to, found without rendering it."""

    names: frozenset[str]  # top-level names, e.g. {"client", "secret"}
    attributes: frozenset[tuple[str, str]]  # ("params", "tenant"), ("vars", "user"), …
    guarded: frozenset[tuple[str, str]]  # attributes tested with `is defined` / `is undefined`
    secret_names: tuple[str, ...]  # literal arguments of secret('…')
    secret_is_whole: bool  # the template is exactly one `{{ secret('…') }}`


def parse(text: str, *, expression: bool = False) -> nodes.Template:
    """The Jinja AST; raises TemplateSyntaxError with a line inside the template."""
    source = f"{{{{ {text} }}}}" if expression else text
    return environment().parse(source)


def references(text: str, *, expression: bool = False) -> TemplateReferences:
    tree = parse(text, expression=expression)
    names = frozenset(node.name for node in tree.find_all(nodes.Name) if node.ctx == "load")
    attributes = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        owner: Any = getattr(node, "node", None)
        if isinstance(owner, nodes.Name):
            key = (
                node.attr if isinstance(node, nodes.Getattr) else _const(getattr(node, "arg", None))
            )
            if isinstance(key, str):
                attributes.add((owner.name, key))
    guarded = set()
    for test in tree.find_all(nodes.Test):
        target: Any = test.node
        if (
            test.name in ("defined", "undefined")
            and isinstance(target, nodes.Getattr)
            and isinstance(target.node, nodes.Name)
        ):
            guarded.add((target.node.name, target.attr))
    calls = [
        call
        for call in tree.find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name == "secret"
    ]
    secret_names = tuple(str(_const(call.args[0])) for call in calls if call.args)
    whole = (
        len(calls) == 1
        and len(tree.body) == 1
        and isinstance(tree.body[0], nodes.Output)
        and tree.body[0].nodes == [calls[0]]
    )
    return TemplateReferences(names, frozenset(attributes), frozenset(guarded), secret_names, whole)


def _const(node: Any) -> Any:
    return node.value if isinstance(node, nodes.Const) else None


def render(text: str, context: Mapping[str, Any], secret: Callable[[str], Secret]) -> str | Secret:
    """Render one string. A template that is exactly `{{ secret(…) }}` yields the Secret itself.

    `secret()` renders as a private token; a token left inside other text means the secret
    would have been mixed into a string, which is refused.
    """
    if not is_template(text):
        return text
    tokens: dict[str, str] = {}

    def token(name: str) -> str:
        tokens[f"\x00secret:{name}\x00"] = name
        return f"\x00secret:{name}\x00"

    try:
        rendered = environment().from_string(text).render({**context, "secret": token})
    except Exception as exc:  # undefined names, 1/0, int('x'), unknown filters, …: the step's fault
        raise StepError(FailureKind.ERROR, f"cannot fill in {text!r}: {exc}") from None
    if rendered in tokens:
        return secret(tokens[rendered])
    if tokens:
        raise StepError(FailureKind.ERROR, "a secret may only be the whole value of a fill step")
    return rendered


def evaluate(expression: str, context: Mapping[str, Any]) -> bool:
    """A `when:` condition."""
    try:
        return bool(environment().compile_expression(expression)(**context))
    except Exception as exc:  # undefined names, 1/0, unknown tests or filters, …: the step's fault
        raise StepError(FailureKind.ERROR, f"cannot evaluate `when: {expression}`: {exc}") from None
