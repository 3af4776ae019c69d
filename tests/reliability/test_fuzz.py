"""Fuzzing: whatever text or step mapping a runbook holds, the loader, the static checks and the
templating answer with a located error or a valid runbook — never a traceback.

Accepted outcomes:
- `load_source` (+ `check_runbook`): a Runbook, or ValidationFailed (an InputError) whose message
  names the file and a line;
- `templating.references`: TemplateReferences, or Jinja's TemplateSyntaxError (which carries the
  line inside the template; the checks turn it into a located diagnostic);
- `templating.render` / `evaluate`: a value, or a StepError with a message (the engine reports it
  at the step's file:line).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jinja2 import TemplateSyntaxError

from bot import FailureKind, Source, StepError
from bot.language import (
    CheckContext,
    Diagnostic,
    Secret,
    ValidationFailed,
    check_runbook,
    load_source,
)
from bot.language.locator import LOCATOR_FIELDS
from bot.language.templating import evaluate, references, render
from bot.steps import BUILTIN

PATH = "runbooks/fuzzed.yaml"
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ACTIONS = sorted(BUILTIN)
ENVELOPE = [
    "id",
    "label",
    "when",
    "optional",
    "timeout",
    "retry",
    "steps",
    "as",
    "any",
    "state",
    "value",
    "option",
    "get",
    "regex",
    "url",
    "with",
    "runbook",
    "count",
    "on",
]
KEYS = st.sampled_from([*ACTIONS, *ENVELOPE, *sorted(LOCATOR_FIELDS)]) | st.text(max_size=8)

TEMPLATE_BITS = st.sampled_from(
    [
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        " ",
        "client",
        "params",
        "vars",
        "facts",
        "run",
        ".",
        "name",
        "tenant",
        "secret('pw')",
        "secret(",
        ")",
        "(",
        "|",
        "without_scheme",
        "version_at_least('24.100')",
        "days_from_now",
        "int",
        "join(', ')",
        "is defined",
        "and",
        "or",
        "not",
        "==",
        "!=",
        "+",
        "-",
        "*",
        "/",
        "//",
        "%",
        "**",
        "0",
        "1",
        "30",
        "'24.105'",
        "[",
        "]",
        "if",
        "else",
        "endif",
        "for",
        "in",
        "endfor",
        "x",
        "__class__",
        "range(3)",
        "lipsum",
        "cycler",
        "'",
        '"',
        "\n",
        "true",
        "none",
        "~",
        "attr('x')",
        "e",
        "upper",
    ]
)
ATOMS = st.sampled_from(
    [
        "0",
        "1",
        "-1",
        "30",
        "2.5",
        "'24.105.0012'",
        "'x'",
        "''",
        "none",
        "true",
        "[]",
        "[1, 2]",
        "{}",
        "client.name",
        "client.tenant",
        "client.notification_emails",
        "params.n",
        "params.user",
        "vars.x",
        "vars.build",
        "vars.missing",
        "facts.sliding_expiration",
        "run.today",
        "x",
        "client",
        "params",
        "range(3)",
        "secret('pw')",
        "secret('nope')",
        "client.__class__",
    ]
)
FILTERS = st.sampled_from(
    [
        "without_scheme",
        "version_at_least('24.100')",
        "version_at_least(1)",
        "days_from_now",
        "days_after(30)",
        "int",
        "float",
        "string",
        "length",
        "join(', ')",
        "upper",
        "first",
        "last",
        "default('d')",
        "round",
        "abs",
        "list",
        "sort",
        "unique",
        "replace('a', 'b')",
        "nope",
    ]
)
BINARY = st.sampled_from(
    [
        "+",
        "-",
        "*",
        "/",
        "//",
        "%",
        "**",
        "==",
        "!=",
        "<",
        ">",
        "and",
        "or",
        "in",
        "not in",
        "~",
        "is",
        "is not",
    ]
)


def _expressions() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return (
            st.tuples(inner, BINARY, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
            | st.tuples(inner, FILTERS).map(lambda t: f"{t[0]} | {t[1]}")
            | st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})")
            | inner.map(lambda e: f"not {e}")
            | st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]")
            | inner.map(lambda e: f"{e} is defined")
        )

    return st.recursive(ATOMS, extend, max_leaves=6)


EXPRESSIONS = _expressions()
TEMPLATES = (
    st.lists(TEMPLATE_BITS, max_size=14).map("".join)
    | st.text(max_size=40)
    | EXPRESSIONS.map(lambda e: f"{{{{ {e} }}}}")
    | st.tuples(st.text(max_size=5), EXPRESSIONS, EXPRESSIONS).map(
        lambda t: f"{t[0]}{{% if {t[1]} %}}{{{{ {t[2]} }}}}{{% endif %}}"
    )
)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.floats(allow_nan=True)
    | TEMPLATES
    | st.sampled_from(
        [
            "on",
            "off",
            "1s",
            "2m",
            "button",
            "Save",
            "/re(/",
            "/ok/i",
            "not_found",
            "timeout",
            "menu",
            "value",
        ]
    )
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
STEPS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=4)


def _attempt(call: Callable[[], Any], *expected: type[Exception]) -> Any:
    """What `call()` returns, or the expected exception it raised (anything else propagates)."""
    try:
        return call()
    except expected as exc:
        return exc


def _check(text: str) -> list[Diagnostic]:
    runbook = load_source(Source(PATH, text), BUILTIN)
    return check_runbook(
        runbook,
        CheckContext(
            settings={"name": "acme", "site_url": "http://a.test"},
            secret_names={"pw"},
            lookup=lambda _: None,
        ),
    )


def _load(text: str) -> None:
    """The loader and the static checks: diagnostics, or a located ValidationFailed."""
    result = _attempt(lambda: _check(text), ValidationFailed)
    if isinstance(result, ValidationFailed):
        assert result.diagnostics, "a ValidationFailed without diagnostics"
        assert PATH in result.message
        problems = result.diagnostics
    else:
        problems = result
    for problem in problems:
        assert problem.file == PATH
        assert problem.message.strip()
        assert problem.line is None or problem.line >= 1


@FUZZ
@given(st.text(max_size=300))
def test_any_text_loads_or_is_a_located_error(text: str) -> None:
    _load(text)


YAMLISH = st.lists(
    st.sampled_from(
        [
            "name: x\n",
            "description: d\n",
            "steps:\n",
            "  - ",
            "click: Save\n",
            "goto: ",
            "fill: ",
            "{",
            "}",
            "[",
            "]",
            ": ",
            "- ",
            "  ",
            "    ",
            "\n",
            "'",
            '"',
            "&a ",
            "*a",
            "!!python/object ",
            "? ",
            "|\n",
            ">\n",
            "#",
            "---\n",
            "...\n",
            "%YAML 1.1\n",
            "\t",
            "when: ",
            "retry: ",
            "{count: 2, on: [navigation]}",
            "role: button",
            "label: Tenant ID",
            "within:\n",
            "steps: [",
            "\\u0000",
            "\x00",
            "\ufeff",
            "<<: *a\n",
            "finally:\n",
            "summary:\n",
            "params:\n",
            "{{ secret('pw') }}",
            "{{ vars.x }}",
            "{{",
            "}}",
        ]
    ),
    max_size=40,
).map("".join)


@FUZZ
@given(YAMLISH)
def test_yaml_like_text_loads_or_is_a_located_error(text: str) -> None:
    _load(text)


@FUZZ
@given(st.lists(STEPS, min_size=1, max_size=4), st.lists(STEPS, max_size=2))
def test_any_step_mapping_loads_or_is_a_located_error(
    steps: list[dict[str, Any]], final: list[dict[str, Any]]
) -> None:
    document: dict[str, Any] = {"name": "fuzzed", "description": "fuzzed steps", "steps": steps}
    if final:
        document["finally"] = final
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    _load(text)


CONTEXT: dict[str, Any] = {
    "client": {
        "name": "acme",
        "tenant": "Acme Live",
        "site_url": "http://a.test",
        "notification_emails": ["ops@acme.example"],
    },
    "params": {"user": "admin", "flag": True, "n": 3},
    "vars": {"x": "1", "build": "24.105.0012"},
    "facts": {"sliding_expiration": "yes"},
    "run": {"id": "abc", "today": "2026-01-01"},
}


def _secret(name: str) -> Secret:
    if name != "pw":
        raise StepError(FailureKind.ERROR, f"the client has no secret '{name}'")
    return Secret("pw", "s3cret", ("http://a.test",))


@FUZZ
@given(TEMPLATES)
def test_templating_facts_never_crash(text: str) -> None:
    found = _attempt(lambda: references(text), TemplateSyntaxError)
    if isinstance(found, TemplateSyntaxError):
        assert found.lineno >= 1
        assert found.message
    else:
        assert isinstance(found.names, frozenset)


@FUZZ
@given(TEMPLATES)
def test_templating_render_never_crashes(text: str) -> None:
    value = _attempt(lambda: render(text, CONTEXT, _secret), StepError)
    if isinstance(value, StepError):
        assert value.message.strip()
    else:
        assert isinstance(value, str | Secret)


@FUZZ
@given(EXPRESSIONS | TEMPLATES)
def test_when_conditions_never_crash(text: str) -> None:
    value = _attempt(lambda: evaluate(text, CONTEXT), StepError)
    assert isinstance(value, bool) or value.message.strip()
