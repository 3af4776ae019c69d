"""`{{ … }}` in runbooks: expressions only (no `{% … %}` statements), in a bounded Jinja2 sandbox
(`template_limits`), strict about undefined names; secrets stay Secrets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.environment import TemplateExpression

from bot.errors import FailureKind, StepError
from bot.language.secrets import Secret
from bot.language.template_limits import (
    MAX_TEMPLATE,
    MAX_VALUE,
    BoundedSandbox,
    bounded_filter,
    time_limit,
)

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
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


def days_after(when: object, days: object) -> str:
    """`'2026-12-07 00:45 UTC' | days_after(30)` → `2027-01-06`: the date `days` after the first
    ISO date (`YYYY-MM-DD`) in a text, as a page shows it; `''` when it holds none ("Never")."""
    found = ISO_DATE.search(str(when))
    if found is None:
        return ""
    return (date.fromisoformat(found.group(0)) + timedelta(days=float(str(days)))).isoformat()


@lru_cache(maxsize=1)
def environment() -> BoundedSandbox:
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=False)
    env.globals.clear()
    env.filters.update(
        without_scheme=without_scheme,
        version_at_least=version_at_least,
        days_from_now=days_from_now,
        days_after=days_after,
    )
    env.filters = {name: bounded_filter(name, f) for name, f in env.filters.items()}
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
    secret_params: tuple[str, ...] = ()  # X of secret(params.X): named by a param


def parse(text: str, *, expression: bool = False) -> nodes.Template:
    """The Jinja AST, shared: read it, never change it. Raises TemplateSyntaxError with a line
    inside the template, also for a template that is too long or holds a statement
    (`{% for %}`, `{% set %}`…)."""
    return _parsed(text, expression)


# A runbook's templates are checked when it is validated and again each time a step renders
# them, and a fleet does both for every client: each text is parsed and compiled once.
@lru_cache(maxsize=2048)
def _parsed(text: str, expression: bool) -> nodes.Template:
    if len(text) > MAX_TEMPLATE:
        raise TemplateSyntaxError(
            f"a template may be at most {MAX_TEMPLATE} characters (this one has {len(text)})", 1
        )
    source = f"{{{{ {text} }}}}" if expression else text
    tree = environment().parse(source)
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            keyword = type(node).__name__.lower()
            raise TemplateSyntaxError(
                f"statements such as {{% {keyword} %}} are not allowed: a template is an "
                "expression, `{{ … }}` (use `when:` on a step to choose, `group` to repeat less)",
                node.lineno,
            )
    return tree


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
    secret_names = tuple(
        str(_const(call.args[0])) for call in calls if call.args and _const(call.args[0])
    )
    secret_params = tuple(
        call.args[0].attr
        for call in calls
        if call.args
        and isinstance(call.args[0], nodes.Getattr)
        and isinstance(call.args[0].node, nodes.Name)
        and call.args[0].node.name == "params"
    )
    whole = (
        len(calls) == 1
        and len(tree.body) == 1
        and isinstance(tree.body[0], nodes.Output)
        and tree.body[0].nodes == [calls[0]]
    )
    return TemplateReferences(
        names, frozenset(attributes), frozenset(guarded), secret_names, whole, secret_params
    )


def compared_literals(text: str, *, expression: bool = False) -> list[tuple[str, str, str]]:
    """(namespace, attribute, text) for every literal a `namespace.attribute` is compared with by
    `==`, `!=`, `in` or `not in` (`vars.page == 'consent'`, `vars.page in ['a', 'b']`)."""
    found = []
    for compare in parse(text, expression=expression).find_all(nodes.Compare):
        sides = [compare.expr, *(operand.expr for operand in compare.ops)]
        ops = {operand.op for operand in compare.ops}
        if not ops <= {"eq", "ne", "in", "notin"}:
            continue
        names = [side for side in sides if isinstance(side, nodes.Getattr)]
        literals = [
            item
            for side in sides
            for item in (side.items if isinstance(side, nodes.List | nodes.Tuple) else [side])
            if isinstance(item, nodes.Const) and isinstance(item.value, str)
        ]
        for name in names:
            if isinstance(name.node, nodes.Name):
                found += [(name.node.name, name.attr, str(item.value)) for item in literals]
    return found


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
        with time_limit():
            rendered = _bounded_output(_template(text).generate({**context, "secret": token}))
    except Exception as exc:  # undefined names, 1/0, int('x'), unknown filters, …: the step's fault
        raise StepError(FailureKind.ERROR, f"cannot fill in `{text}`: {exc}") from None
    if rendered in tokens:
        return secret(tokens[rendered])
    if tokens:
        raise StepError(FailureKind.ERROR, "a secret may only be the whole value of a fill step")
    return rendered


def _bounded_output(pieces: Iterable[str]) -> str:
    """The pieces of a template's output, joined; refused once past MAX_VALUE characters."""
    output, size = [], 0
    for piece in pieces:
        size += len(piece)
        if size > MAX_VALUE:
            raise ValueError(f"the template's output is longer than {MAX_VALUE} characters")
        output.append(piece)
    return "".join(output)


def evaluate(expression: str, context: Mapping[str, Any]) -> bool:
    """A `when:` condition."""
    try:
        with time_limit():
            return bool(_expression(expression)(**context))
    except Exception as exc:  # undefined names, 1/0, unknown tests or filters, …: the step's fault
        shown = " ".join(expression.split())  # a folded `when: >` ends in a line break
        raise StepError(FailureKind.ERROR, f"cannot evaluate `when: {shown}`: {exc}") from None


@lru_cache(maxsize=1024)
def _template(text: str) -> Template:
    parse(text)  # refuses what a runbook may not hold before Jinja compiles it
    return environment().from_string(text)


@lru_cache(maxsize=1024)
def _expression(expression: str) -> TemplateExpression:
    parse(expression, expression=True)
    return environment().compile_expression(expression)
